/**
 * `PostgresStore`: the store for several servers, on node-postgres (`pg`). Its replay cache and
 * rate limiter live in the same database, so an app with PostgreSQL needs no Redis for
 * correctness (Redis is faster for the two hot paths).
 *
 * A dead or unreachable server must turn into a rejected call within seconds (the service then
 * answers `store_unavailable`), never a request that hangs: hence the connection, statement and
 * query timeouts on the pool it creates.
 *
 * Every statement is sent as a named prepared statement, so each connection parses and plans it
 * once and then only binds and executes it: the same round trip, without the parse and plan
 * that dominated PostgreSQL's CPU per login. A name is derived from the statement's text, which
 * spells out the schema, so two stores on one pool never share a name for different SQL.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { TotpkitError } from '../errors.js';
import type { SqlDatabase, SqlDialect, SqlResult, SqlSession, SqlValue } from './sql/database.js';
import { quoteIdentifier, sqlTables } from './sql/schema.js';
import { type SqlStoreOptions, SqlTotpStore } from './sql/store.js';

export interface PostgresStoreOptions extends SqlStoreOptions {
  /** `postgres://user:password@host:5432/database`. Required unless `pool` is given. */
  connectionString?: string;
  /**
   * The schema that holds the tables, created when missing; every statement names it. Lower-case
   * letters, digits and `_`, so that it means the same quoted and unquoted. Default: the
   * connection's `search_path`.
   */
  schema?: string;
  /** Your own pool, shared with the rest of the app. `close()` leaves it open, and its timeouts are yours. */
  pool?: pg.Pool;
  /** Connections in the pool the store creates. Default 10. */
  max?: number;
  /** How long to wait for a connection (to open one, or for a free one) before failing, in ms. Default 5000. */
  connectionTimeoutMs?: number;
  /**
   * Send statements as named prepared statements, parsed and planned once per connection.
   * Default true. Set false behind a pooler that hands each transaction to any server
   * connection without tracking prepared statements (PgBouncer in transaction mode before 1.21,
   * or without `max_prepared_statements`).
   */
  preparedStatements?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The advisory-lock key of totpkit migrations (`pg_advisory_xact_lock(bigint)`): "totpkit" in ASCII. */
const MIGRATION_LOCK = '32773643191413108';

function postgresDialect(schema: string | undefined): SqlDialect {
  return {
    name: 'postgres',
    forUpdate: ' FOR UPDATE',
    async prepareMigrations(tx) {
      // Held until the migration transaction ends: a second server starting at the same moment
      // waits here, then finds the schema and tables in place.
      await tx.query('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
      if (schema !== undefined) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    },
  };
}

/** `?` → `$1, $2, …`; the shared statements contain no other question marks. */
function numberPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/**
 * The prepared statement's name: the same for the same text in every process, so it stays
 * valid on a connection that outlives a store, and different for any other text (node-postgres
 * refuses to prepare one name for two texts on one connection). 63 bytes is PostgreSQL's limit.
 */
function statementName(text: string): string {
  return `totpkit_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}

class PostgresDatabase implements SqlDatabase {
  readonly dialect: SqlDialect;
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #prepared: boolean;
  readonly #statements = new Map<string, { name?: string; text: string }>();

  constructor(pool: pg.Pool, ownsPool: boolean, schema: string | undefined, prepared: boolean) {
    this.dialect = postgresDialect(schema);
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#prepared = prepared;
  }

  query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<SqlResult<Row>> {
    return this.#run(this.#pool, sql, params);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    const client = await this.#checkOut(onError);
    try {
      await client.query('BEGIN');
      const result = await work({ query: (sql, params = []) => this.#run(client, sql, params) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection itself is gone: destroy it rather than hand it to the next caller.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * A client from the pool with `onError` listening from the moment the pool hands it over. While
   * a client is checked out the pool no longer listens for its 'error' event, and pg emits one when
   * the connection dies (a reset, pg_terminate_backend, a server restart) even though the pending
   * query rejects too: unheard, it crashes the process. The listener is attached in connect()'s
   * callback, synchronously, because the promise form resumes a microtask later: a FATAL message
   * parsed from the same socket chunk as the previous user's last reply would land in between.
   */
  #checkOut(onError: (error: Error) => void): Promise<pg.PoolClient> {
    return new Promise((resolve, reject) => {
      this.#pool.connect((error, client) => {
        if (error || !client) return reject(error ?? new Error('The pool gave no client.'));
        client.on('error', onError);
        resolve(client);
      });
    });
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }

  async #run<Row>(runner: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[]): Promise<SqlResult<Row>> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      const text = numberPlaceholders(sql);
      statement = this.#prepared ? { name: statementName(text), text } : { text };
      this.#statements.set(sql, statement);
    }
    const result = await runner.query({ ...statement, values: params as SqlValue[] });
    return { rows: result.rows as Row[], changes: result.rowCount ?? 0 };
  }
}

function createPool(options: PostgresStoreOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    // The server cancels a statement stuck on a lock; the client gives up on a server that has
    // stopped answering altogether; neither leaves a request hanging.
    statement_timeout: 5000,
    query_timeout: 10_000,
    idle_in_transaction_session_timeout: 10_000,
    keepAlive: true,
  });
  // An idle connection that breaks (server restart) is discarded by the pool; without a listener
  // its 'error' event would crash the process. The next call reports the failure instead.
  pool.on('error', () => {});
  return pool;
}

/**
 * A `TotpStore` in PostgreSQL, with `replayCache()` and `rateLimiter()` in the same database. It
 * creates its schema and tables and keeps them migrated; several servers may start at once.
 *
 * @example
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL, schema: 'totpkit' });
 */
export class PostgresStore extends SqlTotpStore {
  /**
   * Connects lazily: the first call (or `migrate()`) opens a connection and migrates.
   * @throws TotpkitError `invalid_configuration` without a connection string or pool, or for a bad schema name.
   */
  constructor(options: PostgresStoreOptions) {
    if (!options.pool && !options.connectionString) {
      throw new TotpkitError('invalid_configuration', 'PostgresStore needs a connectionString or a pool.');
    }
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new TotpkitError(
        'invalid_configuration',
        'PostgresStore schema must be 1 to 63 lower-case letters, digits or underscores, not starting with a digit.',
      );
    }
    const pool = options.pool ?? createPool(options);
    const database = new PostgresDatabase(pool, !options.pool, options.schema, options.preparedStatements ?? true);
    super(database, sqlTables(options.schema), options);
  }
}
