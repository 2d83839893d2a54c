/**
 * Paths match byte for byte (issue 11, item 5; protocol §2.3 check 1). Over a raw socket, because
 * every HTTP client normalises dot segments and backslashes before sending: behind each adapter a
 * path that only resolves to a call gets 404 not_found, and the call itself still answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTotpHandler } from '../../src/http/index.js';
import { createTotpkit, generateEncryptionKey, MemoryStore } from '../../src/index.js';
import { portOf, postHead, rawRequest } from './raw-socket.js';
import { ADAPTERS, type Backend, newSession, sessionUser, startBackend } from './support.js';

let backend: Backend;
afterEach(() => backend?.close());

/** Each resolves to /mfa/totp/setup under some normalisation; setup is the probe because it answers 200. */
const NEAR_MISSES = [
  ['a dot-dot segment', '/mfa/x/../totp/setup'],
  ['a dot segment', '/mfa/totp/./setup'],
  ['%2e%2e', '/mfa/x/%2e%2e/totp/setup'],
  ['%2E', '/mfa/totp/%2E/setup'],
  ['a percent-encoded letter', '/mfa/totp/%73etup'],
  ['a percent-encoded slash', '/mfa/totp%2fsetup'],
  ['a backslash', '/mfa/totp\\setup'],
  ['backslashes with a dot-dot', '/mfa/x\\..\\totp/setup'],
  ['a trailing slash', '/mfa/totp/setup/'],
  ['a double slash', '/mfa//totp/setup'],
  ['a double slash inside', '/mfa/totp//setup'],
  ['upper case', '/mfa/totp/SETUP'],
] as const;

describe.each(ADAPTERS)('exact paths behind %s', (kind) => {
  it.each(NEAR_MISSES)('answers 404 not_found for %s (%s)', async (_name, target) => {
    backend = await startBackend(kind);
    const { cookie } = newSession();
    const port = portOf(backend.baseUrl);
    const answer = await rawRequest(port, postHead(target, cookie, 2), '{}');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'not_found' } });
    // The exact path, on the same server, is the call.
    const exact = await rawRequest(port, postHead('/mfa/totp/setup', cookie, 2), '{}');
    expect(exact.status).toBe(200);
    expect(JSON.parse(exact.body)).toHaveProperty('enrollmentToken');
    expect(backend.reported).toEqual([]);
  });
});

describe('exact paths in the Fetch handler', () => {
  it('answers 404 for what survives new Request(): percent-encoding, trailing and double slashes, case', async () => {
    const handler = createTotpHandler({
      totpkit: createTotpkit({
        issuer: 'fetch',
        store: new MemoryStore(),
        keyring: { current: 'k', keys: { k: generateEncryptionKey() } },
        logger: { warn: () => {}, error: () => {} },
      }),
      basePath: '/mfa',
      getUser: sessionUser,
    });
    const post = (path: string) =>
      handler(
        new Request(`http://app.example${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Totpkit-Protocol': '1', Cookie: 'session=u-fetch' },
          body: '{}',
        }),
      );
    for (const path of [
      '/mfa/totp/%73etup',
      '/mfa/totp%2fsetup',
      '/mfa/totp/setup/',
      '/mfa//totp/setup',
      '/mfa/TOTP/setup',
    ]) {
      const response = await post(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    // What a Fetch runtime resolves before any handler runs (docs/protocol.md §2.6): the URL is
    // already /mfa/totp/setup when the handler sees it.
    expect(new URL(new Request('http://app.example/mfa/x/%2e%2e/totp/setup').url).pathname).toBe('/mfa/totp/setup');
    expect((await post('/mfa/totp/setup')).status).toBe(200);
  });
});
