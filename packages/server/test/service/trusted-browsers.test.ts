/**
 * Trusted browsers through the service ("don't ask again on this browser"): minted only by a
 * successful verify, honoured by `isBrowserTrusted` until it expires (injected clock), and
 * revoked by deactivation, regeneration, a new current key, the host's revoke-all and the user
 * one by one. A token is bound to its user, and trust never answers `requireRecentAuth`.
 */
import { describe, expect, it } from 'vitest';
import {
  createKeyring,
  generateEncryptionKey,
  MemoryStore,
  type TotpAdapter,
  type TotpkitOptions,
  type TotpStore,
  type TotpUser,
} from '../../src/index.js';
import { MAX_TRUSTED_BROWSERS } from '../../src/service/trusted-browsers.js';
import { browserLabel, cleanLabel } from '../../src/service/user-agent.js';
import { enroll, makeService } from '../support/service-fixture.js';

const ada: TotpUser = { id: 'u-ada', email: 'ada@example.com' };
const grace: TotpUser = { id: 'u-grace', email: 'grace@example.com' };
const DAY_S = 86_400;
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

function trusting(overrides: Partial<TotpkitOptions> = {}) {
  const events: [string, unknown][] = [];
  const adapter: TotpAdapter = {
    onBrowserTrusted: (_user, event) => void events.push(['onBrowserTrusted', event]),
    onReauthenticated: (_user, event) => void events.push(['onReauthenticated', event]),
  };
  const fixture = makeService({ trustedBrowsers: true, adapter, ...overrides });
  return { ...fixture, events };
}

/** Enrols `user`, then verifies with trust asked for `days`; the clock is one step on afterwards. */
async function trusted(fixture: ReturnType<typeof trusting>, user: TotpUser, days = 14) {
  const enrolled = await enroll(fixture, user);
  const result = await fixture.kit.verify(user, enrolled.code(), {
    trustBrowser: { days, userAgent: FIREFOX_WINDOWS },
  });
  if (!result.ok || !result.trust) throw new Error('trust was not minted');
  fixture.clock.advance(30);
  return { ...enrolled, trust: result.trust };
}

describe('options', () => {
  it('is off by default, 14 days with true, and checks maxDays from 1 to 365', () => {
    expect(makeService().kit.config.trustedBrowsers).toBeNull();
    expect(makeService({ trustedBrowsers: true }).kit.config.trustedBrowsers).toEqual({ maxDays: 14 });
    expect(makeService({ trustedBrowsers: { maxDays: 30 } }).kit.config.trustedBrowsers).toEqual({ maxDays: 30 });
    expect(makeService({ trustedBrowsers: {} }).kit.config.trustedBrowsers).toEqual({ maxDays: 14 });
    for (const maxDays of [0, 366, 1.5]) {
      expect(() => makeService({ trustedBrowsers: { maxDays } })).toThrow(/trustedBrowsers\.maxDays/);
    }
  });

  it('refuses trustedBrowsers over a store without the trusted-browser methods, naming them', () => {
    const memory = new MemoryStore();
    const bare = {
      getAuthenticator: memory.getAuthenticator.bind(memory),
      createAuthenticator: memory.createAuthenticator.bind(memory),
      advanceLastUsedStep: memory.advanceLastUsedStep.bind(memory),
      replaceEncryptedSecret: memory.replaceEncryptedSecret.bind(memory),
      deleteAuthenticator: memory.deleteAuthenticator.bind(memory),
      getRecoveryCodeCounts: memory.getRecoveryCodeCounts.bind(memory),
      consumeRecoveryCode: memory.consumeRecoveryCode.bind(memory),
      replaceRecoveryCodes: memory.replaceRecoveryCodes.bind(memory),
    } satisfies TotpStore;
    expect(() => makeService({ trustedBrowsers: true, store: bare })).toThrow(
      expect.objectContaining({ code: 'invalid_configuration', message: expect.stringMatching(/addTrustedBrowser/) }),
    );
    expect(makeService({ store: bare }).kit.config.trustedBrowsers).toBeNull();
  });
});

describe('trust set and honoured', () => {
  it('mints a 43-character token on a successful verify, capped at maxDays, and emits onBrowserTrusted', async () => {
    const fixture = trusting({ trustedBrowsers: { maxDays: 30 } });
    const { code } = await enroll(fixture, ada);
    const at = fixture.clock.now();
    const result = await fixture.kit.verify(ada, code(), { trustBrowser: { days: 365, userAgent: FIREFOX_WINDOWS } });
    expect(result).toMatchObject({ ok: true, method: 'totp' });
    if (!result.ok || !result.trust) throw new Error('no trust');
    expect(result.trust.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.trust.expiresAt).toEqual(new Date(at + 30 * DAY_S * 1000));
    expect(fixture.events).toEqual([
      [
        'onBrowserTrusted',
        { at: new Date(at), id: result.trust.id, label: 'Firefox on Windows', expiresAt: result.trust.expiresAt },
      ],
    ]);
    expect(await fixture.kit.isBrowserTrusted(ada, result.trust.token)).toBe(true);
  });

  it('leaves the result as before when no trust is asked, and null trust when the feature is off', async () => {
    const on = trusting();
    const { code } = await enroll(on, ada);
    expect(await on.kit.verify(ada, code())).toEqual({ ok: true, method: 'totp', recoveryCodesLeft: 10 });
    expect(await on.kit.listTrustedBrowsers(ada)).toEqual([]);

    const off = makeService();
    const enrolled = await enroll(off, ada);
    expect(await off.kit.verify(ada, enrolled.code(), { trustBrowser: { days: 7 } })).toEqual({
      ok: true,
      method: 'totp',
      recoveryCodesLeft: 10,
      trust: null,
    });
    expect(await off.kit.isBrowserTrusted(ada, 'A'.repeat(43))).toBe(false);
  });

  it('never mints trust for a wrong, replayed or malformed code', async () => {
    const fixture = trusting();
    const { code } = await enroll(fixture, ada);
    const ask = { trustBrowser: { days: 14 } };
    expect(await fixture.kit.verify(ada, code() === '000000' ? '111111' : '000000', ask)).toEqual({
      ok: false,
      error: 'invalid_code',
    });
    expect(await fixture.kit.verify(ada, 'not a code', ask)).toEqual({ ok: false, error: 'invalid_code' });
    expect(await fixture.kit.verify(ada, code(), ask)).toMatchObject({ ok: true });
    expect(await fixture.kit.verify(ada, code(), ask)).toEqual({ ok: false, error: 'invalid_code' });
    expect(await fixture.kit.listTrustedBrowsers(ada)).toHaveLength(1);
    expect(fixture.events.filter(([name]) => name === 'onBrowserTrusted')).toHaveLength(1);
  });

  it('refuses a days that is not a whole number from 1 to 365 before the code is spent', async () => {
    const fixture = trusting();
    const { code } = await enroll(fixture, ada);
    for (const days of [0, 366, 2.5, Number.NaN, '7' as unknown as number]) {
      await expect(fixture.kit.verify(ada, code(), { trustBrowser: { days } })).rejects.toThrow(TypeError);
    }
    expect(await fixture.kit.verify(ada, code(), { trustBrowser: { days: 1 } })).toMatchObject({ ok: true });
  });

  it('trusts after a recovery code too, and counts it consumed', async () => {
    const fixture = trusting();
    const { recoveryCodes } = await enroll(fixture, ada);
    const result = await fixture.kit.verify(ada, recoveryCodes[0], { trustBrowser: { days: 3 } });
    expect(result).toMatchObject({ ok: true, method: 'recovery_code', recoveryCodesLeft: 9 });
    if (!result.ok || !result.trust) throw new Error('no trust');
    expect(await fixture.kit.isBrowserTrusted(ada, result.trust.token)).toBe(true);
  });

  it('records the last use, and lists the browser with its label, newest first, marking the current one', async () => {
    const fixture = trusting();
    const first = await trusted(fixture, ada);
    const createdAt = new Date(fixture.clock.now() - 30_000);
    fixture.clock.advance(DAY_S);
    const second = await fixture.kit.verify(ada, first.code(), {
      trustBrowser: {
        days: 14,
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      },
    });
    if (!second.ok || !second.trust) throw new Error('no trust');
    fixture.clock.advance(60);
    const used = fixture.clock.now();
    expect(await fixture.kit.isBrowserTrusted(ada, first.trust.token)).toBe(true);
    expect(await fixture.kit.listTrustedBrowsers(ada, first.trust.token)).toEqual([
      {
        id: second.trust.id,
        label: 'Safari on iOS',
        createdAt: new Date(used - 60_000),
        lastUsedAt: null,
        expiresAt: second.trust.expiresAt,
        current: false,
      },
      {
        id: first.trust.id,
        label: 'Firefox on Windows',
        createdAt,
        lastUsedAt: new Date(used),
        expiresAt: first.trust.expiresAt,
        current: true,
      },
    ]);
    expect((await fixture.kit.listTrustedBrowsers(ada)).map((browser) => browser.current)).toEqual([false, false]);
  });
});

describe('trust bounded', () => {
  it(`keeps the newest ${MAX_TRUSTED_BROWSERS} trusted browsers of a user, forgetting the oldest`, async () => {
    const fixture = trusting();
    const first = await trusted(fixture, ada);
    const ids = [first.trust.id];
    for (let i = 1; i <= MAX_TRUSTED_BROWSERS; i++) {
      const result = await fixture.kit.verify(ada, first.code(), { trustBrowser: { days: 14 } });
      if (!result.ok || !result.trust) throw new Error('no trust');
      ids.push(result.trust.id);
      fixture.clock.advance(30);
    }
    const listed = await fixture.kit.listTrustedBrowsers(ada);
    expect(listed.map((browser) => browser.id)).toEqual(ids.slice(1).reverse());
    expect(await fixture.kit.isBrowserTrusted(ada, first.trust.token)).toBe(false);
  });
});

describe('trust refused', () => {
  it('expires: trusted until just before expiresAt, not at it, and no longer listed', async () => {
    const fixture = trusting();
    const { trust } = await trusted(fixture, ada, 14);
    fixture.clock.advance((trust.expiresAt.getTime() - fixture.clock.now()) / 1000 - 1);
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(true);
    fixture.clock.advance(1);
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    expect(await fixture.kit.listTrustedBrowsers(ada)).toEqual([]);
  });

  it("rejects another user's token: a stolen cookie works for its own account only", async () => {
    const fixture = trusting();
    const { trust } = await trusted(fixture, ada);
    await enroll(fixture, grace);
    expect(await fixture.kit.isBrowserTrusted(grace, trust.token)).toBe(false);
    expect((await fixture.kit.listTrustedBrowsers(grace, trust.token)).length).toBe(0);
    expect(await fixture.kit.revokeTrustedBrowser(grace, trust.id)).toBe(false);
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(true);
  });

  it('rejects missing, malformed and unknown tokens without an error', async () => {
    const fixture = trusting();
    const { trust } = await trusted(fixture, ada);
    const tampered = (trust.token[0] === 'A' ? 'B' : 'A') + trust.token.slice(1);
    for (const token of [null, undefined, '', 'short', `${trust.token}x`, `${trust.token.slice(0, 42)}.`, tampered]) {
      expect(await fixture.kit.isBrowserTrusted(ada, token)).toBe(false);
    }
    expect(await fixture.kit.isBrowserTrusted(ada, 42 as unknown as string)).toBe(false);
  });

  it('fails closed when the store fails: store_unavailable, never trusted', async () => {
    const store = new MemoryStore();
    const fixture = trusting({ store });
    const { trust } = await trusted(fixture, ada);
    store.getTrustedBrowser = async () => {
      throw new Error('connection reset');
    };
    await expect(fixture.kit.isBrowserTrusted(ada, trust.token)).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});

describe('trust revoked', () => {
  it('by deactivation, and none comes back when TOTP is set up again', async () => {
    const fixture = trusting();
    const { trust, code } = await trusted(fixture, ada);
    expect(await fixture.kit.deactivate(ada, { code: code() })).toEqual({ ok: true });
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    await enroll(fixture, ada);
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    expect(await fixture.kit.listTrustedBrowsers(ada)).toEqual([]);
  });

  it('by regenerating the recovery codes', async () => {
    const fixture = trusting();
    const { trust, code } = await trusted(fixture, ada);
    expect(await fixture.kit.regenerateRecoveryCodes(ada, { code: code() })).toMatchObject({ ok: true });
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    expect(await fixture.kit.listTrustedBrowsers(ada)).toEqual([]);
  });

  it('by a new current key in the keyring: old trust is unmatched and unlisted, TOTP still works', async () => {
    const k1 = generateEncryptionKey();
    const store = new MemoryStore();
    const before = trusting({ store, keyring: createKeyring({ current: 'k1', keys: { k1 } }) });
    const { trust, code } = await trusted(before, ada);
    const after = trusting({
      store,
      now: before.clock.now,
      keyring: createKeyring({ current: 'k2', keys: { k2: generateEncryptionKey(), k1 } }),
    });
    expect(await after.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    expect(await after.kit.listTrustedBrowsers(ada, trust.token)).toEqual([]);
    expect(await after.kit.verify(ada, code())).toMatchObject({ ok: true });
    // The old service, still on k1, would honour it: the key is what changed.
    expect(await before.kit.isBrowserTrusted(ada, trust.token)).toBe(true);
  });

  it("by the host's revoke-all (a password change), which counts them", async () => {
    const fixture = trusting();
    const { trust, code } = await trusted(fixture, ada);
    const again = await fixture.kit.verify(ada, code(), { trustBrowser: { days: 2 } });
    if (!again.ok || !again.trust) throw new Error('no trust');
    expect(await fixture.kit.revokeTrustedBrowsers(ada)).toBe(2);
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    expect(await fixture.kit.isBrowserTrusted(ada, again.trust.token)).toBe(false);
    expect(await fixture.kit.revokeTrustedBrowsers(ada)).toBe(0);
  });

  it("one by one: only that browser, and never another user's", async () => {
    const fixture = trusting();
    const { trust, code } = await trusted(fixture, ada);
    const other = await trusted(fixture, grace);
    const again = await fixture.kit.verify(ada, code(), { trustBrowser: { days: 2 } });
    if (!again.ok || !again.trust) throw new Error('no trust');
    expect(await fixture.kit.revokeTrustedBrowser(ada, other.trust.id)).toBe(false);
    expect(await fixture.kit.revokeTrustedBrowser(ada, 'no-such-id')).toBe(false);
    expect(await fixture.kit.revokeTrustedBrowser(ada, trust.id)).toBe(true);
    expect(await fixture.kit.revokeTrustedBrowser(ada, trust.id)).toBe(false);
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(false);
    expect(await fixture.kit.isBrowserTrusted(ada, again.trust.token)).toBe(true);
    expect(await fixture.kit.isBrowserTrusted(grace, other.trust.token)).toBe(true);
  });

  it('keeps a pending user from listing or revoking one (the list is for signed-in users)', async () => {
    const fixture = trusting();
    const { trust } = await trusted(fixture, ada);
    const pending = { ...ada, pending: true };
    await expect(fixture.kit.listTrustedBrowsers(pending)).rejects.toMatchObject({ code: 'invalid_user' });
    await expect(fixture.kit.revokeTrustedBrowser(pending, trust.id)).rejects.toMatchObject({ code: 'invalid_user' });
    // The login page asks for a pending user: that is what it is for.
    expect(await fixture.kit.isBrowserTrusted(pending, trust.token)).toBe(true);
  });
});

describe('trust and recent authentication', () => {
  it('never stands in for a code or a recent login: a stale session on a trusted browser still needs one', async () => {
    let stale = false;
    const fixture = trusting({ adapter: { requireRecentAuth: () => stale } });
    const { trust, code } = await trusted(fixture, ada);
    stale = true;
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(true);
    // Rule 5 lets a right code through; trust is not a code.
    expect(await fixture.kit.deactivate(ada, { code: '' })).toEqual({ ok: false, error: 'invalid_code' });
    expect(await fixture.kit.status(ada)).toMatchObject({ active: true });
    expect(await fixture.kit.deactivate(ada, { code: code() })).toEqual({ ok: true });
    // Setup cannot take a code: a stale session is refused, trusted browser or not.
    await expect(fixture.kit.beginSetup(ada)).rejects.toMatchObject({ code: 'reauthentication_required' });
    expect(await fixture.kit.reauthenticationRequired(ada)).toBe(true);
  });

  it('never lifts requireRecentAuth with codeReauthentication off: deactivation and regeneration refused', async () => {
    let stale = false;
    const fixture = trusting({ codeReauthentication: false, adapter: { requireRecentAuth: () => stale } });
    const { trust, code } = await trusted(fixture, ada);
    stale = true;
    expect(await fixture.kit.isBrowserTrusted(ada, trust.token)).toBe(true);
    await expect(fixture.kit.deactivate(ada, { code: code() })).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    await expect(fixture.kit.regenerateRecoveryCodes(ada, { code: code() })).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    expect(await fixture.kit.reauthenticationRequired(ada)).toBe(true);
  });
});

describe('labels', () => {
  it.each([
    [FIREFOX_WINDOWS, 'Firefox on Windows'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      'Safari on iOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1',
      'Chrome on iOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      'Safari on macOS',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Linux'],
    ['curl/8.5.0', 'Unknown browser'],
    ['', 'Unknown browser'],
    [null, 'Unknown browser'],
    [undefined, 'Unknown browser'],
    [`Firefox/1\u0000\r\n${'x'.repeat(10_000)}`, 'Firefox'],
  ])('%s → %s', (userAgent, label) => {
    expect(browserLabel(userAgent)).toBe(label);
  });

  it('cleans a label: control characters stripped, at most 64 characters, never empty', () => {
    expect(cleanLabel('Fire\u0000fox\u0007 on\r\nWindows')).toBe('Firefox on Windows');
    expect(cleanLabel('é'.repeat(100))).toHaveLength(64);
    expect(cleanLabel('\u0001\u0002')).toBe('Unknown browser');
  });
});
