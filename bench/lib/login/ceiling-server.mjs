// The ceiling of bench/login-ceiling.mjs: a plain node:http server that does only what a correct
// TOTP login must do, on the project's own tables and database. Parse the JSON body, read the
// authenticator's sealed secret (one SELECT), open it (the project's keyring: AES-256-GCM, the
// same format and authenticated data), check the code in the ±1 window (the project's core), and
// compare-and-set the step (one conditional UPDATE, committed on its own), then answer. No rate
// limit, no recovery-code count, no protocol checks beyond parsing: the least work a login can do.
//
// SQLite: its own better-sqlite3 connection to the same file, with the PRAGMA statements the
// project's store ran (sqlite-settings.mjs). PostgreSQL: a pool of the same size on the same
// server and schema, with named (prepared) statements.
import { config, now, serveLogins } from './child.mjs';
import { loadServer, packageRequire } from './server-source.mjs';
import { readBack } from './sqlite-settings.mjs';

const { createKeyring, verifyTotp } = (await loadServer(config.serverRoot)).index;
const keyring = createKeyring(config.keyring);
const require = packageRequire(config.serverRoot);
const tables = config.schema ? `"${config.schema}".totpkit_authenticators` : 'totpkit_authenticators';
const READ = `SELECT encrypted_secret, algorithm, digits, period FROM ${tables} WHERE user_id = $1`;
const ADVANCE = `UPDATE ${tables} SET last_used_step = $1, last_used_at = $2
  WHERE user_id = $3 AND (last_used_step IS NULL OR last_used_step < $4)`;
/** SQLite binds `?` by position. */
const positional = (sql) => sql.replace(/\$\d/g, '?');
const details = {};

function sqlite() {
  const Database = require('better-sqlite3');
  const db = new Database(config.sqliteFile);
  for (const statement of config.sqlitePragmas) db.exec(statement);
  details.sqlite = { statements: config.sqlitePragmas, ...readBack(db) };
  const read = db.prepare(positional(READ));
  const advance = db.prepare(positional(ADVANCE));
  return {
    read: async (userId) => read.get(userId),
    advance: async (userId, step, at) => advance.run(step, at, userId, step).changes === 1,
    close: async () => db.close(),
  };
}

function postgres() {
  const pg = require('pg');
  const pool = new pg.Pool({ connectionString: config.postgresUrl, max: config.poolSize, keepAlive: true });
  return {
    read: async (userId) => (await pool.query({ name: 'ceiling_read', text: READ, values: [userId] })).rows[0],
    advance: async (userId, step, at) =>
      (await pool.query({ name: 'ceiling_advance', text: ADVANCE, values: [step, at, userId, step] })).rowCount === 1,
    close: () => pool.end(),
  };
}

const db = config.store === 'sqlite' ? sqlite() : postgres();

async function login(userId, code) {
  const row = await db.read(userId);
  if (!row) return false;
  const secret = await keyring.open(row.encrypted_secret, 'totp-secret', userId);
  const at = now();
  const match = verifyTotp(secret, code, {
    time: at / 1000,
    algorithm: row.algorithm,
    digits: Number(row.digits),
    period: Number(row.period),
    tolerance: 1,
  });
  return match.ok && (await db.advance(userId, match.step, at));
}

function answer(response, status, body) {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

serveLogins(
  (request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let code;
      try {
        code = JSON.parse(Buffer.concat(chunks).toString('utf8')).code;
      } catch {
        return answer(response, 400, '{"error":{"code":"invalid_request"}}');
      }
      login(String(request.headers['x-test-user']), code).then(
        (ok) => answer(response, ok ? 200 : 400, ok ? '{"method":"totp"}' : '{"error":{"code":"invalid_code"}}'),
        () => answer(response, 500, '{"error":{"code":"internal_error"}}'),
      );
    });
  },
  { details, close: () => db.close() },
);
