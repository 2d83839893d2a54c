/**
 * A `ReplayCache` in the store's database, so that claims survive a restart and are shared by
 * every process using that database (for several machines, the PostgreSQL one or Redis).
 */
import { checkClaimExpiry, type ReplayCache } from '../../replay/types.js';
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

  async claim(key: string, expiresAt: number): Promise<boolean> {
    checkClaimExpiry(expiresAt);
    const { db, sql, now, ready } = this.#context;
    await ready();
    const at = now();
    if (expiresAt <= at) return false;
    await this.#sweeper.maybeSweep(at);
    // One statement: the database decides, under its own lock, whether the key is free. Rounded
    // up: a claim may outlive its expiry by under a millisecond, never fall short of it.
    const { rows } = await db.query(sql.claimReplayKey, [key, Math.ceil(expiresAt), at]);
    return rows.length === 1;
  }
}
