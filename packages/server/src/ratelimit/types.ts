/**
 * The rate limiter counts failed code attempts per account, across sessions and IP addresses, and
 * is shared by every path that accepts a code: login, activation, deactivation and regeneration
 * (RFC 4226 §7.3; OWASP MFA cheat sheet). Implementations apply `RateLimitPolicy` atomically.
 */

/**
 * What an attempt is at, which decides the limits it is held to (`policy.ts` `rulesOf`):
 * - `totp`: a TOTP code. The consecutive-failure lock and the rolling guess budget.
 * - `recovery`: a recovery code (50 bits). Only the lock, on a key of its own, so an attacker who
 *   spends the TOTP budget does not lock the real user out.
 * - `setup`: generating a secret and its QR code. Only a rolling budget (`setupLimit`).
 */
export type AttemptKind = 'totp' | 'recovery' | 'setup';

export interface RateLimitPolicy {
  /** Failures within `windowSeconds` that trigger a lock. Default 5. */
  maxFailures: number;
  /** The counting window. Default 300 s. */
  windowSeconds: number;
  /** The first lock's length; each further lock doubles it. Default 300 s. */
  lockSeconds: number;
  /** The longest lock (NIST SP 800-63B §5.2.2 suggests up to an hour). Default 3600 s. */
  maxLockSeconds: number;
  /**
   * Consecutive failures (since the last success) after which the account stays locked until
   * `reset` — NIST SP 800-63B §5.2.2 allows no more than 100, so 100 is also the maximum. Default 100.
   */
  hardLimit: number;
  /**
   * At most this many TOTP codes are evaluated per account in any `guessBudgetWindowSeconds`,
   * whatever successes happen in between: a success takes back only its own count. Default 30.
   */
  guessBudget: number;
  /** The guess budget's rolling window. Default 86 400 s (24 h). */
  guessBudgetWindowSeconds: number;
  /** At most this many setups (new secret and QR code) per account in any `setupWindowSeconds`. Default 20. */
  setupLimit: number;
  /** The setup limit's rolling window. Default 3600 s. */
  setupWindowSeconds: number;
  /**
   * How long an idle record is kept after its last counted attempt. Default 30 days. A record at
   * `hardLimit` is never dropped: only `reset` lifts that lock.
   */
  retainSeconds: number;
}

/** The state of one account after a check or a failure. */
export interface RateLimitState {
  /** True while the consecutive-failure lock (backoff or permanent) is on. */
  locked: boolean;
  /** Seconds until an attempt may be made again (lock and budget); 0 when one would be allowed now. */
  retryAfterSeconds: number;
  /** Consecutive failures since the last success. */
  failures: number;
  /** True when `hardLimit` was reached: only `reset` (an administrator) unlocks the account. */
  permanent: boolean;
  /** Attempts left in the rolling budget; 0 when it is spent. Null for a kind without a budget. */
  budgetLeft: number | null;
}

/** The answer to `attempt`: the state after it, and whether the code may be checked. */
export interface RateLimitAttempt extends RateLimitState {
  /** False when the account was locked or its budget spent: refuse without looking at the code. */
  allowed: boolean;
  /** The limiter's time of the attempt in ms; give it to `succeed` to take back this attempt's count. */
  at: number;
}

export interface RateLimiter {
  /** The account's state now. Rejects when the backend fails (the service then fails closed). */
  check(key: string, kind?: AttemptKind): Promise<RateLimitState>;

  /**
   * One attempt at a code, decided atomically before the code is looked at (`policy.ts`
   * `recordAttempt`): while the account is locked it is refused and not counted; otherwise it is
   * counted as a failure up front and allowed, so that however many attempts race, no more than
   * the limit are ever evaluated. A success then calls `succeed`. `kind` defaults to `totp`; one
   * key is always used with one kind.
   */
  attempt(key: string, kind?: AttemptKind): Promise<RateLimitAttempt>;

  /**
   * The attempt made at `attemptAt` (its `at`) was right: forgets the consecutive failures and
   * the backoff, and takes that one attempt back from the budget. Earlier wrong codes stay counted.
   */
  succeed(key: string, attemptAt: number): Promise<void>;

  /**
   * One attempt whose outcome the caller already knows (the code was checked first), settled
   * atomically in one call, which for a shared limiter is one round trip (`policy.ts`
   * `recordOutcome`): while the key is locked or its budget spent it is refused, nothing is
   * counted and the caller answers `rate_limited` whatever the code was; otherwise a wrong code
   * is counted, and a right one clears the consecutive failures without spending budget.
   * Optional for compatibility: without it the service calls `attempt`, then `succeed`.
   */
  settle?(key: string, kind: AttemptKind, ok: boolean): Promise<RateLimitAttempt>;

  /** Forgets everything about the key, the permanent lock and the budget included: an administrator's unlock. */
  reset(key: string): Promise<void>;

  /** Releases connections. */
  close?(): Promise<void>;
}
