/**
 * The contract every `RateLimiter` meets, run against each implementation (memory, Redis, SQL) and
 * yours, under vitest or node:test (see ./runner.ts):
 * the rules of `src/ratelimit/policy.ts` as seen through `check`, `attempt` and `reset` (RFC 4226
 * §7.1–7.3, NIST SP 800-63B §5.2.2; checklist items 13–16). An attempt is counted as a failure
 * when it is allowed; a success is a `reset`.
 *
 * The suite owns the clock: `make` receives the policy and a `now` in milliseconds that it must
 * give the implementation, and returns a fresh limiter for each test.
 */
import { DEFAULT_RATE_LIMIT_POLICY } from '../ratelimit/policy.js';
import type { RateLimitAttempt, RateLimiter, RateLimitPolicy, RateLimitState } from '../ratelimit/types.js';
import { expect } from './expect.js';
import { type TestRunner, useRunner } from './runner.js';

export interface RateLimiterHarnessOptions {
  policy: RateLimitPolicy;
  /** The suite's clock in milliseconds; the limiter must read time only from it. */
  now: () => number;
}

/** 2030-01-01T00:00:00Z: an arbitrary start, far from the epoch so a zero time cannot pass for it. */
const START_MS = Date.UTC(2030, 0, 1);

const UNLOCKED: RateLimitState = { locked: false, retryAfterSeconds: 0, failures: 0, permanent: false, budgetLeft: 30 };

/** Registers the rate-limiter contract for one implementation. */
export function describeRateLimiterContract(
  runner: TestRunner,
  name: string,
  make: (options: RateLimiterHarnessOptions) => RateLimiter | Promise<RateLimiter>,
): void {
  const { describe, it, beforeEach, afterEach } = useRunner(runner);
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
      run = crypto.randomUUID();
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
      const locked = { locked: true, retryAfterSeconds: 300, failures: 5, permanent: false, budgetLeft: 25 };
      expect(states[4]).toEqual({ ...locked, allowed: true, at: START_MS });
      expect(await l.check(account())).toEqual(locked);
      expect(await l.attempt(account())).toEqual({ ...locked, allowed: false, at: START_MS });

      advance(299.5);
      expect(await l.check(account())).toEqual({ ...locked, retryAfterSeconds: 1 });
      advance(0.5);
      expect(await l.check(account())).toEqual({ ...UNLOCKED, failures: 5, budgetLeft: 25 });
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
      expect(await l.check(account())).toEqual({ ...UNLOCKED, failures: 8, budgetLeft: 22 });
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
      const l = await limiter({ guessBudget: 100 });
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
        budgetLeft: 25,
        allowed: false,
        at: START_MS + 100_000,
      });
      advance(200);
      expect(await l.check(account())).toEqual({ ...UNLOCKED, failures: 5, budgetLeft: 25 });
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
        budgetLeft: 18,
        allowed: true,
        at: START_MS,
      });

      advance(24 * 3600);
      expect(await l.check(account())).toEqual({
        locked: true,
        retryAfterSeconds: 600,
        failures: 12,
        permanent: true,
        budgetLeft: 30,
      });
      expect(await l.attempt(account())).toMatchObject({ allowed: false, failures: 12, permanent: true });

      await l.reset(account());
      expect(await l.check(account())).toEqual(UNLOCKED);
    });

    it('reaches hardLimit through spaced failures that never trip a window', async () => {
      const l = await limiter({ hardLimit: 10, guessBudget: 10 });
      for (let i = 0; i < 10; i++) {
        await failTimes(l, account(), 1);
        advance(300);
      }
      expect(await l.check(account())).toMatchObject({ locked: true, permanent: true, failures: 10 });
    });

    it('forgets failures, the backoff and the budget on reset', async () => {
      const l = await limiter();
      await failTimes(l, account(), 5);
      advance(300);
      expect((await failTimes(l, account(), 5)).at(-1)).toMatchObject({ retryAfterSeconds: 600 });

      await l.reset(account());
      expect(await l.check(account())).toEqual(UNLOCKED);
      expect(await l.attempt(account())).toMatchObject({ budgetLeft: 29 });
      await l.reset(account());
      const states = await failTimes(l, account(), 5);
      expect(states.map((s) => s.locked)).toEqual([false, false, false, false, true]);
      expect(states[4]).toMatchObject({ retryAfterSeconds: 300, failures: 5 });
    });

    it('keeps accounts independent', async () => {
      const l = await limiter();
      await failTimes(l, account('a'), 5);
      expect(await l.check(account('b'))).toEqual(UNLOCKED);
      expect(await l.attempt(account('b'))).toEqual({
        ...UNLOCKED,
        failures: 1,
        budgetLeft: 29,
        allowed: true,
        at: START_MS,
      });

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

    /** No window lock before hardLimit, and room in the budget: only the rule under test applies. */
    const noBackoff = { maxFailures: 100, hardLimit: 100 };

    // Issue 11, item 1: the lock at hardLimit outlives every retention period.
    it('keeps a lock at hardLimit 31 and 400 days later, past retainSeconds, until reset', async () => {
      const l = await limiter({ ...noBackoff, guessBudget: 100 });
      const states = await failTimes(l, account(), 100);
      expect(states.at(-1)).toMatchObject({ locked: true, permanent: true, failures: 100 });
      for (const days of [31, 400 - 31]) {
        advance(days * 86_400);
        expect(await l.check(account())).toMatchObject({ locked: true, permanent: true, failures: 100 });
        expect(await l.attempt(account())).toMatchObject({ allowed: false, permanent: true, failures: 100 });
        // Other accounts' attempts run the sweeps; they must pass this one by.
        await l.attempt(account('other'));
      }
      await l.reset(account());
      expect(await l.check(account())).toEqual({ ...UNLOCKED, budgetLeft: 100 });
    });

    // Issue 11, item 2: the rolling guess budget.
    it('refuses TOTP attempts once guessBudget are counted in the window, until the oldest leaves it', async () => {
      const l = await limiter(noBackoff);
      for (let i = 0; i < 30; i++) {
        expect(await l.attempt(account())).toMatchObject({ allowed: true, budgetLeft: 29 - i });
        advance(60);
      }
      // The 30 counted attempts began at START_MS; the oldest leaves the window 24 h after it.
      const wait = 86_400 - 30 * 60;
      expect(await l.check(account())).toMatchObject({ locked: false, budgetLeft: 0, retryAfterSeconds: wait });
      expect(await l.attempt(account())).toMatchObject({ allowed: false, budgetLeft: 0, retryAfterSeconds: wait });
      advance(wait - 1);
      expect(await l.attempt(account())).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
      advance(1);
      expect(await l.attempt(account())).toMatchObject({ allowed: true, budgetLeft: 0, retryAfterSeconds: 60 });
    });

    it('takes back only the successful attempt: the wrong ones before it stay counted', async () => {
      const l = await limiter(noBackoff);
      await failTimes(l, account(), 20);
      const right = await l.attempt(account());
      expect(right).toMatchObject({ allowed: true, failures: 21, budgetLeft: 9 });
      await l.succeed(account(), right.at);
      expect(await l.check(account())).toEqual({ ...UNLOCKED, budgetLeft: 10 });
      await failTimes(l, account(), 10);
      expect(await l.attempt(account())).toMatchObject({ allowed: false, failures: 10, budgetLeft: 0 });
    });

    it('lets exactly guessBudget of 50 concurrent attempts through', async () => {
      const l = await limiter(noBackoff);
      const states = await Promise.all(Array.from({ length: 50 }, () => l.attempt(account())));
      expect(states.filter((s) => s.allowed)).toHaveLength(30);
      expect(await l.check(account())).toMatchObject({ budgetLeft: 0, failures: 30 });
    });

    it('never refunds a wrong attempt when successes race with new attempts', async () => {
      const l = await limiter(noBackoff);
      const first = await Promise.all(Array.from({ length: 50 }, () => l.attempt(account())));
      const allowed = first.filter((s) => s.allowed);
      expect(allowed).toHaveLength(30);
      // Five of the thirty turn out right, while twenty new attempts race for the freed room.
      const racing = await Promise.all([
        ...allowed.slice(0, 5).map((s) => l.succeed(account(), s.at).then(() => null)),
        ...Array.from({ length: 20 }, () => l.attempt(account())),
      ]);
      const late = racing.filter((s) => s?.allowed === true).length;
      expect(late).toBeLessThanOrEqual(5);
      // 25 wrong from the first burst stay counted, plus every late attempt let through.
      expect((await l.check(account())).budgetLeft).toBe(5 - late);
    });

    it('holds recovery codes to the lockout only, and setups to their own budget only', async () => {
      const l = await limiter({ ...noBackoff, setupLimit: 3, setupWindowSeconds: 600 });
      const recovery = await Promise.all(Array.from({ length: 40 }, () => l.attempt(account('r'), 'recovery')));
      expect(recovery.every((s) => s.allowed)).toBe(true);
      expect(await l.check(account('r'), 'recovery')).toMatchObject({ failures: 40, budgetLeft: null });

      const setups = await Promise.all(Array.from({ length: 5 }, () => l.attempt(account('s'), 'setup')));
      expect(setups.filter((s) => s.allowed)).toHaveLength(3);
      expect(await l.check(account('s'), 'setup')).toEqual({
        locked: false,
        retryAfterSeconds: 600,
        failures: 0,
        permanent: false,
        budgetLeft: 0,
      });
      advance(600);
      expect(await l.attempt(account('s'), 'setup')).toMatchObject({ allowed: true, budgetLeft: 2 });
    });
  });
}
