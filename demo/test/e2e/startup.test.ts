/**
 * `npm start`'s server: it starts on the embedded SQLite default, on PostgreSQL and Redis when
 * DATABASE_URL and REDIS_URL say so, stops cleanly on Ctrl-C (under pnpm too), and refuses to start
 * with one line and exit code 1 when the port or the keyring is wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEncryptionKey, totpCode } from '@totpkit/server';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
// The server package's helpers for the real services: skip loudly, or fail under CI.
import {
  describeWithServices,
  POSTGRES_URL,
  REDIS_URL,
  uniqueName,
} from '../../../packages/server/test/support/services.js';
import { runUntilExit, startDemo } from '../support/demo-server.js';
import { PASSWORD, uniqueUsername } from '../support/flows.js';
import { Client } from '../support/http.js';

/** Signs up and turns TOTP on through the protocol; resolves with the final status. */
async function enrolOverHttp(url: string) {
  const client = new Client(url);
  await client.form('/signup', { username: uniqueUsername(), password: PASSWORD });
  const setup = await (await client.mfa('/totp/setup', {})).json();
  const activated = await client.mfa('/totp/activate', {
    enrollmentToken: setup.enrollmentToken,
    code: totpCode(setup.secret),
  });
  expect(activated.status).toBe(200);
  // Turning 2FA on gave the session a new id; the client keeps the new cookie.
  return (await client.mfa('/status')).json();
}

describe('starting and stopping the demo', () => {
  it('starts on SQLite, prints where, and exits 0 on Ctrl-C', async () => {
    const demo = await startDemo();
    expect(demo.output()).toMatch(/totpkit demo on http:\/\/localhost:\d+ \(authenticators in .*demo\.sqlite\)/);
    expect(await enrolOverHttp(demo.url)).toMatchObject({
      totp: { active: true },
      recoveryCodes: { total: 10, unused: 10 },
    });
    expect(await demo.stop()).toBe(0);
    expect(demo.output()).toMatch(/SIGINT: stopping the demo/);
  });
});

describe('refusing to start, in one line', () => {
  const keyring = () => JSON.stringify({ current: 'k1', keys: { k1: generateEncryptionKey() } });

  it('exits 1 with one line when the port is taken', async () => {
    const first = await startDemo();
    try {
      const port = new URL(first.url).port;
      const second = await runUntilExit({ PORT: port, TOTPKIT_KEYRING: keyring() });
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toBe(
        `demo: port ${port} is already in use; set PORT to a free one (PORT=3001 npm start).`,
      );
    } finally {
      expect(await first.stop()).toBe(0);
    }
  });

  it('exits 1 when the keyring file is inside DATA_DIR, where a copy of the data would carry it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'totpkit-demo-'));
    writeFileSync(join(dataDir, 'keys.json'), keyring());
    const run = await runUntilExit({ TOTPKIT_KEYRING_FILE: join(dataDir, 'keys.json') }, dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'demo: TOTPKIT_KEYRING_FILE must be outside DATA_DIR: a copy of the data would hold its key.',
    );
  });

  it('exits 1 in production without a keyring, and with a keyring that does not parse', async () => {
    const production = await runUntilExit({ NODE_ENV: 'production', TOTPKIT_KEYRING: '', TOTPKIT_KEYRING_FILE: '' });
    expect(production.code).toBe(1);
    expect(production.stderr.trim()).toBe('demo: Set TOTPKIT_KEYRING or TOTPKIT_KEYRING_FILE: NODE_ENV is production.');
    const broken = await runUntilExit({ TOTPKIT_KEYRING: '{"k1":' });
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim()).toMatch(/^demo: TOTPKIT_KEYRING is not a keyring: expected /);
  });

  it('starts quietly with a keyring file outside DATA_DIR, and warns loudly with the development key', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'totpkit-keys-'));
    try {
      writeFileSync(join(keys, 'keyring.json'), keyring(), { mode: 0o600 });
      const separate = await runUntilExit({ TOTPKIT_KEYRING_FILE: join(keys, 'keyring.json') });
      expect(separate.code).toBe(0);
      expect(separate.stdout).toContain('totpkit demo on');
      expect(separate.stderr).not.toContain('WARNING');
    } finally {
      rmSync(keys, { recursive: true, force: true });
    }
    const development = await runUntilExit({ TOTPKIT_KEYRING: '', TOTPKIT_KEYRING_FILE: '' });
    expect(development.code).toBe(0);
    expect(development.stderr).toMatch(/^demo: WARNING: the encryption key is in .*keyring\.json, beside the data/);
  });
});

describe('Ctrl-C under pnpm, as `npm start` runs the demo', () => {
  it('stops the demo cleanly, without an ELIFECYCLE failure', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const dataDir = mkdtempSync(join(tmpdir(), 'totpkit-demo-'));
    // Its own process group, like a terminal's foreground job: Ctrl-C signals every process in it.
    const child = spawn(process.execPath, ['scripts/pnpm.mjs', '--filter', '@totpkit/demo', 'start'], {
      cwd: root,
      detached: true,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const started = new Promise<void>((resolve) => {
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('totpkit demo on')) resolve();
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    try {
      await started;
      process.kill(-(child.pid as number), 'SIGINT');
      await exited;
      expect(output).toContain('SIGINT: stopping the demo');
      expect(output).not.toMatch(/ELIFECYCLE|ERR_PNPM|failed/i);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describeWithServices(['PostgreSQL', 'Redis'], 'the demo on PostgreSQL and Redis', () => {
  it('keeps authenticators in PostgreSQL and claims and limits in Redis when DATABASE_URL and REDIS_URL are set', async () => {
    const schema = uniqueName('totpkit_demo');
    const admin = new Pool({ connectionString: POSTGRES_URL });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const databaseUrl = new URL(POSTGRES_URL);
    databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
    const demo = await startDemo({ DATABASE_URL: databaseUrl.toString(), REDIS_URL });
    try {
      expect(demo.output()).toMatch(/authenticators in PostgreSQL, replay cache and rate limiter in Redis/);
      expect(await enrolOverHttp(demo.url)).toMatchObject({ totp: { active: true } });
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.totpkit_authenticators`);
      expect(rows[0].n).toBe(1);
    } finally {
      expect(await demo.stop()).toBe(0);
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
