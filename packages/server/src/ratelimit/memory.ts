/**
 * A `RateLimiter` in one process's memory, applying `policy.ts` directly. Correct for a single
 * process; with several instances use `RedisRateLimiter` or a SQL store's limiter, or an attacker
 * gets `maxFailures` guesses per instance.
 */
import { EMPTY_RECORD, type RateLimitRecord, recordAttempt, resolvePolicy, stateOf } from './policy.js';
import type { RateLimitAttempt, RateLimiter, RateLimitPolicy, RateLimitState } from './types.js';

export interface MemoryRateLimiterOptions {
  policy?: Partial<RateLimitPolicy>;
  /** Clock in milliseconds; for tests. */
  now?: () => number;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly #records = new Map<string, { record: RateLimitRecord; touched: number }>();
  readonly #policy: RateLimitPolicy;
  readonly #now: () => number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#policy = resolvePolicy(options.policy);
    this.#now = options.now ?? Date.now;
  }

  async check(key: string): Promise<RateLimitState> {
    return stateOf(this.#get(key, this.#now()), this.#now(), this.#policy);
  }

  async attempt(key: string): Promise<RateLimitAttempt> {
    const now = this.#now();
    const { allowed, record } = recordAttempt(this.#get(key, now), now, this.#policy);
    if (allowed) this.#records.set(key, { record, touched: now });
    return { ...stateOf(record, now, this.#policy), allowed };
  }

  async reset(key: string): Promise<void> {
    this.#records.delete(key);
  }

  /** Accounts with a failure record; for tests of the memory bound. */
  get size(): number {
    return this.#records.size;
  }

  #get(key: string, now: number): RateLimitRecord {
    const entry = this.#records.get(key);
    if (!entry) return EMPTY_RECORD;
    if (now - entry.touched > this.#policy.retainSeconds * 1000) {
      this.#records.delete(key);
      return EMPTY_RECORD;
    }
    return entry.record;
  }
}
