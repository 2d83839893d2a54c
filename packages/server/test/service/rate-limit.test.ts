/**
 * Rate limiting through the service (checklist items 13–18): counted per account across every
 * path that accepts a code, growing backoff, and a correct code refused while locked.
 */
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, totpCode } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };
const wrong = (right: string) => (right === '000000' ? '111111' : '000000');

describe('rate limiting', () => {
  it('locks after five failures and answers rate_limited with the time to wait', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    for (let i = 0; i < 4; i++) {
      expect(await fixture.kit.verify(user, wrong(code()))).toEqual({ ok: false, error: 'invalid_code' });
    }
    expect(await fixture.kit.verify(user, wrong(code()))).toEqual({
      ok: false,
      error: 'rate_limited',
      retryAfterSeconds: 300,
    });
    expect(await fixture.kit.verify(user, wrong(code()))).toEqual({
      ok: false,
      error: 'rate_limited',
      retryAfterSeconds: 300,
    });
  });

  it('refuses a correct code while locked, and accepts one after the lock', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    for (let i = 0; i < 5; i++) await fixture.kit.verify(user, wrong(code()));
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: false, error: 'rate_limited' });
    fixture.clock.advance(299);
    expect(await fixture.kit.verify(user, code())).toEqual({ ok: false, error: 'rate_limited', retryAfterSeconds: 1 });
    fixture.clock.advance(1);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
  });

  it('accepts a recovery code while TOTP codes are locked: recovery codes have a limit of their own', async () => {
    const fixture = makeService();
    const { code, recoveryCodes } = await enroll(fixture, user);
    for (let i = 0; i < 5; i++) await fixture.kit.verify(user, wrong(code()));
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(await fixture.kit.verify(user, recoveryCodes[0])).toMatchObject({ ok: true, method: 'recovery_code' });
  });

  it('refuses a correct recovery code once wrong recovery codes locked them, without consuming it', async () => {
    const fixture = makeService();
    const { code, recoveryCodes } = await enroll(fixture, user);
    for (let i = 0; i < 5; i++) await fixture.kit.verify(user, 'aaaaa-aaaaa');
    expect(await fixture.kit.verify(user, recoveryCodes[0])).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(await fixture.kit.status(user)).toMatchObject({ recoveryCodes: { unused: 10 } });
    // TOTP codes are counted apart, so the real user still gets in.
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true, method: 'totp' });
  });

  it('makes each successive lock longer, up to an hour', async () => {
    // A budget above the 30 failures of six locks, so that only the backoff shows.
    const fixture: ReturnType<typeof makeService> = makeService({
      rateLimiter: new MemoryRateLimiter({ policy: { guessBudget: 100 }, now: () => fixture.clock.now() }),
    });
    const { code } = await enroll(fixture, user);
    const waits: number[] = [];
    for (let lock = 0; lock < 6; lock++) {
      let result = await fixture.kit.verify(user, wrong(code()));
      while (result.ok || result.error !== 'rate_limited') result = await fixture.kit.verify(user, wrong(code()));
      waits.push(result.retryAfterSeconds);
      fixture.clock.advance(result.retryAfterSeconds);
    }
    expect(waits).toEqual([300, 600, 1200, 2400, 3600, 3600]);
  });

  it('never allows more than 100 consecutive failures', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    let failures = 0;
    for (let attempt = 0; attempt < 400; attempt++) {
      const result = await fixture.kit.verify(user, wrong(code()));
      if (result.ok) throw new Error('a wrong code was accepted');
      if (result.error === 'invalid_code') failures++;
      else {
        failures++; // the failure that locked
        fixture.clock.advance(result.retryAfterSeconds);
        if (failures >= 100) break;
      }
    }
    expect(failures).toBe(100);
    fixture.clock.advance(24 * 3600);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: false, error: 'rate_limited' });
    await fixture.kit.unlock(user);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
  });

  it('forgets failures after a success', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    for (let i = 0; i < 4; i++) await fixture.kit.verify(user, wrong(code()));
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
    for (let i = 0; i < 4; i++) {
      expect(await fixture.kit.verify(user, wrong(code()))).toEqual({ ok: false, error: 'invalid_code' });
    }
  });

  it('counts per account: another account is not affected', async () => {
    const fixture = makeService();
    const other = { id: 'u-2', email: 'grace@example.com' };
    const mine = await enroll(fixture, user);
    const theirs = await enroll(fixture, other);
    for (let i = 0; i < 5; i++) await fixture.kit.verify(user, wrong(mine.code()));
    expect(await fixture.kit.verify(other, theirs.code())).toMatchObject({ ok: true });
  });

  it('shares one count across login, deactivation, regeneration and activation attempts', async () => {
    const limiter = new MemoryRateLimiter();
    const fixture = makeService({ rateLimiter: limiter });
    const { code } = await enroll(fixture, user);
    await fixture.kit.verify(user, wrong(code()));
    await fixture.kit.deactivate(user, { code: wrong(code()) });
    await fixture.kit.regenerateRecoveryCodes(user, { code: wrong(code()) });
    await fixture.kit.verify(user, wrong(code()));
    expect(await fixture.kit.deactivate(user, { code: wrong(code()) })).toMatchObject({ error: 'rate_limited' });
    expect(await fixture.kit.deactivate(user, { code: code() })).toMatchObject({ error: 'rate_limited' });
    expect(await fixture.kit.status(user)).toMatchObject({ active: true });
  });

  it('counts wrong activation codes too', async () => {
    const fixture = makeService();
    const setup = await fixture.kit.beginSetup(user);
    const right = totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
    for (let i = 0; i < 4; i++)
      await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: wrong(right) });
    expect(
      await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: wrong(right) }),
    ).toMatchObject({
      error: 'rate_limited',
    });
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: right })).toMatchObject({
      error: 'rate_limited',
    });
  });

  it('refuses input that cannot be a code without counting it: it is no guess', async () => {
    const limiter = new MemoryRateLimiter();
    const fixture = makeService({ rateLimiter: limiter });
    const { code } = await enroll(fixture, user);
    for (const input of ['12345a', null, 42, 'x'.repeat(1000), [], '1234567890123', '12345']) {
      expect(await fixture.kit.verify(user, input)).toEqual({ ok: false, error: 'invalid_code' });
      expect(await fixture.kit.deactivate(user, { code: input })).toEqual({ ok: false, error: 'invalid_code' });
    }
    expect((await limiter.check('totp:u-1')).failures).toBe(0);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
  });

  it('refuses malformed input before touching the store', async () => {
    const fixture = makeService();
    const touched: string[] = [];
    const store = fixture.options.store;
    const spy = new Proxy(store, {
      get: (target, name) => {
        const value = Reflect.get(target, name);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          touched.push(String(name));
          return value.apply(target, args);
        };
      },
    });
    const watched = makeService({ keyring: fixture.options.keyring }, { store: spy });
    await watched.kit.verify(user, 'not a code');
    await watched.kit.activate(user, { enrollmentToken: 'x', code: 'k7m2q-9xw4t' }); // activation takes TOTP codes only
    expect(touched).toEqual([]);
  });

  it('answers only five of 50 parallel wrong codes: the rest are refused uncounted (checklist item 13)', async () => {
    const limiter = new MemoryRateLimiter();
    const fixture = makeService({ rateLimiter: limiter });
    const { code } = await enroll(fixture, user);
    const results = await Promise.all(Array.from({ length: 50 }, () => fixture.kit.verify(user, wrong(code()))));
    expect(results.filter((r) => !r.ok && r.error === 'invalid_code')).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.error === 'rate_limited')).toHaveLength(46);
    expect((await limiter.check('totp:u-1')).failures).toBe(5);
  });

  it('cannot be raced: a right code among 300 concurrent wrong ones is refused once the limit is spent', async () => {
    const fixture = makeService();
    const { code } = await enroll(fixture, user);
    const guesses: string[] = Array.from({ length: 300 }, () => wrong(code()));
    guesses.splice(150, 0, code());
    const results = await Promise.all(guesses.map((guess) => fixture.kit.verify(user, guess)));
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    expect(results.filter((r) => !r.ok && r.error === 'invalid_code')).toHaveLength(4);
  });
});
