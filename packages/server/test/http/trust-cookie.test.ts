/**
 * `readTrustCookie`, the host's side of the trust cookie: it reads the token from whatever request
 * object a login route has at hand, and nothing but the cookie it names.
 */
import { describe, expect, it } from 'vitest';
import { readTrustCookie } from '../../src/http/index.js';

const TOKEN = 'x'.repeat(43);
const cookie = `session=abc; __Host-totpkit-trust=${TOKEN}; theme=dark`;

describe('readTrustCookie', () => {
  it.each([
    ['a Fetch Request', new Request('https://app.example/login', { headers: { cookie } })],
    ['Fetch Headers', new Headers({ cookie })],
    ['a Node or Express request', { headers: { cookie }, get: () => 'not this one' }],
    ["node:http's IncomingHttpHeaders", { cookie }],
    ['HTTP/2 split Cookie fields', { headers: { cookie: ['session=abc', `__Host-totpkit-trust=${TOKEN}`] } }],
  ])('reads the token from %s', (_name, source) => {
    expect(readTrustCookie(source)).toBe(TOKEN);
  });

  it('reads the name the host chose, and nothing else', () => {
    expect(readTrustCookie({ cookie: `app-trust=${TOKEN}` }, 'app-trust')).toBe(TOKEN);
    expect(readTrustCookie({ cookie: `app-trust=${TOKEN}` })).toBeNull();
    expect(readTrustCookie({ cookie: `x__Host-totpkit-trust=${TOKEN}` })).toBeNull();
    expect(readTrustCookie({ cookie: '__Host-totpkit-trust=' })).toBeNull();
    expect(readTrustCookie({})).toBeNull();
    expect(readTrustCookie(new Headers())).toBeNull();
  });
});
