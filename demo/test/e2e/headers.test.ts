/**
 * Issue 16, items 3 and 5: `next` redirects stay on the site, and the cookie and headers are what
 * a page over HTTPS needs. The demo runs behind a pretend TLS proxy on loopback (TRUST_PROXY), so
 * one server answers both plain HTTP requests and "HTTPS" ones (X-Forwarded-Proto: https).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../server/guards.js';
import { safeNext } from '../../server/redirects.js';
import { type DemoServer, startDemo } from '../support/demo-server.js';
import { PASSWORD, uniqueUsername } from '../support/flows.js';
import { Client } from '../support/http.js';

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemo({ TRUST_PROXY: 'loopback' });
});
afterAll(async () => {
  await demo?.stop();
});

const HTTPS = { 'X-Forwarded-Proto': 'https' };

const OFF_SITE = [
  '//evil.example',
  '//ai',
  '/\\evil.example',
  '/\\/evil.example',
  '/%2f%2fevil.example',
  '/%2F/evil.example',
  '/%5cevil.example',
  '/%5c%5cevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  '/\n/evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  'evil.example',
  '',
  '/%',
];

describe('the reauthentication redirect', () => {
  // One signed-in browser for every case: each confirmation gives it a new session id, which it keeps.
  let client: Client;
  beforeAll(async () => {
    client = new Client(demo.url);
    await client.form('/signup', { username: uniqueUsername(), password: PASSWORD });
  });

  it.each(OFF_SITE.map((next) => [JSON.stringify(next), next]))(
    'sends %s to / after the password, not off the site',
    async (_label, next) => {
      const page = await (await client.get(`/reauth?next=${encodeURIComponent(next)}`)).text();
      expect(page).toContain('<input type="hidden" name="next" value="/">');
      const response = await client.form('/reauth', { password: PASSWORD, next });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/');
    },
  );

  it('keeps a path on the site, with its query', async () => {
    const response = await client.form('/reauth', { password: PASSWORD, next: '/security?from=home' });
    expect(response.headers.get('location')).toBe('/security?from=home');
  });

  it('resolves every accepted value to this origin, whatever the URL parser does with it', () => {
    const origin = 'https://demo.example';
    for (const next of [...OFF_SITE, '/security', '/a/../b', '/a%2f%2fb', '/?next=//evil']) {
      expect(new URL(safeNext(next), origin).origin).toBe(origin);
    }
  });
});

describe('cookies and headers', () => {
  it('sends a __Host- cookie, Secure, HttpOnly and SameSite=Lax, and HSTS over HTTPS', async () => {
    const client = new Client(demo.url, HTTPS);
    const response = await client.form('/signup', { username: uniqueUsername(), password: PASSWORD });
    expect(response.headers.get('set-cookie')).toMatch(
      /^__Host-sid=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(await (await client.get('/')).text()).toContain('Hello,');
    // The same id in a plain `sid` cookie means nothing over HTTPS: only __Host-sid is read there.
    const plain = await fetch(`${demo.url}/`, { headers: { ...HTTPS, Cookie: `sid=${client.sessionId}` } });
    expect(await plain.text()).not.toContain('Hello,');
  });

  it('sends a plain cookie and no HSTS over HTTP', async () => {
    const client = new Client(demo.url);
    const response = await client.form('/signup', { username: uniqueUsername(), password: PASSWORD });
    expect(response.headers.get('set-cookie')).toMatch(/^sid=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends the CSP and the other headers on pages, assets, errors and the protocol', async () => {
    for (const path of ['/', '/signin', '/assets/app.js', '/nope', '/mfa/status']) {
      const response = await fetch(`${demo.url}${path}`, { headers: HTTPS });
      expect(response.headers.get('content-security-policy'), path).toBe(CSP);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
    }
    expect(CSP).not.toContain('unsafe-inline');
    expect(CSP).toContain("img-src 'self' data:");
  });
});

describe('a demo that trusts no proxy', () => {
  it('ignores X-Forwarded-Proto: no Secure cookie, no HSTS', async () => {
    const direct = await startDemo();
    try {
      const client = new Client(direct.url, HTTPS);
      const response = await client.form('/signup', { username: uniqueUsername(), password: PASSWORD });
      expect(response.headers.get('set-cookie')).toMatch(/^sid=/);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await direct.stop();
    }
  });
});
