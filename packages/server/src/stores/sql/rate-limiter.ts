/**
 * A `RateLimiter` in the store's database: lockouts survive a restart and hold across every
 * process using that database. The rules are those of `ratelimit/policy.ts`, applied to the row
 * inside a transaction that locks it (PostgreSQL `SELECT … FOR UPDATE`, SQLite's write lock), so
 * concurrent attempts queue up instead of overwriting each other's counts.
 */
import {
  EMPTY_RECORD,
  isEmpty,
  isPermanent,
  type RateLimitRecord,
  recordAttempt,
  recordSuccess,
  resolvePolicy,
  stateOf,
} from '../../ratelimit/policy.js';
import type {
  AttemptKind,
  RateLimitAttempt,
  RateLimiter,
  RateLimitPolicy,
  RateLimitState,
} from '../../ratelimit/types.js';
import type { SqlContext } from './context.js';
import { type RateLimitRow, rateLimitParams, toRateLimitRecord } from './rows.js';
import { Sweeper } from './sweeper.js';

/** One row of `totpkit_rate_limits` per account key, holding a `RateLimitRecord`. */
export class SqlRateLimiter implements RateLimiter {
  readonly #context: SqlContext;
  readonly #policy: RateLimitPolicy;
  readonly #sweeper: Sweeper;

  /** Use `store.rateLimiter(policy)`. */
  constructor(context: SqlContext, policy: Partial<RateLimitPolicy> = {}) {
    this.#context = context;
    this.#policy = resolvePolicy(policy);
    this.#sweeper = new Sweeper((now) =>
      context.db.query(context.sql.sweepRateLimits, [now - this.#policy.retainSeconds * 1000, this.#policy.hardLimit]),
    );
  }

  async check(key: string, kind: AttemptKind = 'totp'): Promise<RateLimitState> {
    const { db, sql, now, ready } = this.#context;
    await ready();
    const { rows } = await db.query<RateLimitRow>(sql.getRateLimit, [key]);
    const at = now();
    return stateOf(this.#live(rows[0], at), at, this.#policy, kind);
  }

  async attempt(key: string, kind: AttemptKind = 'totp'): Promise<RateLimitAttempt> {
    const { db, sql, now, ready } = this.#context;
    await ready();
    await this.#sweeper.maybeSweep(now());
    const { allowed, record, at } = await db.transaction(async (tx) => {
      // Read the clock only once the row is ours, so queued attempts apply in time order.
      const at = now();
      await tx.query(sql.ensureRateLimit, [key, at]);
      const { rows } = await tx.query<RateLimitRow>(sql.lockRateLimit, [key]);
      const { allowed, record } = recordAttempt(this.#live(rows[0], at), at, this.#policy, kind);
      if (allowed) await tx.query(sql.updateRateLimit, rateLimitParams(key, record, at));
      return { allowed, record, at };
    });
    return { ...stateOf(record, at, this.#policy, kind), allowed, at };
  }

  async succeed(key: string, attemptAt: number): Promise<void> {
    const { db, sql, ready } = this.#context;
    await ready();
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<RateLimitRow>(sql.lockRateLimit, [key]);
      const row = rows[0];
      if (!row) return;
      const record = recordSuccess(toRateLimitRecord(row), attemptAt);
      if (isEmpty(record)) await tx.query(sql.deleteRateLimit, [key]);
      else await tx.query(sql.updateRateLimit, rateLimitParams(key, record, Number(row.touched_at)));
    });
  }

  async reset(key: string): Promise<void> {
    const { db, sql, ready } = this.#context;
    await ready();
    await db.query(sql.deleteRateLimit, [key]);
  }

  /**
   * The stored record, or an empty one when there is none or it has been idle past retention —
   * unless it is a lock at hardLimit, which only `reset` lifts.
   */
  #live(row: RateLimitRow | undefined, now: number): RateLimitRecord {
    if (!row) return EMPTY_RECORD;
    const record = toRateLimitRecord(row);
    const idle = now - Number(row.touched_at) > this.#policy.retainSeconds * 1000;
    return idle && !isPermanent(record, this.#policy) ? EMPTY_RECORD : record;
  }
}
