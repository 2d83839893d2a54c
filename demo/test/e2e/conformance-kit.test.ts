/**
 * The conformance kit against the real demo, started as `npm start` starts it, with the session
 * recipe of docs/protocol.md §9: scripts/conformance-session.mjs signs a test user up and in
 * through the demo's forms for each phase the kit asks for. The demo's sessions are the real
 * thing: verify only from a password-stage session, a new id after verify and after each change
 * of factors, every other session signed out then. Real time, so it waits for fresh codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DemoServer, startDemo } from '../support/demo-server.js';

const require = createRequire(import.meta.url);
const cli = fileURLToPath(
  new URL('./dist/conformance/cli.js', `file://${require.resolve('@totpkit/protocol/package.json')}`),
);
const recipe = fileURLToPath(new URL('../../scripts/conformance-session.mjs', import.meta.url));

let demo: DemoServer;
let stateDir: string;
beforeAll(async () => {
  demo = await startDemo();
  stateDir = mkdtempSync(join(tmpdir(), 'totpkit-kit-'));
});
afterAll(async () => {
  await demo?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

it('passes every check of totpkit-conformance with the documented session recipe', { timeout: 240_000 }, async () => {
  const login = `${JSON.stringify(process.execPath)} ${JSON.stringify(recipe)} ${demo.url} ${JSON.stringify(join(stateDir, 'user.json'))}`;
  const { status, stdout, stderr } = await new Promise<{ status: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        [cli, '--base-url', `${demo.url}/mfa`, '--login-command', login, '--json'],
        { timeout: 230_000 },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    },
  );
  const report = JSON.parse(stdout || '{}');
  const notPassed = (report.results ?? []).filter((result: { ok: boolean }) => !result.ok);
  expect({ notPassed, stderr }).toEqual({ notPassed: [], stderr: '' });
  expect(status).toBe(0);
  expect(report).toMatchObject({ ok: true, failed: 0, skipped: 0 });
  // The demo offers both features, so the kit's steps for them ran rather than being reported not offered.
  expect(report.notOffered).toEqual([]);
  expect(report.passed).toBeGreaterThan(100);
  console.log(
    `totpkit-conformance against the demo: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`,
  );
});
