/**
 * Issue 16, "Responses that leak today": every refusal and failure answers with a short page (or
 * JSON) that names no file, no library and no line of code, whatever NODE_ENV is; storage errors
 * are logged once with the request id the page shows. Over real HTTP against `server/main.js`.
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemo } from '../support/demo-server.js';
import { PASSWORD, uniqueUsername } from '../support/flows.js';
import { Client } from '../support/http.js';

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemo({ NODE_ENV: '' }); // unset: the case where Express prints stacks
});
afterAll(async () => {
  await demo?.stop();
});

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' };

/** Nothing in a body that helps an attacker or scares a user: no stack, path or library name. */
function expectNoLeak(body: string) {
  expect(body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\/tmp\/|file:\/\/|Error:|TypeError|Sqlite/i);
  expect(body).not.toContain(demo.dataDir);
}

const post = (path: string, body: BodyInit | undefined, headers: Record<string, string>) =>
  fetch(`${demo.url}${path}`, { method: 'POST', redirect: 'manual', headers, body });

describe('error responses', () => {
  it.each([
    ['a form over 4 KB', 413, () => post('/signin', `username=${'a'.repeat(5000)}&password=x`, FORM)],
    [
      'charset=utf-7',
      415,
      () => post('/signin', 'username=a', { ...FORM, 'Content-Type': `${FORM['Content-Type']}; charset=utf-7` }),
    ],
    ['a JSON body', 415, () => post('/signup', '{"username":"ada"}', { ...FORM, 'Content-Type': 'application/json' })],
    ['no body at all', 400, () => post('/signin', undefined, { 'Sec-Fetch-Site': 'same-origin' })],
    ['an empty sign-in form', 400, () => post('/signin', '', FORM)],
    [
      'a content encoding the server cannot read',
      415,
      () => post('/signup', 'x', { ...FORM, 'Content-Encoding': 'br2' }),
    ],
    ['a missing asset', 404, () => fetch(`${demo.url}/assets/nope.js`)],
    ['/assets/%', 400, () => fetch(`${demo.url}/assets/%`)],
    ['/assets/..%2f…', 403, () => fetch(`${demo.url}/assets/..%2f..%2fpackage.json`)],
    ['/assets/%2e%2e/…', 404, () => fetch(`${demo.url}/assets/%2e%2e/%2e%2e/server/main.js`)],
    ['an unknown page', 404, () => fetch(`${demo.url}/nope`)],
  ])('answers %s with %i and a page that leaks nothing', async (_name, status, send) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const body = await response.text();
    expect(body).toMatch(/<h1>[^<]+<\/h1>/);
    expectNoLeak(body);
  });

  it('answers a POST with no body as a bad request even signed out, on each form', async () => {
    for (const path of ['/signup', '/signin', '/reauth']) {
      const response = await post(path, undefined, { 'Sec-Fetch-Site': 'same-origin' });
      expect(response.status).toBe(400);
    }
  });

  it('answers a client that asks for JSON in JSON', async () => {
    const response = await fetch(`${demo.url}/nope`, { headers: { Accept: 'application/json' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { status: 404, message: 'There is nothing here.' } });
  });

  it('answers a locked database with 500 and a request id, logged once, without the SQLite error', async () => {
    // Another process holds the write lock, as a backup tool or a stuck migration would.
    const blocker = new Database(join(demo.dataDir, 'demo.sqlite'));
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      const response = await post(
        '/signup',
        new URLSearchParams({ username: uniqueUsername(), password: PASSWORD }),
        FORM,
      );
      expect(response.status).toBe(500);
      const requestId = response.headers.get('x-request-id') as string;
      expect(requestId).toMatch(/^[0-9a-f]{12}$/);
      const body = await response.text();
      expect(body).toContain(`request <code>${requestId}</code>`);
      expectNoLeak(body);
      const lines = demo
        .output()
        .split('\n')
        .filter((line) => line.includes(requestId));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^demo: request [0-9a-f]{12} \(POST \/signup\) failed:/);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    // And it recovers once the lock is gone.
    const again = await post('/signup', new URLSearchParams({ username: uniqueUsername(), password: PASSWORD }), FORM);
    expect(again.status).toBe(303);
  });

  it('logs a store failure behind /mfa once, with the request id of the 503', async () => {
    const client = new Client(demo.url);
    await client.form('/signup', { username: uniqueUsername(), password: PASSWORD });
    const blocker = new Database(join(demo.dataDir, 'demo.sqlite'));
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      const response = await client.mfa('/totp/setup', {});
      expect(response.status).toBe(503);
      const requestId = response.headers.get('x-request-id') as string;
      const body = await response.text();
      expectNoLeak(body);
      const lines = demo
        .output()
        .split('\n')
        .filter((line) => line.includes(requestId));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^demo: request [0-9a-f]{12} \(\/mfa setup\) failed:/);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
  });
});
