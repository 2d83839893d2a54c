// Dependency decision (issue 13, runtime-native SQLite): better-sqlite3 stays an OPTIONAL peer
// dependency of @totpkit/server (peerDependenciesMeta.optional), never a dependency. It is loaded
// only when a SqliteStore is given a `filename` and no `database`; Bun, Deno and Node ≥ 22.5 users
// pass their runtime's own connection (bun:sqlite, node:sqlite) and never install it.
/**
 * `SqliteStore`: the embedded default, one file on one machine, on better-sqlite3 12.
 *
 * - WAL journal: readers never block the writer, and several processes can share the file.
 * - A busy timeout: a process that finds another one writing waits for the lock instead of
 *   failing with SQLITE_BUSY.
 * - Every transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front; a deferred
 *   transaction that later tries to write can fail at once rather than wait.
 * - better-sqlite3 is synchronous, but the shared SQL code awaits between the statements of a
 *   transaction. Other callers in this process must not slip their statements into it (they would
 *   be rolled back with it), so all work on one file from one process runs through a queue: one
 *   transaction or statement at a time. The queue is per file, not per connection, because a second
 *   connection in the same process would otherwise block the event loop waiting, in its busy
 *   handler, for a lock that only the blocked event loop could release.
 */
import { realpathSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SqlDatabase, SqlDialect, SqlResult, SqlSession, SqlValue } from './sql/database.js';
import { sqlTables } from './sql/schema.js';
import { type SqlStoreOptions, SqlTotpStore } from './sql/store.js';

export interface SqliteStoreOptions extends SqlStoreOptions {
  /** The database file, created with its tables when missing; `':memory:'` for a private in-memory database. */
  filename: string;
  /** How long to wait for another process's write lock before failing, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
}

const SQLITE: SqlDialect = {
  name: 'sqlite',
  forUpdate: '',
  // BEGIN IMMEDIATE has already taken the database's write lock, across processes.
  prepareMigrations: async () => {},
};

/** Runs tasks one after another. */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  /** Connections sharing this queue; it is forgotten when the last one closes. */
  users = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

const queues = new Map<string, SerialQueue>();

function isInMemory(filename: string): boolean {
  return filename === '' || filename === ':memory:';
}

class SqliteDatabase implements SqlDatabase {
  readonly dialect = SQLITE;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #queueKey: string | null;
  readonly #queue: SerialQueue;
  readonly #session: SqlSession = { query: async (sql, params) => this.#execute(sql, params) };

  constructor(filename: string, busyTimeoutMs: number) {
    this.#db = new Database(filename, { timeout: busyTimeoutMs });
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('foreign_keys = ON');
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#queueKey = isInMemory(filename) ? null : realpathSync(filename);
    const shared = this.#queueKey === null ? undefined : queues.get(this.#queueKey);
    this.#queue = shared ?? new SerialQueue();
    if (this.#queueKey !== null && !shared) queues.set(this.#queueKey, this.#queue);
    this.#queue.users += 1;
  }

  query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<SqlResult<Row>> {
    return this.#queue.run(async () => this.#execute<Row>(sql, params));
  }

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.#session);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.#queue.run(async () => {
      this.#queue.users -= 1;
      if (this.#queueKey !== null && this.#queue.users === 0) queues.delete(this.#queueKey);
      this.#statements.clear();
      this.#db.close();
    });
  }

  #execute<Row>(sql: string, params: readonly SqlValue[] = []): SqlResult<Row> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    if (statement.reader) {
      const rows = statement.all(...params) as Row[];
      return { rows, changes: rows.length };
    }
    return { rows: [], changes: statement.run(...params).changes };
  }
}

/**
 * A `TotpStore` in one SQLite file, with `replayCache()` and `rateLimiter()` in the same file so
 * that a single-machine app keeps its replay claims and lockouts across restarts and across the
 * processes that share the file. It creates and migrates its tables itself.
 *
 * @example
 * const store = new SqliteStore({ filename: 'totpkit.db' });
 * const totpkit = createTotpkit({ issuer: 'ACME', keyring, store,
 *   replayCache: store.replayCache(), rateLimiter: store.rateLimiter() });
 */
export class SqliteStore extends SqlTotpStore {
  /** Opens (or creates) the file at once; the tables are migrated on first use or by `migrate()`. */
  constructor(options: SqliteStoreOptions) {
    super(new SqliteDatabase(options.filename, options.busyTimeoutMs ?? 5000), sqlTables(), options);
  }
}
