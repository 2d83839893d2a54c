/**
 * `npm start`'s server: it starts on the embedded SQLite default, on PostgreSQL and Redis when
 * DATABASE_URL and REDIS_URL say so, and stops cleanly on Ctrl-C.
 */
import { totpCode } from '@totpkit/server';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
// The server package's helpers for the real services: skip loudly, or fail under CI.
import {
  describeWithServices,
  POSTGRES_URL,
  REDIS_URL,
  uniqueName,
} from '../../../packages/server/test/support/services.js';
import { startDemo } from '../support/demo-server.js';
import { PASSWORD, uniqueUsername } from '../support/flows.js';

const PROTOCOL = { 'Totpkit-Protocol': '1', 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' };

/** Signs up and turns TOTP on through the protocol; resolves with the final status. */
async function enrolOverHttp(url: string) {
  const signup = await fetch(`${url}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: uniqueUsername(), password: PASSWORD }),
  });
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const call = (path: string, body?: unknown) =>
    fetch(`${url}/mfa${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { ...PROTOCOL, Cookie: cookie },
      body: body ? JSON.stringify(body) : undefined,
    });
  const setup = await (await call('/totp/setup', {})).json();
  const activated = await call('/totp/activate', {
    enrollmentToken: setup.enrollmentToken,
    code: totpCode(setup.secret),
  });
  expect(activated.status).toBe(200);
  return (await call('/status')).json();
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
