// The ceiling must run SQLite exactly as SqliteStore does: same journal mode, same `synchronous`.
// Reading `PRAGMA synchronous` back is not enough: in WAL mode a connection that never set it
// explicitly reads back 2 (FULL) yet commits as better-sqlite3's compiled WAL default (NORMAL, no
// fsync per commit). So the project's server records every PRAGMA its store's connection ran,
// and the ceiling runs the same PRAGMA statements, in the same order, on its own connection.
import { packageRequire } from './server-source.mjs';

const PRAGMA = /^\s*PRAGMA\b/i;
/** A PRAGMA that sets something (`PRAGMA x = y` or `PRAGMA x(y)`), as opposed to one that only reads. */
const SETS = /^\s*PRAGMA\s+[\w.]+\s*(=|\()/i;

/**
 * Watches the better-sqlite3 connections opened from now on by the package at `root`. Returns
 * `read()`, which stops watching and answers, for the first connection, the setting statements
 * it ran and what `synchronous` and `journal_mode` read back.
 */
export function watchSqliteSettings(root) {
  const Database = packageRequire(root)('better-sqlite3');
  const proto = Database.prototype;
  const originals = { exec: proto.exec, prepare: proto.prepare, pragma: proto.pragma };
  const seen = new Map();
  const record = (db, sql) => {
    if (!seen.has(db)) seen.set(db, []);
    // exec() may run several statements at once.
    for (const statement of sql.split(';')) {
      if (PRAGMA.test(statement) && SETS.test(statement)) seen.get(db).push(statement.trim());
    }
  };
  proto.exec = function exec(sql) {
    record(this, String(sql));
    return originals.exec.call(this, sql);
  };
  proto.prepare = function prepare(sql) {
    record(this, String(sql));
    return originals.prepare.call(this, sql);
  };
  proto.pragma = function pragma(source, options) {
    record(this, `PRAGMA ${source}`);
    return originals.pragma.call(this, source, options);
  };
  return {
    read() {
      Object.assign(proto, originals);
      const [[db, statements] = []] = seen;
      if (!db) throw new Error('The store opened no better-sqlite3 connection.');
      return {
        connections: seen.size,
        statements,
        ...readBack(db),
      };
    },
  };
}

/** What a connection's durability settings read back as. */
export function readBack(db) {
  return {
    synchronous: db.pragma('synchronous', { simple: true }),
    journalMode: db.pragma('journal_mode', { simple: true }),
  };
}
