/**
 * The rate-limit state machine, as pure functions over a small record. The memory and SQL
 * limiters call these directly; the Redis limiter runs the same rules in a Lua script, and one
 * shared test suite holds every implementation to them.
 *
 * Two limits apply to a code, and a third kind of key only counts (`rulesOf`):
 *   - The lockout. An attempt at a code is refused while the account is locked. Otherwise it is
 *     counted as a failure before the code is checked (`recordAttempt`), adding one to `failures`
 *     (consecutive, since the last success) and to the count of the current window, which starts
 *     at the first failure after the previous window or lock. When the window count reaches
 *     `maxFailures`, the account is locked for lockSeconds × 2^(locks so far), capped at
 *     `maxLockSeconds`, and the window restarts. When `failures` reaches `hardLimit`, the account
 *     is locked until `reset`: no retention period or TTL ever forgets such a record.
 *   - The budget (TOTP codes and setups): the times of the counted attempts still inside a rolling
 *     window. When `max` of them are inside it, attempts are refused until the oldest leaves.
 *   - A success (`recordSuccess`) forgets the lockout's counts and backoff, and takes back only
 *     its own up-front count from the budget: the wrong codes before it stay counted.
 */
import type { AttemptKind, RateLimitPolicy, RateLimitState } from './types.js';

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = Object.freeze({
  maxFailures: 5,
  windowSeconds: 300,
  lockSeconds: 300,
  maxLockSeconds: 3600,
  hardLimit: 100,
  guessBudget: 30,
  guessBudgetWindowSeconds: 24 * 3600,
  setupLimit: 20,
  setupWindowSeconds: 3600,
  retainSeconds: 30 * 24 * 3600,
});

const WHOLE_NUMBERS = ['maxFailures', 'hardLimit', 'guessBudget', 'setupLimit'] as const;

/**
 * The default policy with `overrides` applied, checked so that every limiter runs a coherent
 * one: a limit of zero failures or a record forgotten before its lock or budget window ends would
 * silently disable the limit.
 * @throws RangeError naming the field.
 */
export function resolvePolicy(overrides: Partial<RateLimitPolicy> = {}): RateLimitPolicy {
  const policy = { ...DEFAULT_RATE_LIMIT_POLICY, ...overrides };
  for (const [field, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`rate limit policy: ${field} must be a positive number.`);
  }
  if (WHOLE_NUMBERS.some((field) => !Number.isInteger(policy[field]))) {
    throw new RangeError(`rate limit policy: ${WHOLE_NUMBERS.join(', ')} must be whole numbers.`);
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
  const longest = Math.max(policy.maxLockSeconds, policy.guessBudgetWindowSeconds, policy.setupWindowSeconds);
  if (policy.retainSeconds < longest) {
    throw new RangeError(
      'rate limit policy: retainSeconds must be at least maxLockSeconds, guessBudgetWindowSeconds and setupWindowSeconds, or a lock or budget would be forgotten early.',
    );
  }
  return Object.freeze(policy);
}

/** What a limiter stores per key. Times are in milliseconds since the epoch. */
export interface RateLimitRecord {
  failures: number;
  windowStart: number;
  windowFailures: number;
  locks: number;
  lockedUntil: number;
  /** When each attempt counted against the budget was made, oldest first (at most `max` live ones). */
  guesses: readonly number[];
}

export const EMPTY_RECORD: Readonly<RateLimitRecord> = Object.freeze({
  failures: 0,
  windowStart: 0,
  windowFailures: 0,
  locks: 0,
  lockedUntil: 0,
  guesses: Object.freeze([]) as readonly number[],
});

/** Which limits hold an attempt of `kind`. */
export interface AttemptRules {
  /** Counted toward the consecutive-failure lock, its backoff and `hardLimit`. */
  lockout: boolean;
  /** The rolling budget, or null for none. */
  budget: { max: number; windowMs: number } | null;
}

/** TOTP codes: lockout and guess budget. Recovery codes (50 bits): lockout only. Setups: a budget only. */
export function rulesOf(kind: AttemptKind, policy: RateLimitPolicy): AttemptRules {
  if (kind === 'recovery') return { lockout: true, budget: null };
  if (kind === 'setup') {
    return { lockout: false, budget: { max: policy.setupLimit, windowMs: policy.setupWindowSeconds * 1000 } };
  }
  return { lockout: true, budget: { max: policy.guessBudget, windowMs: policy.guessBudgetWindowSeconds * 1000 } };
}

/** The budget entries still inside the window at `now`: made less than `windowMs` ago. */
export function liveGuesses(guesses: readonly number[], now: number, rules: AttemptRules): number[] {
  const budget = rules.budget;
  if (!budget) return [];
  return guesses.filter((at) => now - at < budget.windowMs);
}

/** True when only `reset` may forget the record: no retention sweep or TTL may drop it. */
export function isPermanent(record: Pick<RateLimitRecord, 'failures'>, policy: RateLimitPolicy): boolean {
  return record.failures >= policy.hardLimit;
}

/** True when the record holds nothing worth keeping, so a limiter may delete it. */
export function isEmpty(record: RateLimitRecord): boolean {
  return record.failures === 0 && record.lockedUntil === 0 && record.guesses.length === 0;
}

/** The state a record of `kind` describes at `now`. */
export function stateOf(
  record: RateLimitRecord,
  now: number,
  policy: RateLimitPolicy,
  kind: AttemptKind = 'totp',
): RateLimitState {
  const rules = rulesOf(kind, policy);
  const permanent = rules.lockout && isPermanent(record, policy);
  const lockMs = !rules.lockout ? 0 : permanent ? policy.maxLockSeconds * 1000 : record.lockedUntil - now;
  const locked = permanent || lockMs > 0;
  const live = liveGuesses(record.guesses, now, rules);
  const budgetLeft = rules.budget ? Math.max(0, rules.budget.max - live.length) : null;
  // Spent: refused until enough of the oldest entries leave for one more to fit.
  const budgetMs =
    rules.budget && budgetLeft === 0
      ? (live[live.length - rules.budget.max] as number) + rules.budget.windowMs - now
      : 0;
  const waitMs = Math.max(locked ? lockMs : 0, budgetMs);
  return {
    locked,
    retryAfterSeconds: locked || budgetLeft === 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0,
    failures: record.failures,
    permanent,
    budgetLeft,
  };
}

/** The record after one more failure at `now`, on an account that is not locked (the lockout's part). */
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
 * One attempt, decided before the code is looked at. While the key is locked or its budget is
 * spent the attempt is refused and nothing changes. Otherwise it is counted up front (a failure
 * for the lockout, an entry in the budget) and allowed; a success then calls `recordSuccess`.
 * Counting first is what keeps concurrent attempts honest: checking the lock, evaluating, and
 * counting afterwards would let any number of simultaneous guesses through the same moment.
 */
export function recordAttempt(
  record: RateLimitRecord,
  now: number,
  policy: RateLimitPolicy,
  kind: AttemptKind = 'totp',
): { allowed: boolean; record: RateLimitRecord } {
  if (stateOf(record, now, policy, kind).retryAfterSeconds > 0) return { allowed: false, record };
  const rules = rulesOf(kind, policy);
  const next = rules.lockout ? recordFailure(record, now, policy) : { ...record };
  next.guesses = rules.budget ? [...liveGuesses(record.guesses, now, rules), now] : [];
  return { allowed: true, record: next };
}

/**
 * One attempt whose outcome is already known, settled in one atomic step (`RateLimiter.settle`):
 * while the key is locked or its budget spent it is refused, nothing changes, and the caller must
 * not reveal the outcome. Otherwise a wrong code is counted exactly as `recordAttempt` counts it,
 * and a right one clears the lockout's counts and backoff without spending budget, which is
 * `recordAttempt` followed by `recordSuccess` in one step.
 *
 * This is as strict as counting first: what an attacker learns is the answers, and every answer
 * is decided here, one at a time, against the counts of the answers before it. However many
 * guesses race, no more than the limits allow are ever answered.
 */
export function recordOutcome(
  record: RateLimitRecord,
  now: number,
  policy: RateLimitPolicy,
  kind: AttemptKind,
  ok: boolean,
): { allowed: boolean; record: RateLimitRecord } {
  if (stateOf(record, now, policy, kind).retryAfterSeconds > 0) return { allowed: false, record };
  if (ok) return { allowed: true, record: { ...EMPTY_RECORD, guesses: [...record.guesses] } };
  return recordAttempt(record, now, policy, kind);
}

/**
 * The record after the attempt made at `attemptAt` turned out right: the lockout forgets its
 * counts and backoff, and the budget loses that attempt's own entry and nothing else, so a user's
 * success never refunds an attacker's wrong guesses.
 */
export function recordSuccess(record: RateLimitRecord, attemptAt: number): RateLimitRecord {
  const guesses = [...record.guesses];
  const own = guesses.indexOf(attemptAt);
  if (own !== -1) guesses.splice(own, 1);
  return { ...EMPTY_RECORD, guesses };
}

/** The budget entries as stored by the SQL and Redis limiters: decimal ms, comma-separated. */
export function encodeGuesses(guesses: readonly number[]): string {
  return guesses.join(',');
}

/** Reads `encodeGuesses`' form; anything unreadable is dropped rather than trusted. */
export function decodeGuesses(text: string | null | undefined): number[] {
  if (!text) return [];
  return text
    .split(',')
    .map(Number)
    .filter((at) => Number.isFinite(at));
}
