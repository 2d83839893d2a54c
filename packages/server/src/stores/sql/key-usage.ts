/**
 * The statements behind `keyUsage` and `listAuthenticators`: counting records by the key id
 * they name (stores/key-usage.ts), grouped in the database, and paging
 * through authenticators in user-id order for re-keying in batches. The two engines spell
 * "the text before a separator" differently; everything else is shared SQL.
 */
import type { SqlDialect } from './database.js';
import { UNUSED_RECOVERY_CODES } from './recovery-set.js';
import type { SqlTables } from './schema.js';
import { AUTHENTICATOR_COLUMNS } from './statements.js';

/** The key id in `v1.<keyId>.…`, per engine. */
function sealedKeyId(dialect: SqlDialect['name']): string {
  return dialect === 'postgres'
    ? "split_part(encrypted_secret, '.', 2)"
    : "substr(encrypted_secret, 4, instr(substr(encrypted_secret, 4), '.') - 1)";
}

export function keyUsageStatements(t: SqlTables, dialect: SqlDialect['name']) {
  const secrets = (where: string) =>
    `SELECT ${sealedKeyId(dialect)} AS key_id, COUNT(*) AS count FROM ${t.authenticators}
      WHERE encrypted_secret LIKE 'v1.%'${where} GROUP BY 1`;
  // A set names its key once (sql/recovery-set.ts); used codes are no longer in it.
  const codes = (where: string) =>
    `SELECT recovery_key_id AS key_id, SUM(${UNUSED_RECOVERY_CODES}) AS count FROM ${t.authenticators}
      WHERE recovery_macs <> ''${where} GROUP BY 1`;
  return {
    secretsByKey: secrets(''),
    secretsByKeyForUser: secrets(' AND user_id = ?'),
    recoveryCodesByKey: codes(''),
    recoveryCodesByKeyForUser: codes(' AND user_id = ?'),
    /** A page of authenticators after a user id, in the order the next page continues from. */
    authenticatorsAfter: `SELECT ${AUTHENTICATOR_COLUMNS} FROM ${t.authenticators}
      WHERE user_id > ? ORDER BY user_id LIMIT ?`,
  };
}
