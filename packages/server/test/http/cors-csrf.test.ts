/**
 * CORS with an exact-origin allowlist and the CSRF defences: Fetch Metadata, Origin, the protocol
 * header and an optional host CSRF token (checklist items 33 and 35; ASVS 4.0.3 §14.5.3,
 * ASVS 5.0 §3.5.1–3.5.3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTotpHandler } from '../../src/http/index.js';
import { type Backend, type BackendOptions, newSession, protocolHeaders, startBackend } from './support.js';

const APP = 'https://app.example';

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(options: BackendOptions['handler']): Promise<Backend> {
  backend = await startBackend('node', { handler: options });
  return backend;
}

function preflight(url: string, origin: string, method = 'POST', headers = 'content-type,totpkit-protocol') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
  });
}

describe('CORS', () => {
  it('grants a listed origin its preflight, with credentials and the protocol header', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP] } });
    const response = await preflight(`${baseUrl}/verify`, APP);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type, Totpkit-Protocol',
      'access-control-max-age': '600',
      vary: 'Origin',
      'cache-control': 'no-store',
    });
  });

  it.each([
    ['an unlisted origin', 'https://evil.example'],
    ['null', 'null'],
    ['a suffix match', 'https://evilapp.example'],
    ['a prefix match', 'https://app.example.evil.test'],
    ['another scheme', 'http://app.example'],
    ['another port', 'https://app.example:8443'],
    ['a trailing slash', 'https://app.example/'],
    ['another case', 'https://APP.example'],
  ])('grants nothing to %s (%s)', async (_name, origin) => {
    const { baseUrl, cookie } = { ...(await start({ cors: { origins: [APP] } })), ...newSession() };
    const refusedPreflight = await preflight(`${baseUrl}/verify`, origin);
    expect(refusedPreflight.status).toBe(403);
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await fetch(`${baseUrl}/status`, {
      headers: protocolHeaders(cookie, { Origin: origin, 'Sec-Fetch-Site': 'cross-site' }),
    });
    expect(actual.status).toBe(403);
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
    expect(actual.headers.get('vary')).toBe('Origin');
  });

  it('refuses a preflight for the wrong method', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP] } });
    expect((await preflight(`${baseUrl}/verify`, APP, 'GET')).status).toBe(403);
    expect((await preflight(`${baseUrl}/status`, APP, 'GET')).status).toBe(204);
  });

  it('lets a listed origin make the cross-site call and read the answer, including Retry-After', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP], credentials: false, maxAge: 60 } });
    const { cookie } = newSession();
    const response = await fetch(`${baseUrl}/status`, {
      headers: protocolHeaders(cookie, { Origin: APP, 'Sec-Fetch-Site': 'cross-site' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });

  it('answers OPTIONS with 405 when CORS is not configured', async () => {
    const { baseUrl } = await start({});
    const response = await preflight(`${baseUrl}/verify`, APP);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['a wildcard', '*'],
    ['null', 'null'],
    ['a path', 'https://app.example/'],
    ['a pattern', 'https://*.app.example'],
    ['a scheme-less host', 'app.example'],
  ])('refuses %s in the allowlist when the handler is created', (_name, origin) => {
    const make = () =>
      createTotpHandler({
        totpkit: backendStub,
        basePath: '/mfa',
        getUser: () => null,
        cors: { origins: [origin] },
      });
    expect(make).toThrow(/cors\.origins must list exact origins/);
  });
});

describe('CSRF', () => {
  it('checks the host token when configured, and lists its header in the preflight', async () => {
    const { baseUrl } = await start({
      cors: { origins: [APP] },
      csrf: { header: 'X-CSRF-Token', verify: (_request, token) => token === 'good-token' },
    });
    const { cookie } = newSession();
    const status = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/status`, { headers: protocolHeaders(cookie, headers) });
    expect(await (await status({})).json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await status({ 'X-CSRF-Token': 'bad-token' })).status).toBe(403);
    expect((await status({ 'X-CSRF-Token': 'good-token' })).status).toBe(200);
    const allowed = (await preflight(`${baseUrl}/verify`, APP)).headers.get('access-control-allow-headers');
    expect(allowed).toBe('Content-Type, Totpkit-Protocol, X-CSRF-Token');
  });

  it('trusts the public origin behind a proxy, and an Origin whose host matches over another scheme', async () => {
    const { baseUrl, origin } = await start({ csrf: { trustedOrigins: ['https://public.example'] } });
    const { cookie } = newSession();
    const status = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/status`, { headers: protocolHeaders(cookie, headers) });
    expect((await status({ Origin: 'https://public.example', 'Sec-Fetch-Site': 'same-site' })).status).toBe(200);
    expect((await status({ Origin: origin.replace('http:', 'https:') })).status).toBe(200);
    expect((await status({ Origin: 'https://other.example', 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
  });

  it('refuses a Sec-Fetch-Site value it does not know, unless the origin is trusted', async () => {
    const { baseUrl } = await start({});
    const { cookie } = newSession();
    const response = await fetch(`${baseUrl}/status`, {
      headers: protocolHeaders(cookie, { 'Sec-Fetch-Site': 'cross-galaxy' }),
    });
    expect(response.status).toBe(403);
  });

  it('checks the Origin before the session is looked up', async () => {
    const calls: string[] = [];
    const { baseUrl } = await start({
      getUser: (_request, { call }) => {
        calls.push(call);
        return null;
      },
    });
    const response = await fetch(`${baseUrl}/totp/setup`, {
      method: 'POST',
      headers: protocolHeaders('session=x', { Origin: 'https://evil.example' }),
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(calls).toEqual([]);
  });
});

/** A service stand-in for option checks, which never reach it. */
const backendStub = { verify: async () => ({ ok: false }) } as unknown as Parameters<
  typeof createTotpHandler
>[0]['totpkit'];
