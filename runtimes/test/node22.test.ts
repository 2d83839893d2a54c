/**
 * Node 22 (from the `node` npm package), whose `node:sqlite` Node 20 (the project's Node) lacks:
 * runs, in a vitest of its own, the server's node-sqlite.test.ts (the store, replay-cache and
 * rate-limiter contracts and the lifecycle on `node:sqlite`), the RFC vectors and the Fetch
 * handler's tests, and asserts that every file ran and passed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, probe, repoRoot, warnSkipped } from './runtime.js';

const FILES = [
  'packages/server/test/stores/node-sqlite.test.ts',
  'packages/server/test/core/rfc-vectors.test.ts',
  'packages/server/test/http/fetch-handler.test.ts',
];

const found = probe('node');
const node22 = 'version' in found && /^v(2[2-9]|[3-9]\d)\./.test(found.version) ? found.version : null;
if (!node22) warnSkipped('Node 22', 'reason' in found ? found.reason : `found ${found.version}`);

describe.skipIf(!node22)(`Node ${node22}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-node22-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the SqliteStore contracts and the lifecycle on node:sqlite, the RFC vectors and the Fetch handler tests', () => {
    const report = join(dir, 'vitest.json');
    // The inner vitest must not take this run's worker settings for its own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
    const result = spawnSync(
      bin('node'),
      [
        join(repoRoot, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--project',
        'server',
        ...FILES,
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { cwd: repoRoot, env: { ...env, TOTPKIT_REQUIRE_NODE_SQLITE: '1' }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.error).toBeUndefined();
    const { numPassedTests, numFailedTests, numPendingTests, testResults } = JSON.parse(readFileSync(report, 'utf8'));
    console.log(`\nUnder Node ${node22} (${FILES.length} files): ${numPassedTests} passed, ${numFailedTests} failed\n`);
    expect({ numFailedTests, numPendingTests }).toEqual({ numFailedTests: 0, numPendingTests: 0 });
    const ran = (testResults as { name: string; assertionResults: unknown[] }[]).map(
      (file) => `${file.name.slice(repoRoot.length).replace(/^\//, '')}: ${file.assertionResults.length > 0}`,
    );
    expect(ran.sort()).toEqual(FILES.map((file) => `${file}: true`).sort());
    expect(numPassedTests).toBeGreaterThan(100);
    expect(result.status).toBe(0);
  });
});
