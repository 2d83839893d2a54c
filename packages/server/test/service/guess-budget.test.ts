/**
 * The limits a success does not reset, through the service (issue 11, items 1, 2 and 10): the
 * rolling guess budget of 30 TOTP codes per 24 h and its event, recovery codes counted apart,
 * the lock at 100 consecutive failures that only `unlock()` lifts, and the per-account setup limit.
 */
import { describe, expect, it } from 'vitest';
import { isTotpkitError, MemoryRateLimiter, totpCode } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const user = { id: 'u-budget', email: 'ada@example.com' };
const wrong = (right: string) => (right === '000000' ? '111111' : '000000');
const DAY = 86_400;

/** A service whose host hears every event, by name. */
function watched() {
  const events: { name: string; event: unknown }[] = [];
  const hook =
    (name: string) =>
    (_user: unknown, event: unknown): void => {
      events.push({ name, event });
    };
  const fixture = makeService({
    adapter: {
      onLocked: hook('onLocked'),
      onGuessBudgetExhausted: hook('onGuessBudgetExhausted'),
      onVerified: hook('onVerified'),
    },
  });
  return { fixture, events, named: (name: string) => events.filter((e) => e.name === name) };
}

describe('the rolling guess budget', () => {
  it('evaluates 30 wrong codes in 24 h, whatever successes happen between, then answers rate_limited until the oldest leaves', async () => {
    const { fixture, named } = watched();
    const { code } = await enroll(fixture, user);
    const first = fixture.clock.now();
    // Four wrong codes and one success, six times over: the successes reset the lockout only.
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 4; i++) {
        expect(await fixture.kit.verify(user, wrong(code()))).toEqual({ ok: false, error: 'invalid_code' });
      }
      expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true, method: 'totp' });
      fixture.clock.advance(600);
    }
    // 24 wrong codes counted; six more spend the budget (a pause keeps the 5-in-5-minutes lock out
    // of it), the sixth answered 429 with the wait.
    for (let i = 0; i < 4; i++) await fixture.kit.verify(user, wrong(code()));
    fixture.clock.advance(300);
    await fixture.kit.verify(user, wrong(code()));
    const spent = await fixture.kit.verify(user, wrong(code()));
    const wait = DAY - (fixture.clock.now() - first) / 1000;
    expect(spent).toEqual({ ok: false, error: 'rate_limited', retryAfterSeconds: wait });
    expect(named('onGuessBudgetExhausted')).toEqual([
      { name: 'onGuessBudgetExhausted', event: { at: new Date(fixture.clock.now()), retryAfterSeconds: wait } },
    ]);
    // Only the lock's window had room: the budget, not a lock, refuses the right code now.
    fixture.clock.advance(300);
    expect(await fixture.kit.verify(user, code())).toEqual({
      ok: false,
      error: 'rate_limited',
      retryAfterSeconds: wait - 300,
    });
    expect(named('onLocked')).toEqual([]);
    fixture.clock.advance(wait - 300);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
    expect(named('onGuessBudgetExhausted')).toHaveLength(1);
  });

  it('lets the real user in with a recovery code while the budget is spent, and get a new set with one', async () => {
    const fixture = makeService();
    const { code, recoveryCodes } = await enroll(fixture, user);
    for (let i = 1; i <= 30; i++) {
      const result = await fixture.kit.verify(user, wrong(code()));
      expect(result).toMatchObject({ ok: false, error: i < 30 ? 'invalid_code' : 'rate_limited' });
      if (i % 4 === 0) fixture.clock.advance(300);
    }
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(await fixture.kit.verify(user, recoveryCodes[0])).toMatchObject({ ok: true, method: 'recovery_code' });
    const renewed = await fixture.kit.regenerateRecoveryCodes(user, { code: recoveryCodes[1] });
    expect(renewed).toMatchObject({ ok: true, recoveryCodes: expect.any(Array) });
    if (!renewed.ok) return;
    expect(await fixture.kit.verify(user, renewed.recoveryCodes[0])).toMatchObject({ ok: true });
    expect(await fixture.kit.verify(user, recoveryCodes[2])).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('evaluates at most guessBudget of 100 concurrent wrong codes spread over the day (race)', async () => {
    const fixture: ReturnType<typeof makeService> = makeService({
      rateLimiter: new MemoryRateLimiter({ policy: { maxFailures: 100 }, now: () => fixture.clock.now() }),
    });
    const { code } = await enroll(fixture, user);
    const guesses: string[] = Array.from({ length: 100 }, () => wrong(code()));
    guesses.splice(50, 0, code());
    const results = await Promise.all(guesses.map((guess) => fixture.kit.verify(user, guess)));
    // Answered as evaluated: accepted, or a wrong code (the one that spent the budget says 429).
    const evaluated = results.filter((r) => r.ok || r.error === 'invalid_code').length;
    expect(evaluated).toBeLessThanOrEqual(30);
    expect(results.filter((r) => !r.ok && r.error === 'rate_limited').length).toBe(101 - evaluated);
  });
});

describe('the lock at hardLimit', () => {
  // Issue 11: with the budget, an attacker holding the password reaches 100 failures on day 4.
  it('is reached on the fourth day of 30 wrong codes a day, and still holds 31 and 400 days later, until unlock()', async () => {
    const { fixture, named } = watched();
    const { code } = await enroll(fixture, user);
    const start = fixture.clock.now();
    let failures = 0;
    while (failures < 100) {
      const result = await fixture.kit.verify(user, wrong(code()));
      if (result.ok) throw new Error('a wrong code was accepted');
      failures++;
      if (result.error === 'rate_limited') {
        if (named('onLocked').some((e) => (e.event as { permanent: boolean }).permanent)) break;
        fixture.clock.advance(result.retryAfterSeconds);
      }
    }
    expect(failures).toBe(100);
    expect(Math.ceil((fixture.clock.now() - start) / 1000 / DAY)).toBe(4);
    for (const days of [31, 400 - 31]) {
      fixture.clock.advance(days * DAY);
      expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: false, error: 'rate_limited' });
    }
    await fixture.kit.unlock(user);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
  });
});

describe('setup limit (issue 11, item 10)', () => {
  it('allows 20 setups per account an hour, then throws rate_limited with the wait; other accounts are not affected', async () => {
    const fixture = makeService();
    for (let i = 0; i < 20; i++) {
      await fixture.kit.beginSetup(user);
      fixture.clock.advance(60);
    }
    const refused = await fixture.kit.beginSetup(user).catch((error: unknown) => error);
    expect(isTotpkitError(refused, 'rate_limited')).toBe(true);
    expect(refused).toMatchObject({ retryAfterSeconds: 3600 - 20 * 60 });
    expect(await fixture.kit.beginSetup({ id: 'someone-else' })).toMatchObject({ secret: expect.any(String) });
    fixture.clock.advance(3600 - 20 * 60);
    expect(await fixture.kit.beginSetup(user)).toMatchObject({ secret: expect.any(String) });
  });
});

describe('activation and the step it spends', () => {
  it('activates a new secret in the step a login just spent, and its code cannot then log in', async () => {
    const fixture = makeService();
    const { code, recoveryCodes } = await enroll(fixture, user);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
    expect(await fixture.kit.deactivate(user, { code: recoveryCodes[0] })).toEqual({ ok: true });
    // A new secret: its code in the same step was never used, so nothing refuses it.
    const setup = await fixture.kit.beginSetup(user);
    const now = totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: now })).toMatchObject({
      ok: true,
    });
    // The activation code is the authenticator's last used step: no login with it.
    expect(await fixture.kit.verify(user, now)).toEqual({ ok: false, error: 'invalid_code' });
  });
});
