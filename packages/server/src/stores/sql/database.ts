/**
 * The thin layer between the shared SQL design and a driver. Everything under `stores/sql/` talks
 * to a `SqlDatabase`; `SqliteStore` and `PostgresStore` each supply one. The statements are
 * written once, with `?` placeholders, in SQL that both SQLite (3.35 or later, for `RETURNING`)
 * and PostgreSQL run unchanged; a dialect only rewrites placeholders and provides locking.
 */

/** What a statement parameter may be. Times travel as integer milliseconds, never as Date. */
export type SqlValue = string | number | null;

/** The outcome of one statement. */
export interface SqlResult<Row> {
  /** The rows a SELECT or a `RETURNING` clause produced; empty otherwise. */
  rows: Row[];
  /** Rows inserted, updated or deleted: what a conditional UPDATE is judged by. */
  changes: number;
}

/** Runs single statements, each atomic on its own. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<SqlResult<Row>>;
}

/** A connection (or pool) to one database, as the shared store code needs it. */
export interface SqlDatabase extends SqlSession {
  /** What differs between the engines; see `SqlDialect`. */
  readonly dialect: SqlDialect;
  /**
   * Runs `work` in one write transaction: committed when it resolves, rolled back when it throws.
   * Every transaction may write, so it takes the write lock early (SQLite `BEGIN IMMEDIATE`)
   * rather than upgrading a read lock later, which could fail instead of waiting.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** Releases the connection(s) the database owns. */
  close(): Promise<void>;
}

/** The two places where the engines' SQL really differs. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Appended to a SELECT whose rows must stay locked until commit. PostgreSQL needs
   * `FOR UPDATE`; SQLite has no row locks, and its `BEGIN IMMEDIATE` already holds the database.
   */
  readonly forUpdate: string;
  /**
   * Runs first in each migration transaction: serialises migrations between processes and
   * creates what the tables live in. SQLite's write lock already serialises; PostgreSQL takes an
   * advisory lock, because `CREATE … IF NOT EXISTS` alone is not safe when two servers start at
   * once, and then creates the schema.
   */
  prepareMigrations(tx: SqlSession): Promise<void>;
}
