/**
 * A `RateLimiter` in the store's database: lockouts survive a restart and hold across every
 * process using that database. The rules are those of `ratelimit/policy.ts`, applied to the row
 * inside a transaction that locks it (PostgreSQL `SELECT … FOR UPDATE`, SQLite's write lock), so
 * concurrent attempts queue up instead of overwriting each other's counts.
 *
 * An account without a record costs nothing: a right code on it writes no row (`settle`), and a
 * TOTP login settled with the store (`settleTotpWith`) is then the step's compare-and-set alone,
 * one statement that also checks that no record has appeared.
 */
import {
  EMPTY_RECORD,
  isEmpty,
  isPermanent,
  liveGuesses,
  type RateLimitRecord,
  recordAttempt,
  recordOutcome,
  recordSuccess,
  resolvePolicy,
  rulesOf,
  stateOf,
} from '../../ratelimit/policy.js';
import type {
  AttemptKind,
  RateLimitAttempt,
  RateLimiter,
  RateLimitPolicy,
  RateLimitState,
} from '../../ratelimit/types.js';
import type { RecoveryCodeCounts, SettledTotp, TotpSettlement } from '../types.js';
import type { SqlContext } from './context.js';
import type { SqlSession } from './database.js';
import { recoveryCounts } from './recovery-set.js';
import { type RateLimitRow, rateLimitParams, toRateLimitRecord } from './rows.js';
import { Sweeper } from './sweeper.js';

/** The database each limiter keeps its records in: `settleTotpWith` works only with the store's own. */
const contexts = new WeakMap<RateLimiter, SqlContext>();

type CountsRow = { recovery_total: number | string; recovery_unused: number | string };

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
    contexts.set(this, context);
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

  async settle(key: string, kind: AttemptKind, ok: boolean): Promise<RateLimitAttempt> {
    const { db, sql, now, ready } = this.#context;
    await ready();
    await this.#sweeper.maybeSweep(now());
    if (ok) {
      // A right code on a key without a record changes nothing: one read, no write transaction.
      // A record created meanwhile by a wrong code is one that this success came before.
      const { rows } = await db.query<RateLimitRow>(sql.getRateLimit, [key]);
      if (rows.length === 0) {
        const at = now();
        return { ...stateOf(EMPTY_RECORD, at, this.#policy, kind), allowed: true, at };
      }
    }
    return db.transaction((tx) => this.#settleIn(tx, key, kind, async () => ok));
  }

  /** `settleTotpWith`, once the limiter is known to be the store's. */
  async settleTotp({ userId, limitKey, step, at }: TotpSettlement): Promise<SettledTotp> {
    const { db, sql, now, ready } = this.#context;
    await ready();
    const sweep = this.#sweeper.maybeSweep(now());
    if (sweep) await sweep;
    if (step !== null) {
      const { rows } = await db.query<CountsRow>(sql.advanceLastUsedStepUnlimited, [
        step,
        at.getTime(),
        userId,
        step,
        limitKey,
      ]);
      const won = rows[0];
      if (won) {
        const time = now();
        const limit = { ...stateOf(EMPTY_RECORD, time, this.#policy, 'totp'), allowed: true, at: time };
        return { limit, advanced: true, recoveryCodes: recoveryCounts(won.recovery_total, won.recovery_unused) };
      }
    }
    // A wrong code, an account with a record, or a step already used: the limiter decides in a
    // transaction, and the compare-and-set, when the attempt is allowed, runs inside it.
    let advanced = false;
    let recoveryCodes: RecoveryCodeCounts | null = null;
    const limit = await db.transaction((tx) =>
      this.#settleIn(tx, limitKey, 'totp', async () => {
        if (step === null) return false;
        const { rows } = await tx.query<CountsRow>(sql.advanceLastUsedStepReturningCounts, [
          step,
          at.getTime(),
          userId,
          step,
        ]);
        const won = rows[0];
        if (!won) return false;
        advanced = true;
        recoveryCodes = recoveryCounts(won.recovery_total, won.recovery_unused);
        return true;
      }),
    );
    return { limit, advanced, recoveryCodes };
  }

  async reset(key: string): Promise<void> {
    const { db, sql, ready } = this.#context;
    await ready();
    await db.query(sql.deleteRateLimit, [key]);
  }

  /**
   * One attempt settled inside `tx` (`recordOutcome`): `decide` runs only when the attempt is
   * allowed, and says whether the code was right. A right code on a key without a record writes
   * nothing; a record that the outcome empties is deleted.
   */
  async #settleIn(
    tx: SqlSession,
    key: string,
    kind: AttemptKind,
    decide: () => Promise<boolean>,
  ): Promise<RateLimitAttempt> {
    const { sql, now } = this.#context;
    for (;;) {
      // Read the clock only once the row is ours, so queued attempts apply in time order.
      const at = now();
      const { rows } = await tx.query<RateLimitRow>(sql.lockRateLimit, [key]);
      const row = rows[0];
      const current = this.#live(row, at);
      const allowed = stateOf(current, at, this.#policy, kind).retryAfterSeconds === 0;
      const ok = allowed && (await decide());
      const outcome = recordOutcome(current, at, this.#policy, kind, ok).record;
      // Budget entries past their window count for nothing: dropped, a record left with none is
      // deleted, and the account's next right code is one statement again.
      const record = { ...outcome, guesses: liveGuesses(outcome.guesses, at, rulesOf(kind, this.#policy)) };
      const settled = { ...stateOf(record, at, this.#policy, kind), allowed, at };
      if (!allowed) return settled;
      if (row) {
        if (isEmpty(record)) await tx.query(sql.deleteRateLimit, [key]);
        else await tx.query(sql.updateRateLimit, rateLimitParams(key, record, ok ? Number(row.touched_at) : at));
        return settled;
      }
      if (isEmpty(record)) return settled;
      const { changes } = await tx.query(sql.insertRateLimit, rateLimitParams(key, record, at));
      if (changes === 1) return settled;
      // PostgreSQL only (SQLite's transaction holds the whole database): another transaction
      // created the record after our read, which locked nothing. Lock it and decide again; only
      // a wrong code gets here, and a compare-and-set that failed once fails again.
    }
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

/**
 * `TotpStore.settleTotp` for the SQL stores: null unless `limiter` keeps its records in the
 * store's database (`context`), since only then can one transaction hold both.
 */
export function settleTotpWith(
  limiter: RateLimiter,
  context: SqlContext,
  settlement: TotpSettlement,
): Promise<SettledTotp> | null {
  if (contexts.get(limiter) !== context || !(limiter instanceof SqlRateLimiter)) return null;
  return limiter.settleTotp(settlement);
}
