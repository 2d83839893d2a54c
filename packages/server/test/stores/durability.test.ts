/**
 * What a successful login leaves on disk before it is answered (docs/reliability.md,
 * "Durability"): the login phase of a child process is traced with strace, and its fsync calls
 * counted. At the default `synchronous = FULL` each login's one commit is synced; at NORMAL none
 * is, so a power cut can take back the last logins. Skipped, loudly, where strace is missing or
 * not permitted (it needs ptrace).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const LOGINS = 20;
const probe = fileURLToPath(new URL('./support/fsync-probe.mjs', import.meta.url));

function straceWorks(): boolean {
  try {
    execFileSync('strace', ['-f', '-e', 'trace=none', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = straceWorks();
if (!available) console.warn('\n⚠️  strace is missing or not permitted: SKIPPING durability.test.ts.\n');

describe.skipIf(!available)('SqliteStore: fsyncs per successful login (strace)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-durability-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The fsync and fdatasync calls the probe made between its markers. */
  function syncsDuringLogins(synchronous: string): number {
    const trace = join(dir, `trace-${synchronous}`);
    const run = spawnSync(
      'strace',
      [
        '-f',
        '-e',
        'trace=fsync,fdatasync,write',
        '-o',
        trace,
        process.execPath,
        probe,
        join(dir, `${synchronous}.db`),
        synchronous,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = readFileSync(trace, 'utf8').split('\n');
    const start = lines.findIndex((line) => line.includes('MARK-START'));
    const end = lines.findIndex((line) => line.includes('MARK-END'));
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    return lines.slice(start, end).filter((line) => /\b(fsync|fdatasync)\(/.test(line)).length;
  }

  it('syncs each login’s commit to disk at the default, synchronous = FULL', () => {
    expect(syncsDuringLogins('default')).toBe(LOGINS);
  }, 150_000);

  it('syncs none at synchronous = NORMAL: the last commits live only in the OS cache until a checkpoint', () => {
    expect(syncsDuringLogins('NORMAL')).toBe(0);
  }, 150_000);
});
