/**
 * A replay cache remembers keys for a while and lets each be claimed once. The service claims
 * `(authenticator, time step)` for every accepted TOTP code and the id of every enrollment token,
 * on top of the store's `lastUsedStep` compare-and-set.
 *
 * A claim ends at an absolute time, never after a TTL counted from the claiming instance's clock:
 * the thing it guards (a token, a step) expires at one moment for every instance, and the service
 * adds a clock-skew margin to it (DESIGN.md, "One-time use").
 */
export interface ReplayCache {
  /**
   * Atomically claims `key` until `expiresAt` (ms since the epoch). Resolves true for the first
   * claim and false for every other claim until then. An expiry already past by the cache's clock
   * is refused (false): such a claim could not be held, so granting it would guard nothing.
   * Rejects when the backend fails; the service then fails closed.
   */
  claim(key: string, expiresAt: number): Promise<boolean>;

  /** Releases connections. */
  close?(): Promise<void>;
}

/**
 * Every implementation's check of `claim`'s expiry. NaN or an infinite expiry cannot be stored
 * as a time, and a claim that is not held lets the same key be claimed again at once.
 * @throws RangeError for an expiry that is not a finite number of milliseconds.
 */
export function checkClaimExpiry(expiresAt: number): void {
  if (!Number.isFinite(expiresAt)) throw new RangeError('expiresAt must be a finite time in milliseconds.');
}
