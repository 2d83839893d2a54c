/**
 * The rate-limit state machine, as pure functions over a small record. The memory and SQL
 * limiters call these directly; the Redis limiter runs the same rules in a Lua script, and one
 * shared test suite holds every implementation to them.
 *
 *   - Each failure adds one to `failures` (consecutive, since the last success) and to the count
 *     of the current window, which starts at the first failure after the previous window or lock.
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

/**
 * The record after one more failure at `now`. A failure that raced past the lock (checked
 * before another request locked the account) still counts towards `hardLimit`, since its guess
 * was evaluated, but does not lengthen the lock.
 */
export function recordFailure(record: RateLimitRecord, now: number, policy: RateLimitPolicy): RateLimitRecord {
  const next = { ...record, failures: record.failures + 1 };
  if (stateOf(record, now, policy).locked) return next;
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
