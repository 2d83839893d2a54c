/**
 * Every statement the SQL stores run, written once for both engines with `?` placeholders.
 *
 * The two compare-and-set operations are single conditional UPDATEs judged by their affected-row
 * count (`advanceLastUsedStep`, `consumeRecoveryCode`): the database evaluates the condition
 * and writes under its own row lock, so of any number of racing callers exactly one changes the
 * row. A read followed by an unconditional write would let two callers both see the old value.
 */
import type { SqlDialect } from './database.js';
import { UNUSED_RECOVERY_CODES } from './recovery-set.js';
import type { SqlTables } from './schema.js';

export const AUTHENTICATOR_COLUMNS =
  'user_id, encrypted_secret, algorithm, digits, period, last_used_step, created_at, last_used_at';
export const TRUSTED_BROWSER_COLUMNS = 'id, user_id, token_hash, label, created_at, last_used_at, expires_at';
const RATE_LIMIT_COLUMNS = 'failures, window_start, window_failures, locks, locked_until, guesses, touched_at';
/** The recovery-code counts, read with the authenticator (stores/sql/recovery-set.ts). */
const RECOVERY_COUNTS = `recovery_total, ${UNUSED_RECOVERY_CODES} AS recovery_unused`;

/** The statements for one set of tables. */
export type SqlStatements = ReturnType<typeof sqlStatements>;

/** Builds the statements once per store, for its table names and dialect. */
export function sqlStatements(t: SqlTables, dialect: Pick<SqlDialect, 'forUpdate'>) {
  const advanceStep = `UPDATE ${t.authenticators} SET last_used_step = ?, last_used_at = ?
      WHERE user_id = ? AND (last_used_step IS NULL OR last_used_step < ?)`;
  return {
    getAuthenticator: `SELECT ${AUTHENTICATOR_COLUMNS}, ${RECOVERY_COUNTS} FROM ${t.authenticators} WHERE user_id = ?`,
    /** Inserts nothing, and changes 0 rows, when the user already has an authenticator. */
    insertAuthenticator: `INSERT INTO ${t.authenticators}
      (${AUTHENTICATOR_COLUMNS}, recovery_key_id, recovery_macs, recovery_total)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING`,
    advanceLastUsedStep: advanceStep,
    /** The compare-and-set of a TOTP login inside the limiter's transaction, with the counts it answers. */
    advanceLastUsedStepReturningCounts: `${advanceStep} RETURNING ${RECOVERY_COUNTS}`,
    /**
     * A right TOTP code's whole settlement, when the account has no rate-limit record: the step's
     * compare-and-set, and the counts. No record means nothing to check or clear, so the limiter
     * needs no write; when there is one, nothing changes here, and the limiter's transaction runs.
     */
    advanceLastUsedStepUnlimited: `${advanceStep}
      AND NOT EXISTS (SELECT 1 FROM ${t.rateLimits} WHERE key = ?) RETURNING ${RECOVERY_COUNTS}`,
    replaceEncryptedSecret: `UPDATE ${t.authenticators} SET encrypted_secret = ?
      WHERE user_id = ? AND encrypted_secret = ?`,
    deleteAuthenticator: `DELETE FROM ${t.authenticators} WHERE user_id = ?`,

    countRecoveryCodes: `SELECT ${RECOVERY_COUNTS} FROM ${t.authenticators} WHERE user_id = ?`,
    getRecoveryCodes: `SELECT recovery_key_id, recovery_macs FROM ${t.authenticators} WHERE user_id = ?`,
    /** Compare-and-set on the whole set: changes nothing when another use or a regeneration came first. */
    consumeRecoveryCode: `UPDATE ${t.authenticators} SET recovery_macs = ?, last_used_at = ?
      WHERE user_id = ? AND recovery_key_id = ? AND recovery_macs = ?`,
    replaceRecoveryCodes: `UPDATE ${t.authenticators} SET recovery_key_id = ?, recovery_macs = ?, recovery_total = ?
      WHERE user_id = ?`,

    /** Locks the authenticator's row, so a trusted browser cannot be added while it is being deleted. */
    lockAuthenticator: `SELECT user_id FROM ${t.authenticators} WHERE user_id = ?${dialect.forUpdate}`,
    insertTrustedBrowser: `INSERT INTO ${t.trustedBrowsers} (${TRUSTED_BROWSER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    getTrustedBrowser: `SELECT ${TRUSTED_BROWSER_COLUMNS} FROM ${t.trustedBrowsers} WHERE token_hash = ?`,
    touchTrustedBrowser: `UPDATE ${t.trustedBrowsers} SET last_used_at = ? WHERE id = ?`,
    listTrustedBrowsers: `SELECT ${TRUSTED_BROWSER_COLUMNS} FROM ${t.trustedBrowsers}
      WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id`,
    deleteTrustedBrowsers: `DELETE FROM ${t.trustedBrowsers} WHERE user_id = ?`,
    deleteTrustedBrowser: `DELETE FROM ${t.trustedBrowsers} WHERE user_id = ? AND id = ?`,
    sweepTrustedBrowsers: `DELETE FROM ${t.trustedBrowsers} WHERE expires_at <= ?`,

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
    /** A first record; changes nothing when another transaction created one meanwhile (PostgreSQL). */
    insertRateLimit: `INSERT INTO ${t.rateLimits} (${RATE_LIMIT_COLUMNS}, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
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
