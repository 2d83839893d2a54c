/**
 * A `ReplayCache` in one process's memory. Correct for a single process; with several instances
 * use `RedisReplayCache` (or a SQL store's cache), or a code could be claimed once per process.
 * Expired keys are swept as new claims arrive, so memory stays bounded by the live claims.
 */
import { checkClaimExpiry, type ReplayCache } from './types.js';

export interface MemoryReplayCacheOptions {
  /** Clock in milliseconds; for tests. */
  now?: () => number;
}

export class MemoryReplayCache implements ReplayCache {
  readonly #expiries = new Map<string, number>();
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(options: MemoryReplayCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** @throws RangeError for an expiry that is not a finite number of milliseconds. */
  async claim(key: string, expiresAt: number): Promise<boolean> {
    checkClaimExpiry(expiresAt);
    const now = this.#now();
    this.#sweep(now);
    if (expiresAt <= now) return false;
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.#expiries.set(key, expiresAt);
    return true;
  }

  /** Keys currently remembered; for tests of the memory bound. */
  get size(): number {
    return this.#expiries.size;
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 1000;
    for (const [key, expiry] of this.#expiries) if (expiry <= now) this.#expiries.delete(key);
  }
}
