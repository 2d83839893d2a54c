/**
 * A replay cache remembers keys for a while and lets each be claimed once. The service claims
 * `(authenticator, time step)` for every accepted TOTP code and the id of every enrollment token,
 * on top of the store's `lastUsedStep` compare-and-set.
 */
export interface ReplayCache {
  /**
   * Atomically claims `key` for `ttlMs`. Resolves true for the first claim and false for every
   * other claim until the TTL ends. Rejects when the backend fails; the service then fails closed.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;

  /** Releases connections. */
  close?(): Promise<void>;
}

/**
 * Every implementation's check of `claim`'s TTL. A NaN or non-positive TTL would grant the claim
 * without holding it, so the same key could be claimed again at once.
 * @throws RangeError for a TTL that is not a positive, finite number of milliseconds.
 */
export function checkClaimTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number of milliseconds.');
}
