/**
 * The tables of the SQL stores and the migrations that create them, shared by SQLite and
 * PostgreSQL. The types are the portable subset both engines read the same way: TEXT, INTEGER
 * and BIGINT. Times are BIGINT milliseconds since the epoch (no time zones, no driver-specific
 * date parsing). Where the engines spell a function differently (migration 4), the migration
 * is given the dialect's name.
 *
 * A migration is never edited once released: change the schema by appending a new version.
 */
import { STORED_MAC_LENGTH } from '../../crypto/recovery-codes.js';
import type { SqlDialect } from './database.js';

/** The qualified names of the tables, as they appear in statements. */
export interface SqlTables {
  authenticators: string;
  /** A row per recovery code until migration 4 moved the codes into `authenticators` and dropped it. */
  recoveryCodes: string;
  replayClaims: string;
  rateLimits: string;
  /** Migration 5: a row per trusted browser, holding only the keyed hash of its token. */
  trustedBrowsers: string;
  migrations: string;
}

/** `"name"` with embedded quotes doubled: the SQL-standard identifier quoting both engines use. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The table names, qualified by `schema` when one is given (PostgreSQL). */
export function sqlTables(schema?: string): SqlTables {
  const prefix = schema === undefined ? '' : `${quoteIdentifier(schema)}.`;
  return {
    authenticators: `${prefix}totpkit_authenticators`,
    recoveryCodes: `${prefix}totpkit_recovery_codes`,
    replayClaims: `${prefix}totpkit_replay_claims`,
    rateLimits: `${prefix}totpkit_rate_limits`,
    trustedBrowsers: `${prefix}totpkit_trusted_browsers`,
    migrations: `${prefix}totpkit_migrations`,
  };
}

/** One step of the schema's history. */
export interface Migration {
  /** Applied in order, each exactly once; recorded in `totpkit_migrations`. */
  version: number;
  name: string;
  /**
   * Run first in the migration's transaction: a query that returns a row when the data cannot be
   * migrated without loss, and what to say then. The migration then fails, and writes nothing.
   */
  refuse?(tables: SqlTables, dialect: SqlDialect['name']): { query: string; message: string };
  /** The statements, run in one transaction. */
  statements(tables: SqlTables, dialect: SqlDialect['name']): string[];
}

/** The schema's history, oldest first. The last version is the one this code needs. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'authenticators and recovery codes',
    statements: (t) => [
      `CREATE TABLE ${t.authenticators} (
        user_id TEXT NOT NULL PRIMARY KEY,
        encrypted_secret TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        digits INTEGER NOT NULL,
        period INTEGER NOT NULL,
        last_used_step BIGINT,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT
      )`,
      // The unique constraint's index leads with user_id, so it also serves the per-user
      // counts and deletes; a separate user_id index would only slow the writes down.
      `CREATE TABLE ${t.recoveryCodes} (
        user_id TEXT NOT NULL REFERENCES ${t.authenticators} (user_id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        used_at BIGINT,
        CONSTRAINT totpkit_recovery_codes_user_hash UNIQUE (user_id, hash)
      )`,
    ],
  },
  {
    version: 2,
    name: 'replay claims and rate limits',
    statements: (t) => [
      `CREATE TABLE ${t.replayClaims} (
        key TEXT NOT NULL PRIMARY KEY,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE INDEX totpkit_replay_claims_expires_at ON ${t.replayClaims} (expires_at)`,
      // The fields of RateLimitRecord (ratelimit/policy.ts), plus when the row last changed so
      // that idle rows can be swept after policy.retainSeconds.
      `CREATE TABLE ${t.rateLimits} (
        key TEXT NOT NULL PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_start BIGINT NOT NULL,
        window_failures INTEGER NOT NULL,
        locks INTEGER NOT NULL,
        locked_until BIGINT NOT NULL,
        touched_at BIGINT NOT NULL
      )`,
      `CREATE INDEX totpkit_rate_limits_touched_at ON ${t.rateLimits} (touched_at)`,
    ],
  },
  {
    version: 3,
    name: 'rate-limit guess budget',
    // RateLimitRecord.guesses: the times of the attempts counted against the rolling budget
    // (at most guessBudget live ones), comma-separated, as ratelimit/policy.ts encodes them.
    statements: (t) => [`ALTER TABLE ${t.rateLimits} ADD COLUMN guesses TEXT NOT NULL DEFAULT ''`],
  },
  {
    version: 4,
    name: 'recovery codes in the authenticator row',
    // A set of recovery codes moves into its authenticator's row (stores/sql/recovery-set.ts): the
    // key id once, the first STORED_MAC_LENGTH characters of each unused code's MAC, and how many
    // codes the set had. A row per code cost 1,433 bytes per user in SQLite; this costs ~130.
    // The MAC prefixes are cut from the stored hashes, so every unused code keeps working. A set
    // that would not fit (codes under two key ids, or a hash not in the keyring's form) is never
    // made by the service; the migration refuses it rather than drop a code.
    refuse: (t, dialect) => {
      const colon = dialect === 'postgres' ? "strpos(hash, ':')" : "instr(hash, ':')";
      return {
        query: `SELECT user_id FROM ${t.recoveryCodes} WHERE used_at IS NULL GROUP BY user_id
          HAVING COUNT(DISTINCT substr(hash, 1, ${colon} - 1)) > 1 OR MIN(${colon}) < 2
            OR MIN(length(hash) - ${colon}) < ${STORED_MAC_LENGTH}
          LIMIT 1`,
        message:
          "Migration 4 moves each user's recovery codes into one row under one key id, but some user has unused " +
          `recovery codes under several key ids or hashes not of the form <keyId>:<MAC of ${STORED_MAC_LENGTH}+ characters>. ` +
          "Regenerate that user's codes with the previous @totpkit/server, then upgrade.",
      };
    },
    statements: (t, dialect) => {
      const colon = dialect === 'postgres' ? "strpos(hash, ':')" : "instr(hash, ':')";
      const concat = dialect === 'postgres' ? 'string_agg' : 'group_concat';
      const unused = `FROM ${t.recoveryCodes} c WHERE c.user_id = ${t.authenticators}.user_id AND c.used_at IS NULL`;
      return [
        `ALTER TABLE ${t.authenticators} ADD COLUMN recovery_key_id TEXT`,
        `ALTER TABLE ${t.authenticators} ADD COLUMN recovery_macs TEXT NOT NULL DEFAULT ''`,
        `ALTER TABLE ${t.authenticators} ADD COLUMN recovery_total INTEGER NOT NULL DEFAULT 0`,
        // The order of the prefixes means nothing: the string is the set of unused codes.
        `UPDATE ${t.authenticators} SET
          recovery_total = (SELECT COUNT(*) FROM ${t.recoveryCodes} c WHERE c.user_id = ${t.authenticators}.user_id),
          recovery_key_id = (SELECT MIN(substr(hash, 1, ${colon} - 1)) ${unused}),
          recovery_macs = COALESCE((SELECT ${concat}(substr(hash, ${colon} + 1, ${STORED_MAC_LENGTH}), '') ${unused}), '')`,
        `DROP TABLE ${t.recoveryCodes}`,
      ];
    },
  },
  {
    version: 5,
    name: 'trusted browsers',
    // No foreign key: the store deletes a user's rows itself, in the transaction that deletes the
    // authenticator or replaces its recovery codes, and adds one only under the authenticator's
    // row lock (stores/sql/store.ts). token_hash is the lookup; user_id serves the list and the
    // deletes; expires_at the sweep.
    statements: (t) => [
      `CREATE TABLE ${t.trustedBrowsers} (
        id TEXT NOT NULL PRIMARY KEY,
        user_id TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        expires_at BIGINT NOT NULL,
        CONSTRAINT totpkit_trusted_browsers_token_hash UNIQUE (token_hash)
      )`,
      `CREATE INDEX totpkit_trusted_browsers_user_id ON ${t.trustedBrowsers} (user_id)`,
      `CREATE INDEX totpkit_trusted_browsers_expires_at ON ${t.trustedBrowsers} (expires_at)`,
    ],
  },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
