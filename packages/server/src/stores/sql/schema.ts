/**
 * The tables of the SQL stores and the migrations that create them, shared by SQLite and
 * PostgreSQL. The types are the portable subset both engines read the same way: TEXT, INTEGER
 * and BIGINT. Times are BIGINT milliseconds since the epoch (no time zones, no driver-specific
 * date parsing), and "used" is a nullable `used_at` rather than a boolean, which SQLite lacks.
 *
 * A migration is never edited once released: change the schema by appending a new version.
 */

/** The qualified names of the tables, as they appear in statements. */
export interface SqlTables {
  authenticators: string;
  recoveryCodes: string;
  replayClaims: string;
  rateLimits: string;
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
    migrations: `${prefix}totpkit_migrations`,
  };
}

/** One step of the schema's history. */
export interface Migration {
  /** Applied in order, each exactly once; recorded in `totpkit_migrations`. */
  version: number;
  name: string;
  /** The DDL statements, run in one transaction. */
  statements(tables: SqlTables): string[];
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
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
