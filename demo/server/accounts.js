// Users and sessions of the demo app, in the same SQLite file as the totpkit tables.
//
// A session starts at the password step. When the user has two-factor authentication, it stays
// at stage 'password' until the server has verified a code; then it is replaced by a new session
// (a new id) at stage 'complete' (OWASP ASVS 5 §7.2.4: new session token on authentication).
//
// Only a SHA-256 of each session id is stored: a copy of the database (a backup, a dump) holds
// no cookie value that signs anyone in. The ids are 256 random bits, so a plain hash is enough;
// no salt or slow hash is needed to stop guessing.
import { createHash, randomBytes } from 'node:crypto';

// NIST SP 800-63B §4.2.3 (AAL2): reauthenticate at least every 12 hours, and after 30 minutes idle.
export const ABSOLUTE_MS = 12 * 3600_000;
export const IDLE_MS = 30 * 60_000;
// allauth's ACCOUNT_LOGIN_TIMEOUT for the pending two-factor stage; no idle extension.
export const PENDING_MS = 15 * 60_000;
// Write last_seen_at at most this often: reading a page should not always cost a write.
const TOUCH_EVERY_MS = 60_000;

const digest = (id) => createHash('sha256').update(id).digest('base64url');
const wellFormed = (id) => typeof id === 'string' && /^[\w-]{43}$/.test(id);

export function createAccounts(db, { now = Date.now } = {}) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS demo_users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS demo_session_hashes (
      id_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES demo_users(id) ON DELETE CASCADE,
      stage TEXT NOT NULL CHECK (stage IN ('password', 'complete')),
      authenticated_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS demo_session_hashes_user ON demo_session_hashes (user_id);
    -- The first version kept session ids in clear: sign every such session out.
    DROP TABLE IF EXISTS demo_sessions;
  `);
  const statements = {
    insertUser: db.prepare('INSERT INTO demo_users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)'),
    userByName: db.prepare('SELECT * FROM demo_users WHERE username = ?'),
    userById: db.prepare('SELECT * FROM demo_users WHERE id = ?'),
    rename: db.prepare('UPDATE demo_users SET username = ? WHERE id = ?'),
    insertSession: db.prepare(
      `INSERT INTO demo_session_hashes (id_hash, user_id, stage, authenticated_at, last_seen_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    session: db.prepare(
      `SELECT s.*, u.username FROM demo_session_hashes s JOIN demo_users u ON u.id = s.user_id
       WHERE s.id_hash = ? AND s.expires_at > ? AND (s.stage = 'password' OR s.last_seen_at > ?)`,
    ),
    touch: db.prepare('UPDATE demo_session_hashes SET last_seen_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM demo_session_hashes WHERE id_hash = ?'),
    deleteOthers: db.prepare('DELETE FROM demo_session_hashes WHERE user_id = ? AND id_hash != ?'),
    sweep: db.prepare(
      `DELETE FROM demo_session_hashes WHERE expires_at <= ? OR (stage = 'complete' AND last_seen_at <= ?)`,
    ),
  };

  /** Inserts a session and returns its id, which exists only in the cookie from now on. */
  function insert(userId, stage, authenticatedAt) {
    const at = now();
    statements.sweep.run(at, at - IDLE_MS);
    const id = randomBytes(32).toString('base64url');
    const expires = stage === 'complete' ? authenticatedAt + ABSOLUTE_MS : at + PENDING_MS;
    statements.insertSession.run(digest(id), userId, stage, authenticatedAt, at, expires);
    return id;
  }

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
    /** Gives the user a new name; false when another user has it. */
    renameUser(id, username) {
      try {
        return statements.rename.run(username, id).changes === 1;
      } catch (error) {
        if (String(error.code).startsWith('SQLITE_CONSTRAINT')) return false;
        throw error;
      }
    },

    /** A new session with a fresh random id, after a password (or a sign-up) just now. */
    startSession: (userId, stage) => insert(userId, stage, now()),

    /** The live session for a cookie value, or null: unknown, expired or idle too long. */
    session(id) {
      if (!wellFormed(id)) return null;
      const at = now();
      const session = statements.session.get(digest(id), at, at - IDLE_MS);
      if (!session) return null;
      if (at - session.last_seen_at >= TOUCH_EVERY_MS) statements.touch.run(at, session.id_hash);
      return { ...session, id };
    },
    endSession: (id) => wellFormed(id) && statements.deleteSession.run(digest(id)),

    /**
     * Replaces a complete session with a new id (ASVS 5.0 §7.2.4, §7.2.5). `reauthenticated`
     * restarts its clocks, as after a password; otherwise the original sign-in time is kept, so
     * rotating never stretches the 12-hour limit. With `signOutOthers`, every other session of the
     * user ends too. One transaction: the old id never outlives the new one.
     */
    rotate: db.transaction((session, { reauthenticated = false, signOutOthers = false } = {}) => {
      statements.deleteSession.run(digest(session.id));
      const id = insert(session.user_id, 'complete', reauthenticated ? now() : session.authenticated_at);
      if (signOutOthers) statements.deleteOthers.run(session.user_id, digest(id));
      return id;
    }),
  };
}
