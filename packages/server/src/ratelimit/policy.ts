/**
 * The rate-limit state machine, as pure functions over a small record. The memory and SQL
 * limiters call these directly; the Redis limiter runs the same rules in a Lua script, and one
 * shared test suite holds every implementation to them.
 *
 *   - An attempt at a code is refused while the account is locked. Otherwise it is counted as a
 *     failure before the code is checked (`recordAttempt`), adding one to `failures` (consecutive,
 *     since the last success) and to the count of the current window, which starts at the first
 *     failure after the previous window or lock.
 *   - When the window count reaches `maxFailures`, the account is locked for
 *     lockSeconds × 2^(locks so far), capped at `maxLockSeconds`, and the window restarts.
 *   - When `failures` reaches `hardLimit`, the account is locked until `reset`.
 *   - A success calls `reset`, which forgets everything.
 */
import type { RateLimitPolicy, RateLimitState } from './types.js';

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = Object.freeze({
  maxFailures: 5,
  windowSeconds: 300,
  lockSeconds: 300,
  maxLockSeconds: 3600,
  hardLimit: 100,
  retainSeconds: 30 * 24 * 3600,
});

/**
 * The default policy with `overrides` applied, checked so that every limiter runs a coherent
 * one: a limit of zero failures or a record forgotten before its lock ends would silently
 * disable the limit.
 * @throws RangeError naming the field.
 */
export function resolvePolicy(overrides: Partial<RateLimitPolicy> = {}): RateLimitPolicy {
  const policy = { ...DEFAULT_RATE_LIMIT_POLICY, ...overrides };
  for (const [field, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`rate limit policy: ${field} must be a positive number.`);
  }
  if (!Number.isInteger(policy.maxFailures) || !Number.isInteger(policy.hardLimit)) {
    throw new RangeError('rate limit policy: maxFailures and hardLimit must be whole numbers.');
  }
  if (policy.hardLimit > 100) {
    throw new RangeError('rate limit policy: hardLimit must be at most 100 (NIST SP 800-63B §5.2.2).');
  }
  if (policy.hardLimit < policy.maxFailures) {
    throw new RangeError('rate limit policy: hardLimit must be at least maxFailures.');
  }
  if (policy.maxLockSeconds < policy.lockSeconds) {
    throw new RangeError('rate limit policy: maxLockSeconds must be at least lockSeconds.');
  }
  if (policy.retainSeconds < policy.maxLockSeconds) {
    throw new RangeError(
      'rate limit policy: retainSeconds must be at least maxLockSeconds, or a lock would be forgotten early.',
    );
  }
  return Object.freeze(policy);
}

/** What a limiter stores per account. Times are in milliseconds since the epoch. */
export interface RateLimitRecord {
  failures: number;
  windowStart: number;
  windowFailures: number;
  locks: number;
  lockedUntil: number;
}

export const EMPTY_RECORD: Readonly<RateLimitRecord> = Object.freeze({
  failures: 0,
  windowStart: 0,
  windowFailures: 0,
  locks: 0,
  lockedUntil: 0,
});

/** The state a record describes at `now`. */
export function stateOf(record: RateLimitRecord, now: number, policy: RateLimitPolicy): RateLimitState {
  const permanent = record.failures >= policy.hardLimit;
  const remainingMs = permanent ? policy.maxLockSeconds * 1000 : record.lockedUntil - now;
  const locked = permanent || remainingMs > 0;
  return {
    locked,
    retryAfterSeconds: locked ? Math.max(1, Math.ceil(remainingMs / 1000)) : 0,
    failures: record.failures,
    permanent,
  };
}

/** The record after one more failure at `now`, on an account that is not locked. */
export function recordFailure(record: RateLimitRecord, now: number, policy: RateLimitPolicy): RateLimitRecord {
  const next = { ...record, failures: record.failures + 1 };
  if (now - next.windowStart >= policy.windowSeconds * 1000 || next.windowFailures === 0) {
    next.windowStart = now;
    next.windowFailures = 0;
  }
  next.windowFailures += 1;
  if (next.windowFailures >= policy.maxFailures) {
    const lockMs = Math.min(policy.lockSeconds * 2 ** next.locks, policy.maxLockSeconds) * 1000;
    next.locks += 1;
    next.lockedUntil = now + lockMs;
    next.windowFailures = 0;
  }
  return next;
}

/**
 * One attempt at a code, decided before the code is looked at. While the account is locked the
 * attempt is refused and nothing changes. Otherwise it is counted as a failure up front and
 * allowed; a success then resets the record. Counting first is what keeps concurrent attempts
 * honest: checking the lock, evaluating, and counting afterwards would let any number of
 * simultaneous guesses through the same unlocked moment.
 */
export function recordAttempt(
  record: RateLimitRecord,
  now: number,
  policy: RateLimitPolicy,
): { allowed: boolean; record: RateLimitRecord } {
  if (stateOf(record, now, policy).locked) return { allowed: false, record };
  return { allowed: true, record: recordFailure(record, now, policy) };
}
