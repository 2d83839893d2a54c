/**
 * `SqliteStore` on `node:sqlite`, which Node 20 (the project's Node) lacks: runs the server's
 * node-sqlite.test.ts (store, replay-cache and rate-limiter contracts, lifecycle) under Node 22
 * from the `node` npm package, in a vitest of its own, and asserts that it ran and passed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, probe, repoRoot, warnSkipped } from './runtime.js';

const found = probe('node');
const node22 = 'version' in found && /^v(2[2-9]|[3-9]\d)\./.test(found.version) ? found.version : null;
if (!node22) warnSkipped('Node 22', 'reason' in found ? found.reason : `found ${found.version}`);

describe.skipIf(!node22)(`Node ${node22}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-node22-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the SqliteStore contracts and the lifecycle on node:sqlite', () => {
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
        'packages/server/test/stores/node-sqlite.test.ts',
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { cwd: repoRoot, env: { ...env, TOTPKIT_REQUIRE_NODE_SQLITE: '1' }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.error).toBeUndefined();
    const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'));
    console.log(`\nnode:sqlite under Node ${node22}: ${numPassedTests} passed, ${numFailedTests} failed\n`);
    expect({ numFailedTests, numPendingTests }).toEqual({ numFailedTests: 0, numPendingTests: 0 });
    expect(numPassedTests).toBeGreaterThan(50);
    expect(result.status).toBe(0);
  });
});
