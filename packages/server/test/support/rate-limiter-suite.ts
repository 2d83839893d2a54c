/**
 * The contract every `RateLimiter` meets, run against each implementation (memory, Redis, SQL):
 * the rules of `src/ratelimit/policy.ts` as seen through `check`, `attempt` and `reset` (RFC 4226
 * §7.1–7.3, NIST SP 800-63B §5.2.2; checklist items 13–16). An attempt is counted as a failure
 * when it is allowed; a success is a `reset`.
 *
 * The suite owns the clock: `make` receives the policy and a `now` in milliseconds that it must
 * give the implementation, and returns a fresh limiter for each test.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT_POLICY } from '../../src/ratelimit/policy.js';
import type { RateLimitAttempt, RateLimiter, RateLimitPolicy, RateLimitState } from '../../src/ratelimit/types.js';

export interface RateLimiterHarnessOptions {
  policy: RateLimitPolicy;
  /** The suite's clock in milliseconds; the limiter must read time only from it. */
  now: () => number;
}

/** 2030-01-01T00:00:00Z: an arbitrary start, far from the epoch so a zero time cannot pass for it. */
const START_MS = Date.UTC(2030, 0, 1);

const UNLOCKED: RateLimitState = { locked: false, retryAfterSeconds: 0, failures: 0, permanent: false };

/** Registers the rate-limiter contract for one implementation. */
export function describeRateLimiterContract(
  name: string,
  make: (options: RateLimiterHarnessOptions) => RateLimiter | Promise<RateLimiter>,
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let current: number;
    const now = () => current;
    /** Moves the clock by `seconds`. */
    const advance = (seconds: number) => {
      current += seconds * 1000;
    };
    let limiters: RateLimiter[];
    let run: string;
    /** An account key unique to this test, so a shared backend never mixes tests. */
    const account = (label = 'a') => `totp:${label}:${run}`;

    async function limiter(policy: Partial<RateLimitPolicy> = {}): Promise<RateLimiter> {
      const made = await make({ policy: { ...DEFAULT_RATE_LIMIT_POLICY, ...policy }, now });
      limiters.push(made);
      return made;
    }

    /** `times` failed attempts in a row. */
    async function failTimes(target: RateLimiter, key: string, times: number): Promise<RateLimitAttempt[]> {
      const states: RateLimitAttempt[] = [];
      for (let i = 0; i < times; i++) states.push(await target.attempt(key));
      return states;
    }

    beforeEach(() => {
      current = START_MS;
      limiters = [];
      run = randomUUID();
    });

    afterEach(async () => {
      await Promise.all(limiters.map((made) => made.close?.()));
    });

    it('does not lock an account it has never seen, and a check counts nothing', async () => {
      const l = await limiter();
      for (let i = 0; i < 10; i++) expect(await l.check(account())).toEqual(UNLOCKED);
    });

    it('locks on the maxFailures-th failure within the window, for lockSeconds', async () => {
      const l = await limiter();
      const states = await failTimes(l, account(), 5);
      expect(states.map((s) => s.locked)).toEqual([false, false, false, false, true]);
      expect(states.map((s) => s.failures)).toEqual([1, 2, 3, 4, 5]);
      expect(states.every((s) => s.allowed)).toBe(true);
      const locked = { locked: true, retryAfterSeconds: 300, failures: 5, permanent: false };
      expect(states[4]).toEqual({ ...locked, allowed: true });
      expect(await l.check(account())).toEqual(locked);
      expect(await l.attempt(account())).toEqual({ ...locked, allowed: false });

      advance(299.5);
      expect(await l.check(account())).toEqual({ locked: true, retryAfterSeconds: 1, failures: 5, permanent: false });
      advance(0.5);
      expect(await l.check(account())).toEqual({ ...UNLOCKED, failures: 5 });
    });

    it('locks when the failures are spread up to the last millisecond of the window', async () => {
      const l = await limiter();
      await l.attempt(account());
      advance(299.999);
      const states = await failTimes(l, account(), 4);
      expect(states.at(-1)).toMatchObject({ locked: true, retryAfterSeconds: 300 });
    });

    it('does not add failures outside the window toward a lock', async () => {
      const l = await limiter();
      await failTimes(l, account(), 4);
      advance(300);
      const states = await failTimes(l, account(), 4);
      expect(states.map((s) => s.locked)).toEqual([false, false, false, false]);
      // They still count as consecutive failures toward the hard limit.
      expect(await l.check(account())).toEqual({ ...UNLOCKED, failures: 8 });
      expect(await l.attempt(account())).toMatchObject({ locked: true, failures: 9, allowed: true });
    });

    it('starts a new window at the first failure after a lock, not at the old window start', async () => {
      const l = await limiter({ lockSeconds: 10 });
      await failTimes(l, account(), 5);
      advance(10);
      await failTimes(l, account(), 4);
      // 295 s into the window that began after the lock, but 305 s after the first one began.
      advance(295);
      expect(await l.attempt(account())).toMatchObject({ locked: true, retryAfterSeconds: 20, failures: 10 });
    });

    it('makes each successive lock twice as long, capped at maxLockSeconds', async () => {
      const l = await limiter();
      const waits: number[] = [];
      for (let lock = 0; lock < 7; lock++) {
        const state = (await failTimes(l, account(), 5)).at(-1) as RateLimitState;
        expect(state.locked).toBe(true);
        waits.push(state.retryAfterSeconds);
        advance(state.retryAfterSeconds);
        expect((await l.check(account())).locked).toBe(false);
      }
      expect(waits).toEqual([300, 600, 1200, 2400, 3600, 3600, 3600]);
    });

    it('refuses attempts while locked, counting nothing and not lengthening the lock', async () => {
      const l = await limiter();
      await failTimes(l, account(), 5);
      advance(100);
      expect(await l.attempt(account())).toEqual({
        locked: true,
        retryAfterSeconds: 200,
        failures: 5,
        permanent: false,
        allowed: false,
      });
      advance(200);
      expect(await l.check(account())).toEqual({ ...UNLOCKED, failures: 5 });
    });

    it('locks permanently at hardLimit, past maxLockSeconds, until reset', async () => {
      // maxFailures = hardLimit, so the twelve failures fit in one window without a lock between.
      const l = await limiter({ maxFailures: 12, hardLimit: 12, maxLockSeconds: 600 });
      const states = await failTimes(l, account(), 12);
      expect(states[10]).toMatchObject({ failures: 11, permanent: false });
      expect(states[11]).toEqual({
        locked: true,
        retryAfterSeconds: 600,
        failures: 12,
        permanent: true,
        allowed: true,
      });

      advance(24 * 3600);
      expect(await l.check(account())).toEqual({ locked: true, retryAfterSeconds: 600, failures: 12, permanent: true });
      expect(await l.attempt(account())).toMatchObject({ allowed: false, failures: 12, permanent: true });

      await l.reset(account());
      expect(await l.check(account())).toEqual(UNLOCKED);
    });

    it('reaches hardLimit through spaced failures that never trip a window', async () => {
      const l = await limiter({ hardLimit: 10 });
      for (let i = 0; i < 10; i++) {
        await failTimes(l, account(), 1);
        advance(300);
      }
      expect(await l.check(account())).toMatchObject({ locked: true, permanent: true, failures: 10 });
    });

    it('forgets failures and the backoff on reset', async () => {
      const l = await limiter();
      await failTimes(l, account(), 5);
      advance(300);
      expect((await failTimes(l, account(), 5)).at(-1)).toMatchObject({ retryAfterSeconds: 600 });

      await l.reset(account());
      expect(await l.check(account())).toEqual(UNLOCKED);
      const states = await failTimes(l, account(), 5);
      expect(states.map((s) => s.locked)).toEqual([false, false, false, false, true]);
      expect(states[4]).toMatchObject({ retryAfterSeconds: 300, failures: 5 });
    });

    it('keeps accounts independent', async () => {
      const l = await limiter();
      await failTimes(l, account('a'), 5);
      expect(await l.check(account('b'))).toEqual(UNLOCKED);
      expect(await l.attempt(account('b'))).toEqual({ ...UNLOCKED, failures: 1, allowed: true });

      await l.reset(account('b'));
      expect(await l.check(account('a'))).toMatchObject({ locked: true, failures: 5 });
      await l.reset(account('a'));
      expect(await l.check(account('a'))).toEqual(UNLOCKED);
    });

    it('applies a custom policy', async () => {
      const l = await limiter({ maxFailures: 3, windowSeconds: 60, lockSeconds: 10, maxLockSeconds: 15 });
      expect((await failTimes(l, account(), 3)).map((s) => s.locked)).toEqual([false, false, true]);
      expect(await l.check(account())).toMatchObject({ retryAfterSeconds: 10 });
      advance(10);
      expect((await failTimes(l, account(), 3)).at(-1)).toMatchObject({ locked: true, retryAfterSeconds: 15 });
    });

    // Checklist item 13 (django-otp test_concurrent_throttle_count; idenplane #398), made
    // stronger: attempts are counted before any code is looked at, so of 50 concurrent attempts
    // exactly maxFailures get through, each with its own count, and the rest are refused.
    it('lets exactly maxFailures of 50 concurrent attempts through, each with its own count, and locks', async () => {
      const l = await limiter();
      const states = await Promise.all(Array.from({ length: 50 }, () => l.attempt(account())));
      const allowed = states.filter((s) => s.allowed);
      expect(allowed.map((s) => s.failures).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
      for (const state of states.filter((s) => !s.allowed)) expect(state).toMatchObject({ locked: true, failures: 5 });
      expect(await l.check(account())).toMatchObject({ locked: true, failures: 5, retryAfterSeconds: 300 });
    });
  });
}
