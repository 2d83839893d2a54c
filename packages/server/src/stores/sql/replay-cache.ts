/**
 * A `ReplayCache` in the store's database, so that claims survive a restart and are shared by
 * every process using that database (for several machines, the PostgreSQL one or Redis).
 */
import { checkClaimTtl, type ReplayCache } from '../../replay/types.js';
import type { SqlContext } from './context.js';
import { Sweeper } from './sweeper.js';

/** Claims as rows of `totpkit_replay_claims`, each with its expiry. */
export class SqlReplayCache implements ReplayCache {
  readonly #context: SqlContext;
  readonly #sweeper: Sweeper;

  /** Use `store.replayCache()`. */
  constructor(context: SqlContext) {
    this.#context = context;
    this.#sweeper = new Sweeper((now) => context.db.query(context.sql.sweepReplayClaims, [now]));
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    checkClaimTtl(ttlMs);
    const { db, sql, now, ready } = this.#context;
    await ready();
    const at = now();
    await this.#sweeper.maybeSweep(at);
    // One statement: the database decides, under its own lock, whether the key is free.
    const { rows } = await db.query(sql.claimReplayKey, [key, at + Math.ceil(ttlMs), at]);
    return rows.length === 1;
  }
}
