/**
 * `@totpkit/server/sqlite`: the SQLite store, on its own entry point so that only apps that use it
 * need better-sqlite3 installed.
 */
export { SqliteStore, type SqliteStoreOptions } from './stores/sqlite.js';
