/**
 * A `RateLimiter` in one process's memory, applying `policy.ts` directly. Correct for a single
 * process; with several instances use `RedisRateLimiter` or a SQL store's limiter, or an attacker
 * gets `maxFailures` guesses per instance.
 */
import {
  EMPTY_RECORD,
  isEmpty,
  isPermanent,
  type RateLimitRecord,
  recordAttempt,
  recordOutcome,
  recordSuccess,
  resolvePolicy,
  stateOf,
} from './policy.js';
import type { AttemptKind, RateLimitAttempt, RateLimiter, RateLimitPolicy, RateLimitState } from './types.js';

export interface MemoryRateLimiterOptions {
  policy?: Partial<RateLimitPolicy>;
  /** Clock in milliseconds; for tests. */
  now?: () => number;
}

/** How often, at most, idle records are swept. */
const SWEEP_INTERVAL_MS = 60_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly #records = new Map<string, { record: RateLimitRecord; touched: number }>();
  readonly #policy: RateLimitPolicy;
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#policy = resolvePolicy(options.policy);
    this.#now = options.now ?? Date.now;
  }

  async check(key: string, kind: AttemptKind = 'totp'): Promise<RateLimitState> {
    const now = this.#now();
    return stateOf(this.#get(key, now), now, this.#policy, kind);
  }

  async attempt(key: string, kind: AttemptKind = 'totp'): Promise<RateLimitAttempt> {
    const now = this.#now();
    this.#sweep(now);
    const { allowed, record } = recordAttempt(this.#get(key, now), now, this.#policy, kind);
    if (allowed) this.#records.set(key, { record, touched: now });
    return { ...stateOf(record, now, this.#policy, kind), allowed, at: now };
  }

  async settle(key: string, kind: AttemptKind, ok: boolean): Promise<RateLimitAttempt> {
    const now = this.#now();
    this.#sweep(now);
    const { allowed, record } = recordOutcome(this.#get(key, now), now, this.#policy, kind, ok);
    // A refused attempt changes nothing; a success leaves nothing to keep unless budget entries remain.
    if (allowed && isEmpty(record)) this.#records.delete(key);
    else if (allowed) this.#records.set(key, { record, touched: now });
    return { ...stateOf(record, now, this.#policy, kind), allowed, at: now };
  }

  async succeed(key: string, attemptAt: number): Promise<void> {
    const entry = this.#records.get(key);
    if (!entry) return;
    const record = recordSuccess(entry.record, attemptAt);
    if (isEmpty(record)) this.#records.delete(key);
    else this.#records.set(key, { record, touched: entry.touched });
  }

  async reset(key: string): Promise<void> {
    this.#records.delete(key);
  }

  /** Keys with a record; for tests of the memory bound. */
  get size(): number {
    return this.#records.size;
  }

  #get(key: string, now: number): RateLimitRecord {
    const entry = this.#records.get(key);
    if (!entry) return EMPTY_RECORD;
    if (this.#expired(entry, now)) {
      this.#records.delete(key);
      return EMPTY_RECORD;
    }
    return entry.record;
  }

  /** Idle past retention, and not a permanent lock, which only `reset` lifts. */
  #expired(entry: { record: RateLimitRecord; touched: number }, now: number): boolean {
    return now - entry.touched > this.#policy.retainSeconds * 1000 && !isPermanent(entry.record, this.#policy);
  }

  /** Drops idle records as attempts arrive, so accounts an attacker left do not pile up. */
  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [key, entry] of this.#records) if (this.#expired(entry, now)) this.#records.delete(key);
  }
}
