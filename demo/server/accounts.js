// Users and sessions of the demo app, in the same SQLite file as the totpkit tables.
//
// A session starts at the password step. When the user has two-factor authentication, it stays
// at stage 'password' until the server has verified a code; then it is replaced by a new session
// (a new id) at stage 'complete' (OWASP ASVS 5 §7.2.4: new session token on authentication).
import { randomBytes } from 'node:crypto';

const SESSION_HOURS = 12; // NIST SP 800-63B §4.2.3: AAL2 reauthentication at least every 12 hours
const PENDING_MINUTES = 15; // allauth's ACCOUNT_LOGIN_TIMEOUT for the pending two-factor stage

export function createAccounts(db, { now = Date.now } = {}) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS demo_users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS demo_sessions (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES demo_users(id) ON DELETE CASCADE,
      stage TEXT NOT NULL CHECK (stage IN ('password', 'complete')),
      authenticated_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
  `);
  const statements = {
    insertUser: db.prepare('INSERT INTO demo_users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)'),
    userByName: db.prepare('SELECT * FROM demo_users WHERE username = ?'),
    userById: db.prepare('SELECT * FROM demo_users WHERE id = ?'),
    insertSession: db.prepare(
      'INSERT INTO demo_sessions (id, user_id, stage, authenticated_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    session: db.prepare(
      `SELECT s.*, u.username FROM demo_sessions s JOIN demo_users u ON u.id = s.user_id
       WHERE s.id = ? AND s.expires_at > ?`,
    ),
    deleteSession: db.prepare('DELETE FROM demo_sessions WHERE id = ?'),
    touchAuthentication: db.prepare('UPDATE demo_sessions SET authenticated_at = ? WHERE id = ?'),
    sweep: db.prepare('DELETE FROM demo_sessions WHERE expires_at <= ?'),
  };

  return {
    /** Creates a user; null when the name is taken. */
    createUser(username, passwordHash) {
      const id = randomBytes(12).toString('base64url');
      try {
        statements.insertUser.run(id, username, passwordHash, now());
      } catch (error) {
        if (String(error.code).startsWith('SQLITE_CONSTRAINT')) return null;
        throw error;
      }
      return { id, username };
    },
    userByName: (username) => statements.userByName.get(username) ?? null,
    userById: (id) => statements.userById.get(id) ?? null,

    /** A new session with a fresh random id. */
    startSession(userId, stage) {
      statements.sweep.run(now());
      const id = randomBytes(32).toString('base64url');
      const lifetime = stage === 'complete' ? SESSION_HOURS * 3600_000 : PENDING_MINUTES * 60_000;
      statements.insertSession.run(id, userId, stage, now(), now() + lifetime);
      return id;
    },
    session: (id) => (id ? (statements.session.get(id, now()) ?? null) : null),
    endSession: (id) => statements.deleteSession.run(id),
    /** After a password reauthentication: the session counts as freshly authenticated. */
    reauthenticated: (id) => statements.touchAuthentication.run(now(), id),
  };
}
