/**
 * `@totpkit/server/sqlite`: the SQLite store, on its own entry point. It takes a connection from
 * better-sqlite3, `node:sqlite` or `bun:sqlite`; better-sqlite3 is loaded only when the store is
 * asked to open a `filename` itself.
 */
export {
  type SqliteConnection,
  type SqliteStatement,
  SqliteStore,
  type SqliteStoreOptions,
} from './stores/sqlite.js';
