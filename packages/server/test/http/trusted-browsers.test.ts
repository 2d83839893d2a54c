/**
 * "Trust this browser" over real HTTP (protocol §5.4, §5.8; docs/http.md, "Trusted browsers"),
 * behind node:http natively and through the Fetch handler: the trust a verify sets, the cookie's
 * flags as the browser receives them, the host's login skipping the challenge, and every way the
 * trust ends: expiry, deactivation, regeneration, the host's revoke-all, and the user's list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VerifiedContext } from '../../src/http/index.js';
import { generateEncryptionKey, MemoryStore, totpCode } from '../../src/index.js';
import { stagedUser } from './staged-sessions.js';
import { ADAPTERS, startBackend } from './support.js';
import {
  FIREFOX_WINDOWS,
  SAFARI_IOS,
  setCookies,
  startTrustHost,
  TRANSPORTS,
  type TrustHost,
  userOf,
} from './trust-backend.js';

let host: TrustHost;
afterEach(() => host?.close());

const DAY = 86_400_000;
const COOKIE = '__Host-totpkit-trust';

/** The trust token a verify set in the browser. */
function tokenOf(answer: { headers: Headers }): string {
  const cookie = setCookies(answer.headers).find((each) => each.name === COOKIE);
  if (!cookie) throw new Error('no trust cookie was set');
  return cookie.value;
}

describe.each(TRANSPORTS)('trusted browsers over %s', (kind) => {
  it('sets an HttpOnly, Secure, SameSite=Lax __Host- cookie for the capped days, and the host login honours it', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();

    const verified = await alice.challenge({ days: 30, userAgent: FIREFOX_WINDOWS });
    expect(verified.status).toBe(200);
    // 30 days asked, the default maxDays of 14 given.
    const until = new Date(host.clock.now() + 14 * DAY).toISOString();
    expect(verified.body).toEqual({ method: 'totp', recoveryCodesLeft: 10, trustedUntil: until });

    const [cookie, ...others] = setCookies(verified.headers);
    expect(others).toEqual([]);
    expect(cookie?.name).toBe(COOKIE);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Object.fromEntries(cookie?.attributes ?? [])).toEqual({
      path: '/',
      'max-age': String(14 * 86_400),
      httponly: true,
      secure: true,
      samesite: 'Lax',
    });
    // The token is in the cookie only: never in the body.
    expect(JSON.stringify(verified.body)).not.toContain(cookie?.value);

    const token = tokenOf(verified);
    expect(await alice.login(token)).toBe(true);
    expect(await alice.login(null)).toBe(false);
    expect(await alice.login('A'.repeat(43))).toBe(false);

    const listed = await alice.send('/trusted-browsers', undefined, { trust: token });
    expect(listed.status).toBe(200);
    expect(listed.body.browsers).toEqual([
      {
        id: expect.any(String),
        label: 'Firefox on Windows',
        createdAt: new Date(host.clock.now()).toISOString(),
        lastUsedAt: new Date(host.clock.now()).toISOString(), // the login above used it
        expiresAt: until,
        current: true,
      },
    ]);
    // From another browser (no cookie), the same record is not "this browser".
    expect((await alice.send('/trusted-browsers', undefined)).body.browsers[0].current).toBe(false);
    expect(host.reported).toEqual([]);
  });

  it('sets no cookie and no trustedUntil when the verify did not ask for trust', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    const verified = await alice.challenge();
    expect(verified.body).toEqual({ method: 'totp', recoveryCodesLeft: 10 });
    expect(verified.headers.getSetCookie()).toEqual([]);
    expect((await alice.send('/trusted-browsers', undefined)).body.browsers).toEqual([]);
  });

  it('ends the trust when it expires (injected clock)', async () => {
    host = await startTrustHost(kind, { totpkit: { trustedBrowsers: { maxDays: 3 } } });
    const alice = userOf(host);
    await alice.enrol();
    const verified = await alice.challenge({ days: 3 });
    expect(setCookies(verified.headers)[0]?.attributes.get('max-age')).toBe(String(3 * 86_400));
    const token = tokenOf(verified);

    host.clock.advance(3 * DAY - 60_000);
    expect(await alice.login(token)).toBe(true);
    host.clock.advance(60_000);
    expect(await alice.login(token)).toBe(false);
    expect((await alice.send('/trusted-browsers', undefined, { trust: token })).body.browsers).toEqual([]);
  });

  it('revokes every trust when TOTP is deactivated', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    const token = tokenOf(await alice.challenge({ days: 14 }));
    expect(await alice.login(token)).toBe(true);

    expect((await alice.send('/totp/deactivate', { code: alice.nextCode() })).status).toBe(200);
    expect(await alice.login(token)).toBe(false);
    // Turning TOTP on again does not bring the old trust back.
    await alice.enrol();
    expect(await alice.login(token)).toBe(false);
  });

  it('revokes every trust when the recovery codes are regenerated', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    const first = tokenOf(await alice.challenge({ days: 14 }));
    const second = tokenOf(await alice.challenge({ days: 14, userAgent: SAFARI_IOS }));
    expect(await alice.login(first)).toBe(true);

    const regenerated = await alice.send('/recovery-codes/regenerate', { code: alice.nextCode() });
    expect(regenerated.status).toBe(200);
    expect(await alice.login(first)).toBe(false);
    expect(await alice.login(second)).toBe(false);
    expect((await alice.send('/trusted-browsers', undefined)).body.browsers).toEqual([]);
  });

  it("revokes every trust through the host's API (a password change)", async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    const token = tokenOf(await alice.challenge({ days: 14 }));
    tokenOf(await alice.challenge({ days: 14 }));
    expect(await host.totpkit.revokeTrustedBrowsers(alice.user)).toBe(2);
    expect(await alice.login(token)).toBe(false);
    expect(await host.totpkit.revokeTrustedBrowsers(alice.user)).toBe(0);
  });

  it('lists them newest first and revokes them one by one; revoking this browser clears its cookie', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    const laptop = tokenOf(await alice.challenge({ days: 14, userAgent: FIREFOX_WINDOWS }));
    const phone = tokenOf(await alice.challenge({ days: 14, userAgent: SAFARI_IOS }));

    const listed = (await alice.send('/trusted-browsers', undefined, { trust: laptop })).body.browsers;
    expect(listed.map((each: { label: string; current: boolean }) => [each.label, each.current])).toEqual([
      ['Safari on iOS', false],
      ['Firefox on Windows', true],
    ]);
    const [phoneId, laptopId] = listed.map((each: { id: string }) => each.id);

    // The phone, from the laptop: the laptop keeps its cookie and its trust.
    const revokedPhone = await alice.send('/trusted-browsers/revoke', { id: phoneId }, { trust: laptop });
    expect(revokedPhone).toMatchObject({ status: 200, body: { revoked: 1 } });
    expect(revokedPhone.headers.getSetCookie()).toEqual([]);
    expect(await alice.login(phone)).toBe(false);
    expect(await alice.login(laptop)).toBe(true);

    // Again, or an id that never was: nothing to revoke.
    expect((await alice.send('/trusted-browsers/revoke', { id: phoneId })).body).toEqual({ revoked: 0 });
    expect((await alice.send('/trusted-browsers/revoke', { id: 'no-such-id' })).body).toEqual({ revoked: 0 });

    // The laptop, from the laptop: its cookie is cleared in the same answer.
    const revokedLaptop = await alice.send('/trusted-browsers/revoke', { id: laptopId }, { trust: laptop });
    expect(revokedLaptop.body).toEqual({ revoked: 1 });
    const [cleared] = setCookies(revokedLaptop.headers);
    expect(cleared?.name).toBe(COOKIE);
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.get('max-age')).toBe('0');
    expect(cleared?.attributes.get('path')).toBe('/');
    expect(cleared?.attributes.get('secure')).toBe(true);
    expect(await alice.login(laptop)).toBe(false);
  });

  it('revokes all at once through the endpoint, clearing the cookie of the browser that asked', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    const laptop = tokenOf(await alice.challenge({ days: 14 }));
    const phone = tokenOf(await alice.challenge({ days: 14 }));
    const revoked = await alice.send('/trusted-browsers/revoke', { all: true }, { trust: laptop });
    expect(revoked.body).toEqual({ revoked: 2 });
    expect(setCookies(revoked.headers)[0]?.attributes.get('max-age')).toBe('0');
    expect(await alice.login(laptop)).toBe(false);
    expect(await alice.login(phone)).toBe(false);
    expect((await alice.send('/trusted-browsers', undefined)).body.browsers).toEqual([]);
  });

  it("rejects a trust token stolen from another user, and cannot see or revoke the other user's browsers", async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    const mallory = userOf(host);
    await alice.enrol();
    await mallory.enrol();
    const stolen = tokenOf(await alice.challenge({ days: 14 }));
    const aliceId = (await alice.send('/trusted-browsers', undefined)).body.browsers[0].id;

    expect(await mallory.login(stolen)).toBe(false);
    expect((await mallory.send('/trusted-browsers', undefined, { trust: stolen })).body.browsers).toEqual([]);
    const revoke = await mallory.send('/trusted-browsers/revoke', { id: aliceId }, { trust: stolen });
    expect(revoke.body).toEqual({ revoked: 0 });
    // Her own trust is untouched, and a cookie that is not hers was not cleared on her behalf.
    expect(revoke.headers.getSetCookie()).toEqual([]);
    expect(await alice.login(stolen)).toBe(true);
  });

  it('never lets a trusted browser skip reauthentication for a sensitive change', async () => {
    host = await startTrustHost(kind, {
      totpkit: { codeReauthentication: false, adapter: { requireRecentAuth: () => true } },
    });
    const alice = userOf(host);
    // With recent authentication always required, setup is refused: the authenticator is imported.
    await host.totpkit.importAuthenticator(alice.user, { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    const code = () => {
      host.clock.advance(30_000);
      return totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', { time: host.clock.now() / 1000 });
    };
    const verified = await alice.send('/verify', { code: code(), trustBrowserDays: 14 }, { pending: true });
    const token = tokenOf(verified);
    expect(await alice.login(token)).toBe(true);

    for (const [path, body] of [
      ['/totp/deactivate', { code: code() }],
      ['/recovery-codes/regenerate', { code: code() }],
    ] as const) {
      const refused = await alice.send(path, body, { trust: token });
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('reauthentication_required');
    }
    expect((await alice.send('/status', undefined, { trust: token })).body.reauthenticationRequired).toBe(true);
  });
});

describe('trusted browsers, the host side', () => {
  it("revokes every trust when the keyring's current key changes, and TOTP goes on working", async () => {
    const store = new MemoryStore();
    const k1 = generateEncryptionKey();
    host = await startTrustHost('node', { totpkit: { store, keyring: { current: 'k1', keys: { k1 } } } });
    const alice = userOf(host);
    await alice.enrol();
    const token = tokenOf(await alice.challenge({ days: 14 }));
    expect(await alice.login(token)).toBe(true);
    const clock = host.clock.now();
    await host.close();

    // The same store, a new current key (the old one kept for the sealed secrets).
    host = await startTrustHost('node', {
      totpkit: { store, keyring: { current: 'k2', keys: { k1, k2: generateEncryptionKey() } } },
    });
    host.clock.advance(Math.max(0, clock - host.clock.now()));
    const again = userOf(host, alice.identity());
    expect(await again.login(token)).toBe(false);
    expect((await again.challenge()).status).toBe(200);
  });

  it.each(ADAPTERS)('sets the cookie next to the host cookie behind the %s adapter', async (kind) => {
    const backend = await startBackend(kind, {
      totpkit: { trustedBrowsers: true },
      handler: {
        getUser: stagedUser,
        afterVerify: () => ({ 'Set-Cookie': 'session=rotated; Path=/; HttpOnly' }),
      },
    });
    try {
      const session = `session=user-${kind}-${backend.clock.now()}`;
      const send = (path: string, body: unknown, cookie = session) =>
        fetch(`${backend.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Totpkit-Protocol': '1', Cookie: cookie },
          body: JSON.stringify(body),
        });
      const setup = await (await send('/totp/setup', {})).json();
      const code = () => totpCode(setup.secret, { time: backend.clock.now() / 1000 });
      expect((await send('/totp/activate', { enrollmentToken: setup.enrollmentToken, code: code() })).status).toBe(200);
      backend.clock.advance(30_000);
      const verified = await send('/verify', { code: code(), trustBrowserDays: 14 }, `${session}; stage=pending`);
      expect(verified.status).toBe(200);
      const cookies = setCookies(verified.headers);
      expect(cookies.map((each) => each.name)).toEqual(['session', COOKIE]);
      expect(Object.fromEntries(cookies[1]?.attributes ?? [])).toEqual({
        path: '/',
        'max-age': String(14 * 86_400),
        httponly: true,
        secure: true,
        samesite: 'Lax',
      });
    } finally {
      await backend.close();
    }
  });

  it('with trustCookie: false sets no cookie, and afterVerify receives the trust to set itself', async () => {
    const contexts: VerifiedContext[] = [];
    host = await startTrustHost('node', {
      handler: {
        trustCookie: false,
        afterVerify: (context) => {
          contexts.push(context);
          return context.trust ? { 'Set-Cookie': `app-trust=${context.trust.token}; Path=/; HttpOnly` } : undefined;
        },
      },
    });
    const alice = userOf(host);
    await alice.enrol();
    const verified = await alice.challenge({ days: 7 });
    expect(verified.body.trustedUntil).toBe(new Date(host.clock.now() + 7 * DAY).toISOString());
    const [cookie, ...others] = setCookies(verified.headers);
    expect(others).toEqual([]);
    expect(cookie?.name).toBe('app-trust');
    expect(contexts[0]?.trust).toEqual({ token: cookie?.value, id: expect.any(String), expiresAt: expect.any(Date) });
    expect(await host.totpkit.isBrowserTrusted(alice.user, cookie?.value)).toBe(true);

    // A verify that did not ask for trust has no `trust` at all.
    await alice.challenge();
    expect(contexts[1]).not.toHaveProperty('trust');
  });

  it('does not hand the token to afterVerify when the handler sets the cookie itself', async () => {
    const contexts: VerifiedContext[] = [];
    host = await startTrustHost('node', { handler: { afterVerify: (context) => void contexts.push(context) } });
    const alice = userOf(host);
    await alice.enrol();
    const verified = await alice.challenge({ days: 14 });
    expect(verified.headers.getSetCookie()).toHaveLength(1);
    expect(contexts[0]).not.toHaveProperty('trust');
  });

  it('keeps the cookie of afterVerify next to its own', async () => {
    host = await startTrustHost('fetch', {
      handler: { afterVerify: () => ({ 'Set-Cookie': 'session=rotated; Path=/; HttpOnly' }) },
    });
    const alice = userOf(host);
    await alice.enrol();
    const names = setCookies((await alice.challenge({ days: 14 })).headers).map((each) => each.name);
    expect(names).toEqual(['session', COOKIE]);
  });

  it('uses the cookie name the host chose', async () => {
    host = await startTrustHost('node', {
      handler: { trustCookie: { name: '__Host-app-mfa' } },
      cookieName: '__Host-app-mfa',
    });
    const alice = userOf(host);
    await alice.enrol();
    const [cookie] = setCookies((await alice.challenge({ days: 14 })).headers);
    expect(cookie?.name).toBe('__Host-app-mfa');
    expect(await alice.login(cookie?.value ?? null, '__Host-app-mfa')).toBe(true);
  });

  it('answers 404 not_found to the list and revoke calls, and trustedUntil null, when the service trusts no browser', async () => {
    host = await startTrustHost('node', { totpkit: { trustedBrowsers: false } });
    const alice = userOf(host);
    await alice.enrol();
    const status = await alice.send('/status', undefined);
    expect(status.body.features).toEqual({ trustedBrowsers: null, codeReauthentication: true });
    for (const [path, body] of [
      ['/trusted-browsers', undefined],
      ['/trusted-browsers/revoke', { all: true }],
    ] as const) {
      const answer = await alice.send(path, body);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    const verified = await alice.challenge({ days: 14 });
    expect(verified.body).toEqual({ method: 'totp', recoveryCodesLeft: 10, trustedUntil: null });
    expect(verified.headers.getSetCookie()).toEqual([]);
  });

  it('tells pending sessions the features, and refuses them the new calls with 401', async () => {
    host = await startTrustHost('node', { totpkit: { trustedBrowsers: { maxDays: 30 } } });
    const alice = userOf(host);
    await alice.enrol();
    const status = await alice.send('/status', undefined, { pending: true });
    expect(status.body).toMatchObject({
      pending: true,
      features: { trustedBrowsers: { maxDays: 30 }, codeReauthentication: true },
    });
    for (const [path, body] of [
      ['/trusted-browsers', undefined],
      ['/trusted-browsers/revoke', { all: true }],
      ['/reauthenticate', { code: '123456' }],
    ] as const) {
      const refused = await alice.send(path, body, { pending: true });
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses a trust request outside 1 to 365 days, and a revoke body that is neither an id nor all', async () => {
    host = await startTrustHost('node');
    const alice = userOf(host);
    await alice.enrol();
    for (const days of [0, 366, 1.5, '14']) {
      const answer = await alice.send('/verify', { code: alice.nextCode(), trustBrowserDays: days }, { pending: true });
      expect(answer.status, String(days)).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'invalid_request', field: 'trustBrowserDays' });
    }
    for (const body of [{}, { all: false }, { id: '' }, { id: 'x', all: true }]) {
      const answer = await alice.send('/trusted-browsers/revoke', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
  });
});
