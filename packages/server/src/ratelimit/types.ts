/**
 * The rate limiter counts failed code attempts per account, across sessions and IP addresses, and
 * is shared by every path that accepts a code: login, activation, deactivation and regeneration
 * (RFC 4226 §7.3; OWASP MFA cheat sheet). Implementations apply `RateLimitPolicy` atomically.
 */

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
  /** How long an idle account's failure record is kept. Default 30 days. */
  retainSeconds: number;
}

/** The state of one account after a check or a failure. */
export interface RateLimitState {
  /** True while attempts are refused. */
  locked: boolean;
  /** Seconds until an attempt may be made again; 0 when not locked. */
  retryAfterSeconds: number;
  /** Consecutive failures since the last success. */
  failures: number;
  /** True when `hardLimit` was reached: only `reset` (an administrator) unlocks the account. */
  permanent: boolean;
}

/** The answer to `attempt`: the state after it, and whether the code may be checked. */
export interface RateLimitAttempt extends RateLimitState {
  /** False when the account was locked: refuse without looking at the code. */
  allowed: boolean;
}

export interface RateLimiter {
  /** The account's state now. Rejects when the backend fails (the service then fails closed). */
  check(key: string): Promise<RateLimitState>;

  /**
   * One attempt at a code, decided atomically before the code is looked at (`policy.ts`
   * `recordAttempt`): while the account is locked it is refused and not counted; otherwise it is
   * counted as a failure up front and allowed, so that however many attempts race, no more than
   * the limit are ever evaluated. A success then calls `reset`.
   */
  attempt(key: string): Promise<RateLimitAttempt>;

  /** Forgets the account's failures: after a success, or an administrator's unlock. */
  reset(key: string): Promise<void>;

  /** Releases connections. */
  close?(): Promise<void>;
}
