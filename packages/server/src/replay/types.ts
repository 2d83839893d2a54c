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
