/**
 * The conformance kit passes against the handler behind each adapter, over real HTTP, and leaves
 * the test account as it found it. The kit is the one a Django or Go author runs; these runs are
 * what make "the Node backend speaks the protocol" a tested claim.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { runConformance } from '@totpkit/protocol/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { stagedUser } from './staged-sessions.js';
import { ADAPTERS, type Backend, newSession, startBackend } from './support.js';

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

describe.each(ADAPTERS)('the conformance kit against the handler behind %s', (kind) => {
  it('passes every check and leaves the account without TOTP', async () => {
    backend = await startBackend(kind, { handler: { getUser: stagedUser } });
    const { userId, cookie } = newSession();
    const report = await runConformance({
      baseUrl: backend.baseUrl,
      headers: { Cookie: cookie },
      pendingHeaders: { Cookie: `${cookie}; stage=pending` },
      clock: backend.clock,
    });
    expect(report.results.filter((result) => !result.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, failed: 0, skipped: 0 });
    expect(report.passed).toBeGreaterThan(60);
    expect(new Set(report.results.map((result) => result.step))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    );
    expect(await backend.totpkit.status({ id: userId })).toMatchObject({ active: false, recoveryCodes: null });
    expect(backend.reported).toEqual([]);
  });
});

describe('the totpkit-conformance command', () => {
  it('passes against a real-time backend with a 1-second period and exits 0', async () => {
    backend = await startBackend('node', { realClock: true, totpkit: { period: 1 }, handler: { getUser: stagedUser } });
    const { cookie } = newSession();
    const require = createRequire(import.meta.url);
    const cli = new URL('./dist/conformance/cli.js', `file://${require.resolve('@totpkit/protocol/package.json')}`);
    const child = spawn(process.execPath, [
      cli.pathname,
      '--base-url',
      backend.baseUrl,
      '--header',
      `Cookie: ${cookie}`,
      '--pending-header',
      `Cookie: ${cookie}; stage=pending`,
    ]);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(output).not.toContain('✗');
    expect(status).toBe(0);
    expect(output).toMatch(/^✓ \[7 replay\] the same code a second time is refused with 400 invalid_code$/m);
    expect(output).toMatch(/\n\d+ passed, 0 failed, 0 skipped\n$/);
  });
});
