/**
 * The rate-limit state machine of src/ratelimit/policy.ts, as pure functions: the rules every
 * limiter applies (RFC 4226 §7.3, NIST SP 800-63B §5.2.2), then properties over random attack
 * schedules that bound what an attacker can get out of them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMIT_POLICY,
  EMPTY_RECORD,
  DEFAULT_RATE_LIMIT_POLICY as policy,
  type RateLimitRecord,
  recordAttempt,
  recordFailure,
  resolvePolicy,
  stateOf,
} from '../../src/ratelimit/policy.js';

const T0 = Date.UTC(2030, 0, 1);

/** The record after one failure at each of `times`. */
const failAt = (times: number[], from: RateLimitRecord = EMPTY_RECORD) =>
  times.reduce((record, at) => recordFailure(record, at, policy), from);

describe('rate-limit policy', () => {
  it('has the defaults of DESIGN.md: 5 failures in 5 minutes, locks from 5 minutes to an hour, 100 at most, 30 guesses a day', () => {
    expect(policy).toEqual({
      maxFailures: 5,
      windowSeconds: 300,
      lockSeconds: 300,
      maxLockSeconds: 3600,
      hardLimit: 100,
      guessBudget: 30,
      guessBudgetWindowSeconds: 86_400,
      setupLimit: 20,
      setupWindowSeconds: 3600,
      retainSeconds: 30 * 24 * 3600,
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('describes an empty record as unlocked', () => {
    expect(stateOf(EMPTY_RECORD, T0, policy)).toEqual({
      locked: false,
      retryAfterSeconds: 0,
      failures: 0,
      permanent: false,
      budgetLeft: 30,
    });
  });

  it('returns a new record and leaves the old one as it was', () => {
    const before = failAt([T0]);
    const copy = { ...before };
    const after = recordFailure(before, T0 + 1, policy);
    expect(before).toEqual(copy);
    expect(after).not.toBe(before);
  });

  it('opens a window at the first failure and locks at the fifth failure inside it', () => {
    const record = failAt([T0, T0 + 1, T0 + 2, T0 + 3]);
    expect(record).toEqual({ failures: 4, windowStart: T0, windowFailures: 4, locks: 0, lockedUntil: 0, guesses: [] });
    expect(failAt([T0 + 4], record)).toEqual({
      failures: 5,
      windowStart: T0,
      windowFailures: 0,
      locks: 1,
      lockedUntil: T0 + 4 + 300_000,
      guesses: [],
    });
  });

  it('opens a new window once windowSeconds have passed since the window opened', () => {
    const record = failAt([T0, T0 + 1, T0 + 2, T0 + 3, T0 + 300_000]);
    expect(record).toMatchObject({ failures: 5, windowStart: T0 + 300_000, windowFailures: 1, locks: 0 });
  });

  it('refuses an attempt while locked and leaves the record as it was', () => {
    const locked = failAt([T0, T0, T0, T0, T0]);
    expect(recordAttempt(locked, T0 + 1000, policy)).toEqual({ allowed: false, record: locked });
    expect(recordAttempt(locked, T0 + 300_000, policy)).toEqual({
      allowed: true,
      record: { ...recordFailure(locked, T0 + 300_000, policy), guesses: [T0 + 300_000] },
    });
  });

  it('reports the remaining lock in whole seconds, rounded up, and at least 1', () => {
    const locked = failAt([T0, T0, T0, T0, T0]);
    expect(stateOf(locked, T0, policy).retryAfterSeconds).toBe(300);
    expect(stateOf(locked, T0 + 299_001, policy).retryAfterSeconds).toBe(1);
    expect(stateOf(locked, T0 + 299_999, policy).retryAfterSeconds).toBe(1);
    expect(stateOf(locked, T0 + 300_000, policy)).toMatchObject({ locked: false, retryAfterSeconds: 0 });
  });

  it('locks permanently at hardLimit, reporting maxLockSeconds as the wait', () => {
    const record = { ...EMPTY_RECORD, failures: 99 };
    expect(stateOf(record, T0, policy).permanent).toBe(false);
    const state = stateOf(recordFailure(record, T0, policy), T0 + 365 * 86_400_000, policy);
    expect(state).toEqual({ locked: true, retryAfterSeconds: 3600, failures: 100, permanent: true, budgetLeft: 30 });
  });

  describe('against any schedule of wrong guesses', () => {
    /** Gaps between guesses in ms: bursts, spacing just under and over the window, long pauses. */
    const schedules = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 290_000, max: 310_000 }),
        fc.integer({ min: 0, max: 4_000_000 }),
      ),
      { minLength: 1, maxLength: 250 },
    );

    /**
     * Replays the schedule the way the service does: each guess is an attempt, evaluated only when
     * the limit allows it, and every evaluated guess is counted as a failure.
     */
    function attack(gaps: number[]) {
      let record: RateLimitRecord = EMPTY_RECORD;
      let now = T0;
      const evaluated: number[] = [];
      for (const gap of gaps) {
        now += gap;
        const attempt = recordAttempt(record, now, policy);
        if (attempt.allowed) evaluated.push(now);
        record = attempt.record;
      }
      return { record, now, evaluated };
    }

    it('counts every evaluated guess, and never asks for a wait longer than maxLockSeconds', () => {
      fc.assert(
        fc.property(schedules, (gaps) => {
          const { record, now, evaluated } = attack(gaps);
          expect(record.failures).toBe(evaluated.length);
          expect(stateOf(record, now, policy).retryAfterSeconds).toBeLessThanOrEqual(policy.maxLockSeconds);
        }),
      );
    });

    it('evaluates at most 2·maxFailures − 1 guesses in any windowSeconds, and at most hardLimit in all', () => {
      fc.assert(
        fc.property(schedules, (gaps) => {
          const { evaluated } = attack(gaps);
          expect(evaluated.length).toBeLessThanOrEqual(policy.hardLimit);
          for (let i = 0; i < evaluated.length; i++) {
            const inWindow = evaluated.filter(
              (t) => t >= (evaluated[i] as number) && t < (evaluated[i] as number) + 300_000,
            );
            expect(inWindow.length).toBeLessThanOrEqual(2 * policy.maxFailures - 1);
          }
        }),
      );
    });

    it('evaluates at most guessBudget TOTP guesses in any rolling 24 h, however they are spread', () => {
      fc.assert(
        fc.property(schedules, (gaps) => {
          const { evaluated } = attack(gaps);
          for (let i = 0; i < evaluated.length; i++) {
            const start = evaluated[i] as number;
            const inDay = evaluated.filter((t) => t >= start && t < start + 86_400_000);
            expect(inDay.length).toBeLessThanOrEqual(policy.guessBudget);
          }
        }),
      );
    });

    it('never shortens a lock that is running', () => {
      fc.assert(
        fc.property(schedules, (gaps) => {
          let record: RateLimitRecord = EMPTY_RECORD;
          let now = T0;
          for (const gap of gaps) {
            now += gap;
            const next = recordFailure(record, now, policy);
            expect(next.lockedUntil).toBeGreaterThanOrEqual(record.lockedUntil);
            record = next;
          }
        }),
      );
    });
  });
});

describe('resolvePolicy', () => {
  it('applies the defaults', () => {
    expect(resolvePolicy()).toEqual(DEFAULT_RATE_LIMIT_POLICY);
    expect(resolvePolicy({ maxFailures: 3 }).maxFailures).toBe(3);
  });

  it.each([
    [{ maxFailures: 0 }, /maxFailures must be a positive number/],
    [{ maxFailures: 2.5 }, /whole numbers/],
    [{ windowSeconds: Number.NaN }, /windowSeconds/],
    [{ hardLimit: 3 }, /hardLimit must be at least maxFailures/],
    [{ hardLimit: 101 }, /hardLimit must be at most 100 \(NIST SP 800-63B §5.2.2\)/],
    [{ lockSeconds: 7200 }, /maxLockSeconds must be at least lockSeconds/],
    [{ retainSeconds: 60 }, /retainSeconds must be at least maxLockSeconds/],
    [{ retainSeconds: 3600 }, /guessBudgetWindowSeconds/],
    [{ guessBudget: 0 }, /guessBudget must be a positive number/],
    [{ guessBudget: 2.5 }, /whole numbers/],
    [{ setupLimit: Number.NaN }, /setupLimit/],
  ])('refuses %o', (overrides, message) => {
    expect(() => resolvePolicy(overrides)).toThrow(message);
  });
});
