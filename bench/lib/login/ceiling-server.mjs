// The ceiling of bench/login-ceiling.mjs: a plain node:http server that does only what a correct
// TOTP login must do (lib/login/ceiling.mjs), on the project's own tables and database. Parse the
// JSON body, read the authenticator's sealed secret (one SELECT), open it (the project's keyring:
// AES-256-GCM, the same format and authenticated data), check the code in the ±1 window (the
// project's core), and compare-and-set the step (one conditional UPDATE, committed on its own),
// then answer. No rate limit, no recovery-code count, no protocol checks beyond parsing: the
// least work a login can do.
//
// SQLite: its own better-sqlite3 connection to the same file, with the PRAGMA statements the
// project's store ran (sqlite-settings.mjs). PostgreSQL: a pool of the same size on the same
// server and schema, with named (prepared) statements.
import { ceilingListener, ceilingLogin, ceilingStatements, sqliteCeilingDatabase } from './ceiling.mjs';
import { config, now, serveLogins } from './child.mjs';
import { loadServer, packageRequire } from './server-source.mjs';
import { readBack } from './sqlite-settings.mjs';

const { createKeyring, verifyTotp } = (await loadServer(config.serverRoot)).index;
const keyring = createKeyring(config.keyring);
const require = packageRequire(config.serverRoot);
const details = {};

function sqlite() {
  const db = sqliteCeilingDatabase(require('better-sqlite3'), config.sqliteFile, config.sqlitePragmas);
  details.sqlite = { statements: config.sqlitePragmas, ...readBack(db.connection) };
  return db;
}

function postgres() {
  const pg = require('pg');
  const pool = new pg.Pool({ connectionString: config.postgresUrl, max: config.poolSize, keepAlive: true });
  const { read, advance } = ceilingStatements(config.schema);
  return {
    read: async (userId) => (await pool.query({ name: 'ceiling_read', text: read, values: [userId] })).rows[0],
    advance: async (userId, step, at) =>
      (await pool.query({ name: 'ceiling_advance', text: advance, values: [step, at, userId, step] })).rowCount === 1,
    close: () => pool.end(),
  };
}

const db = config.store === 'sqlite' ? sqlite() : postgres();

serveLogins(ceilingListener(ceilingLogin({ db, keyring, verifyTotp, now })), { details, close: () => db.close() });
