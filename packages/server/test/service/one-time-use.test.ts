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

  it("refuses a replay by an instance that read a stale authenticator: the store's compare-and-set decides", async () => {
    // Two service instances, each with its own replay cache, the second reading a stale
    // authenticator record, which is what two app servers racing look like. No cache is shared:
    // the step's compare-and-set in the store refuses the second.
    const store = new MemoryStore();
    const fixture = makeService({}, { store });
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
    const second = makeService({ keyring: fixture.options.keyring }, { store: staleStore });
    second.clock.advance((fixture.clock.now() - second.clock.now()) / 1000);
    expect(await fixture.kit.verify(user, current)).toMatchObject({ ok: true });
    expect(await second.kit.verify(user, current)).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('claims no TOTP step in the replay cache: the stored step holds a used code on every clock (checklist item 9)', async () => {
    const store = new MemoryStore();
    const claims = new Map<string, number>();
    const cache = new MemoryReplayCache({ now: () => fixture.clock.now() });
    const spy = {
      claim: (key: string, expiresAt: number) => {
        claims.set(key, expiresAt);
        return cache.claim(key, expiresAt);
      },
    };
    const fixture = makeService({ tolerance: 1 }, { store, replayCache: spy });
    const { code } = await enroll(fixture, user);
    const used = code();
    expect(await fixture.kit.verify(user, used)).toMatchObject({ ok: true });
    // Only the enrollment token was claimed, until its expiry (10 minutes) plus the 300 s margin.
    expect([...claims.keys()]).toEqual([expect.stringMatching(/^enrollment:/)]);
    // An instance whose clock runs 30 s behind, which still finds the code inside its window,
    // refuses it: the used step is stored, not held for a time.
    const behind = makeService({ tolerance: 1, keyring: fixture.options.keyring }, { store });
    behind.clock.advance((fixture.clock.now() - behind.clock.now()) / 1000 - 30);
    expect(await behind.kit.verify(user, used)).toEqual({ ok: false, error: 'invalid_code' });
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
