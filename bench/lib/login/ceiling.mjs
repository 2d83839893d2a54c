// The ceiling's work, once, for the two benchmarks that run it: lib/login/ceiling-server.mjs (a
// process of its own, for bench/login-ceiling.mjs) and bench/login-layers.mjs (beside the
// project's layers in one process). Only what a correct TOTP login must do: read the sealed secret
// (one SELECT), open it with the project's keyring, check the code in the ±1 window with the
// project's core, compare-and-set the step (one conditional UPDATE, committed on its own), answer.

/** The two statements, on the project's own table (in `schema` when given), with `$n` placeholders. */
export function ceilingStatements(schema) {
  const table = schema ? `"${schema}".totpkit_authenticators` : 'totpkit_authenticators';
  return {
    read: `SELECT encrypted_secret, algorithm, digits, period FROM ${table} WHERE user_id = $1`,
    advance: `UPDATE ${table} SET last_used_step = $1, last_used_at = $2
  WHERE user_id = $3 AND (last_used_step IS NULL OR last_used_step < $4)`,
  };
}

/**
 * The statements on a better-sqlite3 connection to `file` that first runs `pragmas` (the PRAGMA
 * statements the project's store ran, so that both commit alike).
 */
export function sqliteCeilingDatabase(Database, file, pragmas) {
  const db = new Database(file);
  for (const statement of pragmas) db.exec(statement);
  // SQLite binds `?` by position.
  const positional = (sql) => sql.replace(/\$\d/g, '?');
  const { read, advance } = ceilingStatements();
  const select = db.prepare(positional(read));
  const update = db.prepare(positional(advance));
  return {
    connection: db,
    read: async (userId) => select.get(userId),
    advance: async (userId, step, at) => update.run(step, at, userId, step).changes === 1,
    close: async () => db.close(),
  };
}

/** `login(userId, code)`: true when the code is right and its step was not used, which it now is. */
export function ceilingLogin({ db, keyring, verifyTotp, now }) {
  return async function login(userId, code) {
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
  };
}

/** A JSON answer with no more headers than a correct answer needs. */
export function answer(response, status, body) {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

/**
 * Reads the body the ceiling's way (every chunk, then one JSON.parse) and calls `then(userId, code)`
 * with the user the X-Test-User header names (TEST SERVERS ONLY); a body that is not JSON gets a 400.
 */
export function withCode(request, response, then) {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let code;
    try {
      code = JSON.parse(Buffer.concat(chunks).toString('utf8')).code;
    } catch {
      return answer(response, 400, '{"error":{"code":"invalid_request"}}');
    }
    then(String(request.headers['x-test-user']), code);
  });
}

/** The ceiling as a node:http listener over `login`. */
export function ceilingListener(login) {
  return (request, response) =>
    withCode(request, response, (userId, code) =>
      login(userId, code).then(
        (ok) => answer(response, ok ? 200 : 400, ok ? '{"method":"totp"}' : '{"error":{"code":"invalid_code"}}'),
        () => answer(response, 500, '{"error":{"code":"internal_error"}}'),
      ),
    );
}
