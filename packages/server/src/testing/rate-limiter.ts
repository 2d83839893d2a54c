/**
 * The contract every `RateLimiter` meets, run against each implementation (memory, Redis, SQL) and
 * yours, under vitest or node:test (see ./runner.ts):
 * the rules of `src/ratelimit/policy.ts` as seen through `check`, `attempt` and `reset` (RFC 4226
 * §7.1–7.3, NIST SP 800-63B §5.2.2; checklist items 13–16). An attempt is counted as a failure
 * when it is allowed; a success is a `reset`. A limiter with the optional `settle` is held to
 * `recordOutcome` as well; without it those cases are skipped (reported as skipped where the
 * runner's test context can say so: vitest, node:test).
 *
 * The suite owns the clock: `make` receives the policy and a `now` in milliseconds that it must
 * give the implementation, and returns a fresh limiter for each test.
 */
import { DEFAULT_RATE_LIMIT_POLICY } from '../ratelimit/policy.js';
import type {
  AttemptKind,
  RateLimitAttempt,
  RateLimiter,
  RateLimitPolicy,
  RateLimitState,
} from '../ratelimit/types.js';
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

/** A limiter that implements the optional `settle`. */
type SettlingLimiter = RateLimiter & Required<Pick<RateLimiter, 'settle'>>;

/**
 * Marks the running test skipped through the context the runner passed its body (vitest's
 * `context.skip`, node:test's `t.skip`); under a runner that passes none the test just ends.
 */
function skipTest(context: unknown, reason: string): void {
  const skip = (context as { skip?: unknown } | null | undefined)?.skip;
  if (typeof skip === 'function') skip.call(context, reason);
}

/** Registers the rate-limiter contract for one implementation. */
export function describeRateLimiterContract(
  runner: TestRunner,
  name: string,
  make: (options: RateLimiterHarnessOptions) => RateLimiter | Promise<RateLimiter>,
): void {
  const { describe, it, beforeEach, afterEach } = useRunner(runner);
  /**
   * `it` whose body gets the runner's test context, to skip itself. The body declares no
   * parameter (rest parameters do not count), so node:test and Jest do not take it for a
   * callback-style test that waits for `done`.
   */
  const itWithContext = (title: string, body: (context: unknown) => Promise<void>) =>
    void runner.it(title, (...args: unknown[]) => body(args[0]));
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

    /** A limiter with `settle`, or null after marking the test skipped when it has none. */
    async function settling(context: unknown, policy: Partial<RateLimitPolicy> = {}): Promise<SettlingLimiter | null> {
      const made = await limiter(policy);
      if (typeof made.settle === 'function') return made as SettlingLimiter;
      skipTest(context, `${name} has no settle (optional)`);
      return null;
    }

    /** `times` wrong codes settled one after the other. */
    async function settleWrong(
      target: SettlingLimiter,
      key: string,
      times: number,
      kind: AttemptKind = 'totp',
    ): Promise<RateLimitAttempt[]> {
      const states: RateLimitAttempt[] = [];
      for (let i = 0; i < times; i++) states.push(await target.settle(key, kind, false));
      return states;
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

    // settle(key, kind, ok): an attempt whose outcome is already known, decided in one step
    // (policy.ts recordOutcome). Every answer is decided against the counts of the answers
    // before it, so however many race, no more are answered than the limits allow.
    describe('settle', () => {
      itWithContext(
        'settles a right code on an account it has never seen without counting anything',
        async (context) => {
          const l = await settling(context);
          if (!l) return;
          expect(await l.settle(account(), 'totp', true)).toEqual({ ...UNLOCKED, allowed: true, at: START_MS });
          expect(await l.check(account())).toEqual(UNLOCKED);
        },
      );

      itWithContext(
        'counts a wrong code exactly as attempt counts it: window, lock, backoff and budget',
        async (context) => {
          const l = await settling(context, { guessBudget: 12 });
          if (!l) return;
          // Seconds before each call: five at once (a lock of 300 s), one refused inside it, five
          // more after it (a lock of 600 s), one refused, then the budget of 12 spent and refilled.
          const gaps = [0, 0, 0, 0, 0, 100, 200, 0, 0, 0, 0, 300, 300, 0, 0, 85_500];
          const settled: RateLimitAttempt[] = [];
          for (const gap of gaps) {
            advance(gap);
            const attempted = await l.attempt(account('attempt'));
            const answer = await l.settle(account('settle'), 'totp', false);
            expect(answer).toEqual(attempted);
            settled.push(answer);
          }
          expect(settled.map((s) => s.allowed)).toEqual([
            ...[true, true, true, true, true, false],
            ...[true, true, true, true, true, false],
            ...[true, true, false, true],
          ]);
          expect(settled[4]).toMatchObject({ locked: true, retryAfterSeconds: 300, failures: 5, budgetLeft: 7 });
          expect(settled[5]).toMatchObject({ locked: true, retryAfterSeconds: 200, failures: 5 });
          expect(settled[10]).toMatchObject({ locked: true, retryAfterSeconds: 600, failures: 10, budgetLeft: 2 });
          expect(settled[13]).toMatchObject({ locked: false, failures: 12, budgetLeft: 0, retryAfterSeconds: 85_500 });
          expect(settled[14]).toMatchObject({ allowed: false, failures: 12, budgetLeft: 0 });
          // 24 h after the first five, they have left the budget's window; the seven later ones stay.
          expect(settled[15]).toMatchObject({ locked: false, failures: 13, budgetLeft: 4 });
        },
      );

      itWithContext('refuses while locked, counting nothing, whether the code is right or wrong', async (context) => {
        const l = await settling(context);
        if (!l) return;
        const states = await settleWrong(l, account(), 5);
        expect(states.map((s) => s.allowed)).toEqual([true, true, true, true, true]);
        const locked = { locked: true, retryAfterSeconds: 300, failures: 5, permanent: false, budgetLeft: 25 };
        expect(states[4]).toEqual({ ...locked, allowed: true, at: START_MS });
        advance(100);
        const refused = { ...locked, retryAfterSeconds: 200, allowed: false, at: START_MS + 100_000 };
        expect(await l.settle(account(), 'totp', true)).toEqual(refused);
        expect(await l.settle(account(), 'totp', false)).toEqual(refused);
        expect(await l.check(account())).toEqual({ ...locked, retryAfterSeconds: 200 });
        advance(200);
        expect(await l.settle(account(), 'totp', true)).toEqual({
          ...UNLOCKED,
          budgetLeft: 25,
          allowed: true,
          at: START_MS + 300_000,
        });
      });

      itWithContext('locks permanently at hardLimit; a right code cannot lift it, only reset', async (context) => {
        const l = await settling(context, { maxFailures: 12, hardLimit: 12, maxLockSeconds: 600 });
        if (!l) return;
        const states = await settleWrong(l, account(), 12);
        expect(states[11]).toEqual({
          locked: true,
          retryAfterSeconds: 600,
          failures: 12,
          permanent: true,
          budgetLeft: 18,
          allowed: true,
          at: START_MS,
        });
        for (const days of [1, 400]) {
          advance(days * 86_400);
          expect(await l.settle(account(), 'totp', true)).toMatchObject({
            allowed: false,
            permanent: true,
            failures: 12,
          });
          expect(await l.settle(account(), 'totp', false)).toMatchObject({
            allowed: false,
            permanent: true,
            failures: 12,
          });
        }
        await l.reset(account());
        expect(await l.settle(account(), 'totp', true)).toMatchObject({ ...UNLOCKED, allowed: true });
      });

      itWithContext('clears the consecutive failures and the backoff on a right code', async (context) => {
        const l = await settling(context);
        if (!l) return;
        await settleWrong(l, account(), 4);
        expect(await l.settle(account(), 'totp', true)).toEqual({
          ...UNLOCKED,
          budgetLeft: 26,
          allowed: true,
          at: START_MS,
        });
        // The window restarted: four more wrong codes do not lock, a fifth does, for 300 s.
        expect((await settleWrong(l, account(), 4)).map((s) => s.locked)).toEqual([false, false, false, false]);
        expect(await l.settle(account(), 'totp', false)).toMatchObject({ locked: true, retryAfterSeconds: 300 });
        advance(300);
        expect(await l.settle(account(), 'totp', true)).toMatchObject({ allowed: true, failures: 0 });
        // The backoff restarted too: the next lock is 300 s again, not 600 s.
        expect((await settleWrong(l, account(), 5)).at(-1)).toMatchObject({ locked: true, retryAfterSeconds: 300 });
      });

      itWithContext(
        'spends no budget on a right code, and keeps the wrong codes before it counted',
        async (context) => {
          const l = await settling(context, noBackoff);
          if (!l) return;
          await settleWrong(l, account(), 20);
          for (let i = 0; i < 50; i++) {
            expect(await l.settle(account(), 'totp', true)).toMatchObject({
              allowed: true,
              failures: 0,
              budgetLeft: 10,
            });
          }
          expect(await l.check(account())).toEqual({ ...UNLOCKED, budgetLeft: 10 });
          expect((await settleWrong(l, account(), 10)).at(-1)).toMatchObject({ allowed: true, budgetLeft: 0 });
          // Spent: even the right code is refused, without being told it was right.
          expect(await l.settle(account(), 'totp', true)).toMatchObject({
            allowed: false,
            failures: 10,
            budgetLeft: 0,
            retryAfterSeconds: 86_400,
          });
        },
      );

      itWithContext('holds recovery codes to the lockout only', async (context) => {
        const l = await settling(context, noBackoff);
        if (!l) return;
        const states = await settleWrong(l, account('r'), 40, 'recovery');
        expect(states.every((s) => s.allowed && s.budgetLeft === null)).toBe(true);
        expect(await l.settle(account('r'), 'recovery', true)).toMatchObject({
          allowed: true,
          failures: 0,
          budgetLeft: null,
        });
        expect(await l.check(account('r'), 'recovery')).toEqual({ ...UNLOCKED, budgetLeft: null });
      });

      itWithContext(
        'answers exactly maxFailures of 50 concurrent wrong codes, each with its own count',
        async (context) => {
          const l = await settling(context);
          if (!l) return;
          const states = await Promise.all(Array.from({ length: 50 }, () => l.settle(account(), 'totp', false)));
          const allowed = states.filter((s) => s.allowed);
          expect(allowed.map((s) => s.failures).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
          for (const state of states.filter((s) => !s.allowed))
            expect(state).toMatchObject({ locked: true, failures: 5 });
          expect(await l.check(account())).toMatchObject({ locked: true, failures: 5, retryAfterSeconds: 300 });
        },
      );

      itWithContext('answers exactly guessBudget of 50 concurrent wrong codes', async (context) => {
        const l = await settling(context, noBackoff);
        if (!l) return;
        const states = await Promise.all(Array.from({ length: 50 }, () => l.settle(account(), 'totp', false)));
        expect(states.filter((s) => s.allowed)).toHaveLength(30);
        expect(await l.check(account())).toMatchObject({ budgetLeft: 0, failures: 30 });
      });

      itWithContext('never answers a right code after the lock that racing wrong codes set', async (context) => {
        const l = await settling(context);
        if (!l) return;
        await settleWrong(l, account(), 4);
        // One right code among twenty wrong ones, sent together: the fifth failure locks.
        const racing = Array.from({ length: 21 }, (_, i) => l.settle(account(), 'totp', i === 10));
        const states = await Promise.all(racing);
        const right = states[10] as RateLimitAttempt;
        const wrongFailures = states
          .filter((s, i) => i !== 10 && s.allowed)
          .map((s) => s.failures)
          .sort((x, y) => x - y);
        if (right.allowed) {
          // Decided before any wrong one: it cleared the four, and five more locked the account.
          expect(right).toMatchObject({ locked: false, failures: 0 });
          expect(wrongFailures).toEqual([1, 2, 3, 4, 5]);
        } else {
          // Decided after the fifth failure: refused as locked, not told it was right.
          expect(right).toMatchObject({ locked: true, failures: 5, retryAfterSeconds: 300 });
          expect(wrongFailures).toEqual([5]);
        }
        expect(await l.check(account())).toMatchObject({ locked: true, failures: 5, retryAfterSeconds: 300 });
      });
    });
  });
}
