/**
 * `@totpkit/server/postgres`: the PostgreSQL store, on its own entry point so that only apps that
 * use it need `pg` installed.
 */
export { PostgresStore, type PostgresStoreOptions } from './stores/postgres.js';
