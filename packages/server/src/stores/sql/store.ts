/**
 * `TotpStore` over any `SqlDatabase`: the shared half of `SqliteStore` and `PostgresStore`. It
 * migrates the tables on first use (or when `migrate()` is called at startup), and hands out a
 * replay cache and a rate limiter that keep their state in the same database.
 *
 * A user's state is one row: the authenticator with its recovery codes (sql/recovery-set.ts). So
 * every login operation of the store is one statement on one row (a recovery-code use reads the
 * set, then compare-and-sets it), and none needs a transaction. A TOTP login settled with this
 * store's own limiter (`settleTotp`) is one statement too when the account has no rate-limit
 * record, and one transaction otherwise. Trusted browsers have rows of their own: deactivation and
 * regeneration delete them in their transaction, after the authenticator's row, and a new one is
 * added under that row's lock, taken first in both, so none of these can deadlock another or
 * leave a trust behind a deactivation.
 */
import type { RateLimiter, RateLimitPolicy } from '../../ratelimit/types.js';
import type { ReplayCache } from '../../replay/types.js';
import { addUsage, type KeyUsage } from '../key-usage.js';
import type {
  AuthenticatorRecord,
  RecoveryCodeCounts,
  RecoveryCodeHash,
  SettledTotp,
  TotpSettlement,
  TotpStore,
  TrustedBrowserRecord,
  TrustedBrowserStore,
} from '../types.js';
import type { SqlContext } from './context.js';
import type { SqlDatabase } from './database.js';
import { keyUsageStatements } from './key-usage.js';
import { migrate } from './migrate.js';
import { SqlRateLimiter, settleTotpWith } from './rate-limiter.js';
import { packRecoverySet, recoveryCounts, withoutCode } from './recovery-set.js';
import { SqlReplayCache } from './replay-cache.js';
import {
  type AuthenticatorRow,
  authenticatorParams,
  type TrustedBrowserRow,
  toAuthenticatorRecord,
  toTrustedBrowserRecord,
  trustedBrowserParams,
} from './rows.js';
import type { SqlTables } from './schema.js';
import { type SqlStatements, sqlStatements } from './statements.js';
import { Sweeper } from './sweeper.js';

/** Options every SQL store takes. */
export interface SqlStoreOptions {
  /**
   * Clock in milliseconds, read by the replay cache, the rate limiter and the migration records
   * (the `TotpStore` methods get their times from the service). Default `Date.now`; for tests.
   */
  now?: () => number;
}

/** The `TotpStore` both SQL stores share; each supplies only its `SqlDatabase` and table names. */
export class SqlTotpStore implements TotpStore, TrustedBrowserStore {
  readonly #db: SqlDatabase;
  readonly #tables: SqlTables;
  readonly #sql: SqlStatements;
  readonly #keySql: ReturnType<typeof keyUsageStatements>;
  readonly #now: () => number;
  readonly #context: SqlContext;
  /** Expired trusted browsers, swept by the service's clock as new ones are added. */
  readonly #trustSweeper: Sweeper;
  #migrated: Promise<number> | null = null;
  /** Resolved once the migration succeeded: later calls wait for nothing (one fewer await per call). */
  #ready: Promise<void> | null = null;
  #closed: Promise<void> | null = null;

  protected constructor(db: SqlDatabase, tables: SqlTables, options: SqlStoreOptions = {}) {
    this.#db = db;
    this.#tables = tables;
    this.#sql = sqlStatements(tables, db.dialect);
    this.#keySql = keyUsageStatements(tables, db.dialect.name);
    this.#now = options.now ?? Date.now;
    this.#context = { db, sql: this.#sql, now: this.#now, ready: () => this.#whenReady() };
    this.#trustSweeper = new Sweeper((now) => db.query(this.#sql.sweepTrustedBrowsers, [now]));
  }

  /**
   * Creates or upgrades the tables, and resolves the schema version. Every method does this on
   * first use; call it at startup to fail fast when the database is unreachable. Safe to call
   * from several processes at once, and a no-op once done.
   */
  migrate(): Promise<number> {
    if (!this.#migrated) {
      const run = migrate(this.#db, this.#tables, this.#now);
      this.#migrated = run;
      // A failed attempt (the database was down) is retried by the next call, not cached.
      run.then(
        () => {
          if (this.#migrated === run) this.#ready = Promise.resolve();
        },
        () => {
          if (this.#migrated === run) this.#migrated = null;
        },
      );
    }
    return this.#migrated;
  }

  /** Resolves once the tables are migrated: at once after the first success, else by migrating. */
  #whenReady(): Promise<unknown> {
    return this.#ready ?? this.migrate();
  }

  /** A `ReplayCache` whose claims live in this store's database; closing the store closes it too. */
  replayCache(): ReplayCache {
    return new SqlReplayCache(this.#context);
  }

  /**
   * A `RateLimiter` whose records live in this store's database, applying `policy` over
   * `DEFAULT_RATE_LIMIT_POLICY`. Closing the store closes it too.
   */
  rateLimiter(policy?: Partial<RateLimitPolicy>): RateLimiter {
    return new SqlRateLimiter(this.#context, policy);
  }

  async getAuthenticator(userId: string): Promise<AuthenticatorRecord | null> {
    await this.#whenReady();
    const { rows } = await this.#db.query<AuthenticatorRow>(this.#sql.getAuthenticator, [userId]);
    return rows[0] ? toAuthenticatorRecord(rows[0]) : null;
  }

  async createAuthenticator(record: AuthenticatorRecord, recoveryCodes: RecoveryCodeHash[]): Promise<boolean> {
    const set = packRecoverySet(recoveryCodes);
    await this.#whenReady();
    // ON CONFLICT DO NOTHING: a racing activation waits for the first to commit, then inserts nothing.
    const { changes } = await this.#db.query(this.#sql.insertAuthenticator, [
      ...authenticatorParams(record),
      set.keyId,
      set.macs,
      set.total,
    ]);
    return changes === 1;
  }

  async advanceLastUsedStep(userId: string, step: number, at: Date): Promise<boolean> {
    await this.#whenReady();
    const { changes } = await this.#db.query(this.#sql.advanceLastUsedStep, [step, at.getTime(), userId, step]);
    return changes === 1;
  }

  async settleTotp(limiter: RateLimiter, settlement: TotpSettlement): Promise<SettledTotp | null> {
    return settleTotpWith(limiter, this.#context, settlement);
  }

  async replaceEncryptedSecret(userId: string, expected: string, next: string): Promise<boolean> {
    await this.#whenReady();
    const { changes } = await this.#db.query(this.#sql.replaceEncryptedSecret, [next, userId, expected]);
    return changes === 1;
  }

  async deleteAuthenticator(userId: string): Promise<boolean> {
    await this.#whenReady();
    // The recovery codes live in the row: they go with it. The trusted browsers go in the same
    // transaction, after the row's lock, which a racing addTrustedBrowser waits for.
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.query(this.#sql.deleteAuthenticator, [userId]);
      await tx.query(this.#sql.deleteTrustedBrowsers, [userId]);
      return changes === 1;
    });
  }

  async getRecoveryCodeCounts(userId: string): Promise<RecoveryCodeCounts | null> {
    await this.#whenReady();
    const { rows } = await this.#db.query<{ recovery_total: number | string; recovery_unused: number | string }>(
      this.#sql.countRecoveryCodes,
      [userId],
    );
    return recoveryCounts(rows[0]?.recovery_total, rows[0]?.recovery_unused);
  }

  async consumeRecoveryCode(userId: string, hash: string, at: Date): Promise<boolean> {
    await this.#whenReady();
    // Read the set, then compare-and-set it without the code. A lost race means another code was
    // used or the set replaced in between: read again, and the code is either still there or gone.
    for (;;) {
      const { rows } = await this.#db.query<{ recovery_key_id: string | null; recovery_macs: string }>(
        this.#sql.getRecoveryCodes,
        [userId],
      );
      const row = rows[0];
      if (!row) return false;
      const rest = withoutCode(row.recovery_key_id, row.recovery_macs, hash);
      if (rest === null) return false;
      const { changes } = await this.#db.query(this.#sql.consumeRecoveryCode, [
        rest,
        at.getTime(),
        userId,
        row.recovery_key_id,
        row.recovery_macs,
      ]);
      if (changes === 1) return true;
    }
  }

  async replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodeHash[]): Promise<boolean> {
    const set = packRecoverySet(recoveryCodes);
    await this.#whenReady();
    // New codes revoke every trusted browser, in the same transaction.
    return this.#db.transaction(async (tx) => {
      const { changes } = await tx.query(this.#sql.replaceRecoveryCodes, [set.keyId, set.macs, set.total, userId]);
      if (changes !== 1) return false;
      await tx.query(this.#sql.deleteTrustedBrowsers, [userId]);
      return true;
    });
  }

  async addTrustedBrowser(record: TrustedBrowserRecord): Promise<boolean> {
    await this.#whenReady();
    await this.#trustSweeper.maybeSweep(record.createdAt.getTime());
    // Under the authenticator's row lock: a deactivation either ran first (no row: nothing is
    // added) or waits for this insert, then deletes it with the rest.
    return this.#db.transaction(async (tx) => {
      const { rows } = await tx.query(this.#sql.lockAuthenticator, [record.userId]);
      if (rows.length === 0) return false;
      await tx.query(this.#sql.insertTrustedBrowser, trustedBrowserParams(record));
      return true;
    });
  }

  async getTrustedBrowser(tokenHash: string): Promise<TrustedBrowserRecord | null> {
    await this.#whenReady();
    const { rows } = await this.#db.query<TrustedBrowserRow>(this.#sql.getTrustedBrowser, [tokenHash]);
    return rows[0] ? toTrustedBrowserRecord(rows[0]) : null;
  }

  async touchTrustedBrowser(id: string, at: Date): Promise<void> {
    await this.#whenReady();
    await this.#db.query(this.#sql.touchTrustedBrowser, [at.getTime(), id]);
  }

  async listTrustedBrowsers(userId: string, now: Date): Promise<TrustedBrowserRecord[]> {
    await this.#whenReady();
    const { rows } = await this.#db.query<TrustedBrowserRow>(this.#sql.listTrustedBrowsers, [userId, now.getTime()]);
    return rows.map(toTrustedBrowserRecord);
  }

  async deleteTrustedBrowsers(userId: string, id?: string): Promise<number> {
    await this.#whenReady();
    const { changes } =
      id === undefined
        ? await this.#db.query(this.#sql.deleteTrustedBrowsers, [userId])
        : await this.#db.query(this.#sql.deleteTrustedBrowser, [userId, id]);
    return changes;
  }

  async keyUsage({ userId }: { userId?: string } = {}): Promise<KeyUsage> {
    await this.#whenReady();
    const one = userId === undefined ? [] : [userId];
    const usage: KeyUsage = {};
    const count = async (sql: string, kind: 'secrets' | 'recoveryCodes') => {
      const { rows } = await this.#db.query<{ key_id: string; count: number | string }>(sql, one);
      for (const row of rows) addUsage(usage, row.key_id || null, kind, Number(row.count));
    };
    const k = this.#keySql;
    await count(userId === undefined ? k.secretsByKey : k.secretsByKeyForUser, 'secrets');
    await count(userId === undefined ? k.recoveryCodesByKey : k.recoveryCodesByKeyForUser, 'recoveryCodes');
    return usage;
  }

  async listAuthenticators({ after, limit }: { after: string | null; limit: number }): Promise<AuthenticatorRecord[]> {
    await this.#whenReady();
    // '' sorts before every user id, which is never empty.
    const { rows } = await this.#db.query<AuthenticatorRow>(this.#keySql.authenticatorsAfter, [after ?? '', limit]);
    return rows.map(toAuthenticatorRecord);
  }

  /** Closes the database, and with it this store's replay cache and rate limiter. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#db.close();
    return this.#closed;
  }
}
