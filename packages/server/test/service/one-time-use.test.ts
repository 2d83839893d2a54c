/**
 * RFC 6238 §5.2: "The verifier MUST NOT accept the second attempt of the OTP after the successful
 * validation has been issued for the first OTP." Checklist items 4, 7, 8, 9 and 29.
 */
import { describe, expect, it } from 'vitest';
import { MemoryReplayCache, MemoryStore, type TotpStore, totpCode } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };

describe('one-time use of TOTP codes', () => {
  it('refuses the same code twice', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    const current = code();
    expect(await fixture.kit.verify(user, current)).toMatchObject({ ok: true });
    expect(await fixture.kit.verify(user, current)).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('refuses the same code in another spelling (the replay key is the step, not the string)', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    const current = code();
    expect(await fixture.kit.verify(user, current)).toMatchObject({ ok: true });
    for (const spelling of [
      `${current.slice(0, 3)} ${current.slice(3)}`,
      `${current.slice(0, 3)}-${current.slice(3)}`,
    ]) {
      expect(await fixture.kit.verify(user, spelling)).toEqual({ ok: false, error: 'invalid_code' });
    }
  });

  it('refuses the code of step T after the code of step T+1 was used', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    const older = code(0);
    expect(await fixture.kit.verify(user, code(1))).toMatchObject({ ok: true }); // a clock running ahead
    expect(await fixture.kit.verify(user, older)).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('refuses the activation code for login, even within its validity window', async () => {
    const fixture = makeService();
    const setup = await fixture.kit.beginSetup(user);
    const activationCode = totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
    expect(
      await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: activationCode }),
    ).toMatchObject({
      ok: true,
    });
    expect(await fixture.kit.verify(user, activationCode)).toEqual({ ok: false, error: 'invalid_code' });
    fixture.clock.advance(30); // the same code is still inside the ±1 window
    expect(await fixture.kit.verify(user, activationCode)).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('still refuses a replay when the store alone would allow it: the replay cache holds for the whole window', async () => {
    // Two service instances share a replay cache but each reads a stale authenticator record,
    // which is what two app servers racing look like. The cache claim refuses the second.
    const store = new MemoryStore();
    const replayCache = new MemoryReplayCache({ now: () => fixture.clock.now() });
    const fixture = makeService({}, { store, replayCache });
    const { code } = await enroll(fixture, user);
    const current = code();
    const stale = await store.getAuthenticator(user.id);
    const staleStore: TotpStore = {
      getAuthenticator: async () => stale,
      createAuthenticator: (...args) => store.createAuthenticator(...args),
      advanceLastUsedStep: (...args) => store.advanceLastUsedStep(...args),
      replaceEncryptedSecret: (...args) => store.replaceEncryptedSecret(...args),
      deleteAuthenticator: (...args) => store.deleteAuthenticator(...args),
      getRecoveryCodeCounts: (...args) => store.getRecoveryCodeCounts(...args),
      consumeRecoveryCode: (...args) => store.consumeRecoveryCode(...args),
      replaceRecoveryCodes: (...args) => store.replaceRecoveryCodes(...args),
    };
    const second = makeService({ keyring: fixture.options.keyring }, { store: staleStore, replayCache });
    second.clock.advance((fixture.clock.now() - second.clock.now()) / 1000);
    expect(await fixture.kit.verify(user, current)).toMatchObject({ ok: true });
    expect(await second.kit.verify(user, current)).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('holds the replay claim until the code can no longer be valid (checklist item 9)', async () => {
    const replayCache = new MemoryReplayCache({ now: () => fixture.clock.now() });
    const claims = new Map<string, number>();
    const spy = {
      claim: (key: string, expiresAt: number) => {
        claims.set(key, expiresAt);
        return replayCache.claim(key, expiresAt);
      },
    };
    const fixture = makeService({ tolerance: 1 }, { store: new MemoryStore(), replayCache: spy });
    const { code } = await enroll(fixture, user);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
    // A code of step s is accepted until (s + tolerance + 1)·period by the clock of any instance;
    // one whose clock runs the default 300 s margin behind accepts it that much longer.
    const step = Math.floor(fixture.clock.now() / 30_000);
    expect(claims.get(`totp:${user.id}:${step}`)).toBe((step + 1 + 1) * 30_000 + 300_000);
    // The activation's step, one period earlier, is held as long after its own window.
    expect(claims.get(`totp:${user.id}:${step - 1}`)).toBe((step - 1 + 1 + 1) * 30_000 + 300_000);
  });

  it('accepts each new step once', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    for (let i = 0; i < 5; i++) {
      expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true, method: 'totp' });
      fixture.clock.advance(30);
    }
  });
});

describe('one-time use of recovery codes', () => {
  it('accepts each code once, in any spelling, and counts down', async () => {
    const fixture = makeService();
    const { recoveryCodes } = await enroll(fixture, user);
    const [first, second] = recoveryCodes as [string, string];
    expect(await fixture.kit.verify(user, first.toUpperCase())).toEqual({
      ok: true,
      method: 'recovery_code',
      recoveryCodesLeft: 9,
    });
    expect(await fixture.kit.verify(user, first)).toEqual({ ok: false, error: 'invalid_code' });
    expect(await fixture.kit.verify(user, second.replace('-', ' '))).toEqual({
      ok: true,
      method: 'recovery_code',
      recoveryCodesLeft: 8,
    });
  });

  it("refuses another user's recovery code", async () => {
    const fixture = makeService();
    const other = { id: 'u-2', email: 'grace@example.com' };
    await enroll(fixture, user);
    const { recoveryCodes } = await enroll(fixture, other);
    expect(await fixture.kit.verify(user, recoveryCodes[0])).toEqual({ ok: false, error: 'invalid_code' });
  });
});
