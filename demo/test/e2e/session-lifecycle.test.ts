/**
 * Issue 16, item 1: sessions a database copy cannot use, new ids whenever the account's protection
 * changes, and timeouts. The demo runs in this process with a clock the test moves, over real HTTP.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { totpCode } from '@totpkit/server';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../support/flows.js';
import type { Client } from '../support/http.js';
import { enrol, type InProcessDemo, signUpClient, startInProcess } from '../support/in-process.js';

let demo: InProcessDemo;
beforeAll(async () => {
  demo = await startInProcess();
});
afterAll(async () => {
  await demo?.stop();
});

const MINUTE = 60_000;
const signedIn = async (client: Client) => (await (await client.get('/')).text()).includes('Hello,');

describe('demo sessions: storage', () => {
  it('stores only a SHA-256 of the session id, so a copy of the database signs in no one', async () => {
    const client = demo.client();
    await signUpClient(client);
    const id = client.sessionId;
    const copy = new Database(demo.sqliteFile, { readonly: true });
    try {
      const rows = copy.prepare('SELECT * FROM demo_session_hashes').all() as Record<string, unknown>[];
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(id);
      const hash = createHash('sha256').update(id).digest('base64url');
      expect(rows.map((row) => row.id_hash)).toContain(hash);
      // What the copy holds does not work as a cookie.
      const thief = demo.client();
      thief.cookie = `sid=${hash}`;
      expect(await signedIn(thief)).toBe(false);
    } finally {
      copy.close();
    }
    // Nor is the id anywhere in the files, the write-ahead log included.
    for (const file of [demo.sqliteFile, `${demo.sqliteFile}-wal`]) {
      expect(readFileSync(file).includes(Buffer.from(id))).toBe(false);
    }
  });
});

describe('demo sessions: new ids', () => {
  it('gives a new id at sign-in and ends the one the browser had', async () => {
    const client = demo.client();
    const username = await signUpClient(client);
    const before = client.copy();
    await client.form('/signin', { username, password: PASSWORD });
    expect(client.sessionId).not.toBe(before.sessionId);
    expect(await signedIn(client)).toBe(true);
    expect(await signedIn(before)).toBe(false);
  });

  it('gives a new id after the password is confirmed again, and ends the old one', async () => {
    const client = demo.client();
    await signUpClient(client);
    const before = client.copy();
    const response = await client.form('/reauth', { password: PASSWORD, next: '/security' });
    expect(response.headers.get('location')).toBe('/security');
    expect(client.sessionId).not.toBe(before.sessionId);
    expect(await signedIn(client)).toBe(true);
    expect(await signedIn(before)).toBe(false);
  });

  it('gives a new id when 2FA is turned on or off, and signs every other session out', async () => {
    const phone = demo.client();
    const username = await signUpClient(phone);
    const laptop = demo.client();
    await laptop.form('/signin', { username, password: PASSWORD });
    expect(await signedIn(laptop)).toBe(true);

    const beforeOn = phone.copy();
    const secret = await enrol(phone, demo.now());
    expect(phone.sessionId).not.toBe(beforeOn.sessionId);
    expect(await signedIn(phone)).toBe(true);
    expect(await signedIn(beforeOn)).toBe(false);
    expect(await signedIn(laptop)).toBe(false);

    // The laptop signs in again, now with its second step.
    demo.advance(31_000);
    await laptop.form('/signin', { username, password: PASSWORD });
    const verified = await laptop.mfa('/verify', { code: totpCode(secret, { time: demo.now() / 1000 }) });
    expect(verified.status).toBe(200);
    expect(await signedIn(laptop)).toBe(true);

    demo.advance(31_000);
    const beforeOff = phone.copy();
    const off = await phone.mfa('/totp/deactivate', { code: totpCode(secret, { time: demo.now() / 1000 }) });
    expect(off.status).toBe(200);
    expect(phone.sessionId).not.toBe(beforeOff.sessionId);
    expect(await signedIn(phone)).toBe(true);
    expect(await signedIn(beforeOff)).toBe(false);
    expect(await signedIn(laptop)).toBe(false);
  });
});

describe('demo sessions: timeouts', () => {
  it('ends a session after 30 minutes without a request', async () => {
    const client = demo.client();
    await signUpClient(client);
    demo.advance(29 * MINUTE);
    expect(await signedIn(client)).toBe(true); // a request: the idle clock starts over
    demo.advance(29 * MINUTE);
    expect(await signedIn(client)).toBe(true);
    demo.advance(30 * MINUTE + 1000);
    expect(await signedIn(client)).toBe(false);
  });

  it('ends a busy session 12 hours after the password', async () => {
    const client = demo.client();
    await signUpClient(client);
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      demo.advance(20 * MINUTE);
      expect(await signedIn(client)).toBe(true);
    }
    demo.advance(21 * MINUTE);
    expect(await signedIn(client)).toBe(false);
  });

  it('restarts the 12 hours when the password is confirmed again', async () => {
    const client = demo.client();
    await signUpClient(client);
    for (let elapsed = 0; elapsed < 11 * 60; elapsed += 20) {
      demo.advance(20 * MINUTE);
      await client.get('/');
    }
    await client.form('/reauth', { password: PASSWORD, next: '/' });
    for (let elapsed = 0; elapsed < 80; elapsed += 20) {
      demo.advance(20 * MINUTE);
      expect(await signedIn(client)).toBe(true);
    }
    // 12 h 20 min after the sign-up, 80 minutes after the password
  });

  it('gives the second step 15 minutes', async () => {
    const client = demo.client();
    const username = await signUpClient(client);
    await enrol(client, demo.now());
    const pending = demo.client();
    await pending.form('/signin', { username, password: PASSWORD });
    expect((await pending.get('/signin/verify')).status).toBe(200);
    demo.advance(15 * MINUTE + 1000);
    expect((await pending.get('/signin/verify')).headers.get('location')).toBe('/signin');
  });

  it('asks for the password again after 5 minutes before 2FA can be changed, and shows no element until then', async () => {
    const client = demo.client();
    await signUpClient(client);
    expect(await (await client.get('/security')).text()).toContain('<totp-activate');
    demo.advance(5 * MINUTE + 1000);
    const stale = await (await client.get('/security')).text();
    expect(stale).not.toContain('<totp-');
    expect(stale).toContain('href="/reauth?next=/security"');
    await client.form('/reauth', { password: PASSWORD, next: '/security' });
    expect(await (await client.get('/security')).text()).toContain('<totp-activate');
  });
});
