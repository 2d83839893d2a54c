/**
 * The statements behind `keyUsage` and `listAuthenticators`: counting records by the key id
 * their stored value starts with (stores/key-usage.ts), grouped in the database, and paging
 * through authenticators in user-id order for re-keying in batches. The two engines spell
 * "the text before a separator" differently; everything else is shared SQL.
 */
import type { SqlDialect } from './database.js';
import type { SqlTables } from './schema.js';
import { AUTHENTICATOR_COLUMNS } from './statements.js';

/** The key id in `v1.<keyId>.…` and in `<keyId>:…`, per engine. */
function keyIdExpressions(dialect: SqlDialect['name']): { sealed: string; hash: string } {
  return dialect === 'postgres'
    ? { sealed: "split_part(encrypted_secret, '.', 2)", hash: "split_part(hash, ':', 1)" }
    : {
        sealed: "substr(encrypted_secret, 4, instr(substr(encrypted_secret, 4), '.') - 1)",
        hash: "substr(hash, 1, instr(hash, ':') - 1)",
      };
}

export function keyUsageStatements(t: SqlTables, dialect: SqlDialect['name']) {
  const id = keyIdExpressions(dialect);
  const secrets = (where: string) =>
    `SELECT ${id.sealed} AS key_id, COUNT(*) AS count FROM ${t.authenticators}
      WHERE encrypted_secret LIKE 'v1.%'${where} GROUP BY 1`;
  const codes = (where: string) =>
    `SELECT ${id.hash} AS key_id, COUNT(*) AS count FROM ${t.recoveryCodes}
      WHERE used_at IS NULL AND hash LIKE '%:%'${where} GROUP BY 1`;
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
