/**
 * The whole lifecycle, run against every store (memory, SQLite, PostgreSQL) through the real
 * service: enrol, log in, refuse replays, use and regenerate recovery codes, deactivate, and the
 * races of issue 3 — 50 parallel uses of one code give exactly one success.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/index.js';
import { enroll, type Fixture, makeService, type Parts } from './service-fixture.js';

/**
 * `makeParts` receives the service's clock: stores with a replay cache judge claim expiries by
 * their own clock, so it must be the service's (as it is in production, where both read real time).
 */
export function describeLifecycle(
  name: string,
  makeParts: (now: () => number) => Promise<Parts & { cleanup?: () => Promise<void> }>,
) {
  describe(`lifecycle on ${name}`, () => {
    let parts: Parts & { cleanup?: () => Promise<void> };
    let fixture: Fixture;
    const user = { id: `user-${Math.random().toString(36).slice(2)}`, email: 'ada@example.com' };

    beforeEach(async () => {
      parts = await makeParts(() => fixture.clock.now());
      fixture = makeService({}, parts);
    });

    afterEach(async () => {
      await parts.cleanup?.();
    });

    it('goes from inactive to active to inactive', async () => {
      const { kit, clock } = fixture;
      expect(await kit.status(user)).toEqual({ active: false, recoveryCodes: null });

      const setup = await kit.beginSetup(user);
      expect(setup.otpauthUrl).toBe(
        `otpauth://totp/ACME%20Co:ada%40example.com?secret=${setup.secret}&issuer=ACME%20Co`,
      );
      const activated = await kit.activate(user, {
        enrollmentToken: setup.enrollmentToken,
        code: totpCode(setup.secret, { time: clock.now() / 1000 }),
      });
      expect(activated.ok).toBe(true);
      if (!activated.ok) return;
      expect(activated.recoveryCodes).toHaveLength(10);

      const status = await kit.status(user);
      expect(status).toMatchObject({ active: true, lastUsedAt: null, recoveryCodes: { total: 10, unused: 10 } });
      expect(status.createdAt?.getTime()).toBe(clock.now());

      clock.advance(30);
      const login = totpCode(setup.secret, { time: clock.now() / 1000 });
      expect(await kit.verify(user, login)).toEqual({ ok: true, method: 'totp', recoveryCodesLeft: 10 });
      expect(await kit.verify(user, login)).toEqual({ ok: false, error: 'invalid_code' });
      expect((await kit.status(user)).lastUsedAt?.getTime()).toBe(clock.now());

      const [first, second] = activated.recoveryCodes;
      expect(await kit.verify(user, first)).toEqual({ ok: true, method: 'recovery_code', recoveryCodesLeft: 9 });
      expect(await kit.verify(user, first)).toEqual({ ok: false, error: 'invalid_code' });

      const regenerated = await kit.regenerateRecoveryCodes(user, { code: second });
      expect(regenerated.ok).toBe(true);
      if (!regenerated.ok) return;
      expect(await kit.status(user)).toMatchObject({ recoveryCodes: { total: 10, unused: 10 } });
      expect(await kit.verify(user, activated.recoveryCodes[2])).toEqual({ ok: false, error: 'invalid_code' });

      clock.advance(30);
      expect(await kit.deactivate(user, { code: totpCode(setup.secret, { time: clock.now() / 1000 }) })).toEqual({
        ok: true,
      });
      expect(await kit.status(user)).toEqual({ active: false, recoveryCodes: null });
      await expect(kit.verify(user, regenerated.recoveryCodes[0])).rejects.toMatchObject({ code: 'not_active' });
    });

    it('accepts exactly one of 50 parallel verifications of one valid code', async () => {
      const enrolled = await enroll(fixture, user);
      const code = enrolled.code();
      const results = await Promise.all(Array.from({ length: 50 }, () => fixture.kit.verify(user, code)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(
        results.filter((r) => !r.ok).every((r) => !r.ok && ['invalid_code', 'rate_limited'].includes(r.error)),
      ).toBe(true);
    });

    it('accepts exactly one of 50 parallel uses of one recovery code', async () => {
      const enrolled = await enroll(fixture, user);
      const code = enrolled.recoveryCodes[0];
      const results = await Promise.all(Array.from({ length: 50 }, () => fixture.kit.verify(user, code)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await fixture.kit.status(user)).toMatchObject({ recoveryCodes: { total: 10, unused: 9 } });
    });

    it('activates exactly once when two activations race with one token', async () => {
      const setup = await fixture.kit.beginSetup(user);
      const code = totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
      const settled = await Promise.allSettled([
        fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code }),
        fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code }),
      ]);
      const successes = settled.filter((s) => s.status === 'fulfilled' && s.value.ok);
      expect(successes).toHaveLength(1);
      expect(await fixture.kit.status(user)).toMatchObject({ active: true, recoveryCodes: { total: 10, unused: 10 } });
    });
  });
}
