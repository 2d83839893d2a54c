/**
 * Every statement the SQL stores run, written once for both engines with `?` placeholders.
 *
 * The two compare-and-set operations are single conditional UPDATEs judged by their affected-row
 * count (`advanceLastUsedStep`, `consumeRecoveryCode`): the database evaluates the condition
 * and writes under its own row lock, so of any number of racing callers exactly one changes the
 * row. A read followed by a write in JavaScript would let two callers both see the old value.
 */
import type { SqlDialect } from './database.js';
import type { SqlTables } from './schema.js';

export const AUTHENTICATOR_COLUMNS =
  'user_id, encrypted_secret, algorithm, digits, period, last_used_step, created_at, last_used_at';
const RATE_LIMIT_COLUMNS = 'failures, window_start, window_failures, locks, locked_until, guesses, touched_at';

/** The statements for one set of tables. */
export type SqlStatements = ReturnType<typeof sqlStatements>;

/** Builds the statements once per store, for its table names and dialect. */
export function sqlStatements(t: SqlTables, dialect: Pick<SqlDialect, 'forUpdate'>) {
  return {
    getAuthenticator: `SELECT ${AUTHENTICATOR_COLUMNS} FROM ${t.authenticators} WHERE user_id = ?`,
    /** Inserts nothing, and changes 0 rows, when the user already has an authenticator. */
    insertAuthenticator: `INSERT INTO ${t.authenticators} (${AUTHENTICATOR_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING`,
    /** Holds the user's authenticator row until commit: taken first by every transaction on a user's codes. */
    lockAuthenticator: `SELECT user_id FROM ${t.authenticators} WHERE user_id = ?${dialect.forUpdate}`,
    advanceLastUsedStep: `UPDATE ${t.authenticators} SET last_used_step = ?, last_used_at = ?
      WHERE user_id = ? AND (last_used_step IS NULL OR last_used_step < ?)`,
    touchAuthenticator: `UPDATE ${t.authenticators} SET last_used_at = ? WHERE user_id = ?`,
    replaceEncryptedSecret: `UPDATE ${t.authenticators} SET encrypted_secret = ?
      WHERE user_id = ? AND encrypted_secret = ?`,
    deleteAuthenticator: `DELETE FROM ${t.authenticators} WHERE user_id = ?`,

    /** One multi-row INSERT, so a set of codes costs one round trip. */
    insertRecoveryCodes: (count: number) =>
      `INSERT INTO ${t.recoveryCodes} (user_id, hash, used_at) VALUES ${Array(count).fill('(?, ?, NULL)').join(', ')}`,
    countRecoveryCodes: `SELECT COUNT(*) AS total, COUNT(used_at) AS used FROM ${t.recoveryCodes} WHERE user_id = ?`,
    consumeRecoveryCode: `UPDATE ${t.recoveryCodes} SET used_at = ?
      WHERE user_id = ? AND hash = ? AND used_at IS NULL`,
    deleteRecoveryCodes: `DELETE FROM ${t.recoveryCodes} WHERE user_id = ?`,

    /**
     * Claims a key: inserts it, or takes over an expired claim. A live claim makes the
     * conditional DO UPDATE skip the row, so RETURNING yields nothing: claimed iff a row comes back.
     */
    claimReplayKey: `INSERT INTO ${t.replayClaims} AS claim (key, expires_at) VALUES (?, ?)
      ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE claim.expires_at <= ?
      RETURNING key`,
    sweepReplayClaims: `DELETE FROM ${t.replayClaims} WHERE expires_at <= ?`,

    /**
     * Makes sure the row exists before it is locked: `SELECT … FOR UPDATE` locks nothing when
     * there is no row yet, and two first failures would then both write from an empty record.
     */
    ensureRateLimit: `INSERT INTO ${t.rateLimits} (key, ${RATE_LIMIT_COLUMNS}) VALUES (?, 0, 0, 0, 0, 0, '', ?)
      ON CONFLICT (key) DO NOTHING`,
    getRateLimit: `SELECT ${RATE_LIMIT_COLUMNS} FROM ${t.rateLimits} WHERE key = ?`,
    lockRateLimit: `SELECT ${RATE_LIMIT_COLUMNS} FROM ${t.rateLimits} WHERE key = ?${dialect.forUpdate}`,
    updateRateLimit: `UPDATE ${t.rateLimits}
      SET failures = ?, window_start = ?, window_failures = ?, locks = ?, locked_until = ?, guesses = ?, touched_at = ?
      WHERE key = ?`,
    deleteRateLimit: `DELETE FROM ${t.rateLimits} WHERE key = ?`,
    /** Idle rows, except a lock at hardLimit (the second parameter): only `reset` lifts that one. */
    sweepRateLimits: `DELETE FROM ${t.rateLimits} WHERE touched_at < ? AND failures < ?`,
  };
}
