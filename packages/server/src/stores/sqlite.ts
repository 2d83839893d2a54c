// Dependency decision (issue 13, runtime-native SQLite): better-sqlite3 stays an OPTIONAL peer
// dependency of @totpkit/server (peerDependenciesMeta.optional), never a dependency. It is loaded
// only when a SqliteStore is given a `filename` and no `database`; Bun, Deno and Node ≥ 22.5 users
// pass their runtime's own connection (bun:sqlite, node:sqlite) and never install it.
/**
 * `SqliteStore`: the embedded default, one file on one machine, on whichever SQLite the runtime
 * has: better-sqlite3 12, `node:sqlite` (Node 22.5 or later, Deno 2.2 or later) or `bun:sqlite`.
 * The three connection classes already share the small shape the store needs (`SqliteConnection`:
 * `prepare().all/run`, `exec`, `close`), so the store takes any of them as it is; what differs
 * (`changes` as a bigint, better-sqlite3 refusing `all()` on a statement without rows) is
 * absorbed here, once.
 *
 * - WAL journal: readers never block the writer, and several processes can share the file.
 * - `synchronous = FULL` on a connection the store opens (option `synchronous`): every commit is
 *   on disk before the call resolves. better-sqlite3 is built to drop WAL connections to NORMAL,
 *   which can lose the last commits in a power cut: a used code or a counted failure could come
 *   back. A connection the host passes in keeps the host's setting.
 * - A busy timeout: a process that finds another one writing waits for the lock instead of
 *   failing with SQLITE_BUSY.
 * - Every transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front; a deferred
 *   transaction that later tries to write can fail at once rather than wait.
 * - Every driver here is synchronous, but the shared SQL code awaits between the statements of a
 *   transaction. Other callers in this process must not slip their statements into it (they would
 *   be rolled back with it), so all work on one file from one process runs through a queue: one
 *   transaction or statement at a time. The queue is per file, not per connection, because a second
 *   connection in the same process would otherwise block the event loop waiting, in its busy
 *   handler, for a lock that only the blocked event loop could release.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SqlDatabase, SqlDialect, SqlResult, SqlSession, SqlValue } from './sql/database.js';
import { sqlTables } from './sql/schema.js';
import { type SqlStoreOptions, SqlTotpStore } from './sql/store.js';

/**
 * A prepared statement of better-sqlite3, `node:sqlite` (`StatementSync`) or `bun:sqlite`. The
 * store passes only strings, numbers and nulls; the parameters are typed `unknown` so that each
 * driver's own (wider or generic) parameter types fit.
 */
export interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint };
}

/**
 * An open SQLite connection: better-sqlite3's `Database`, `node:sqlite`'s `DatabaseSync` or
 * `bun:sqlite`'s `Database` fit as they are; any other driver with this shape works too.
 */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  close(): unknown;
}

export interface SqliteStoreOptions extends SqlStoreOptions {
  /**
   * The database file, created with its tables when missing; `':memory:'` for a private in-memory
   * database. Opened with better-sqlite3, which must then be installed. Give `database` instead
   * to use another driver.
   */
  filename?: string;
  /**
   * An open connection from any driver (see `SqliteConnection`), for example
   * `new DatabaseSync('totpkit.db')` from `node:sqlite` or `new Database('totpkit.db')` from
   * `bun:sqlite`. The store switches it to WAL and sets its busy timeout, but leaves its
   * `synchronous` setting to you (use FULL; see `synchronous`); `close()` leaves it open.
   */
  database?: SqliteConnection;
  /** How long to wait for another process's write lock before failing, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `PRAGMA synchronous` for the connection the store opens from `filename`. Default `'FULL'`: in
   * WAL mode each commit is synced to disk, so a power cut loses no login once it was answered.
   * `'NORMAL'` syncs only at checkpoints: faster, but a power cut (not a process crash) can roll
   * back the last commits, so a code used just before it can be used once more, and the failures
   * counted just before it are forgotten (docs/reliability.md, "Durability"). Not applied to a
   * `database` you pass: set it on your connection.
   */
  synchronous?: 'FULL' | 'NORMAL' | 'EXTRA';
}

const SYNCHRONOUS: readonly string[] = ['FULL', 'NORMAL', 'EXTRA'];

const SQLITE: SqlDialect = {
  name: 'sqlite',
  forUpdate: '',
  // BEGIN IMMEDIATE has already taken the database's write lock, across processes.
  prepareMigrations: async () => {},
};

/** Runs tasks one after another. */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  /** Tasks queued or running. */
  #pending = 0;
  /** Connections sharing this queue; it is forgotten when the last one closes. */
  users = 0;

  /** True when no task is queued or running: a synchronous statement may then run at once. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.#pending += 1;
    const result = this.#tail.then(task);
    const done = () => {
      this.#pending -= 1;
    };
    this.#tail = result.then(done, done);
    return result;
  }
}

const queues = new Map<string, SerialQueue>();

/**
 * Whether a statement yields rows. better-sqlite3 throws on `all()` for one that does not, and
 * only `run()` reports `changes`; every statement of the shared SQL that returns rows is a
 * SELECT (or a PRAGMA) or has a RETURNING clause.
 */
function returnsRows(sql: string): boolean {
  return /^\s*(SELECT|WITH|PRAGMA)\b/i.test(sql) || /\bRETURNING\b/i.test(sql);
}

/**
 * Opens `filename` with better-sqlite3, loaded only now so that other drivers' users need not
 * install it. Missing, or unable to load (Bun refuses its native addon), it says what to do instead.
 */
function openBetterSqlite3(filename: string): SqliteConnection {
  const require = createRequire(import.meta.url);
  try {
    const Database: new (filename: string) => SqliteConnection = require('better-sqlite3');
    return new Database(filename);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_DLOPEN_FAILED') throw error;
    throw new Error(
      'SqliteStore({ filename }) opens the file with better-sqlite3, which could not be loaded here: ' +
        'install it (`npm install better-sqlite3`), or pass `database`, an open node:sqlite or bun:sqlite connection.',
      { cause: error },
    );
  }
}

class SqliteDatabase implements SqlDatabase {
  readonly dialect = SQLITE;
  readonly #db: SqliteConnection;
  readonly #owned: boolean;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #queueKey: string | null;
  readonly #queue: SerialQueue;
  readonly #session: SqlSession = { query: async (sql, params) => this.#execute(sql, params) };

  constructor(db: SqliteConnection, owned: boolean, busyTimeoutMs: number, synchronous: string | null) {
    this.#db = db;
    this.#owned = owned;
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
      db.exec('PRAGMA journal_mode = WAL');
      // After the switch to WAL, which is where better-sqlite3's build lowers it to NORMAL.
      if (synchronous !== null) db.exec(`PRAGMA synchronous = ${synchronous}`);
      db.exec('PRAGMA foreign_keys = ON');
      // The file as SQLite resolved it, whatever path (or driver) opened it; '' when in memory.
      const [main] = this.#execute<{ file: string }>("SELECT file FROM pragma_database_list WHERE name = 'main'").rows;
      this.#queueKey = main?.file ? realpathSync(main.file) : null;
    } catch (error) {
      if (owned) db.close();
      throw error;
    }
    const shared = this.#queueKey === null ? undefined : queues.get(this.#queueKey);
    this.#queue = shared ?? new SerialQueue();
    if (this.#queueKey !== null && !shared) queues.set(this.#queueKey, this.#queue);
    this.#queue.users += 1;
  }

  query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<SqlResult<Row>> {
    // Nothing ahead of it: run now rather than after the queue's promises (most login statements).
    if (this.#queue.idle) {
      try {
        return Promise.resolve(this.#execute<Row>(sql, params));
      } catch (error) {
        return Promise.reject(error);
      }
    }
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
        try {
          this.#db.exec('ROLLBACK');
        } catch {
          // SQLite already rolled back (it does on some errors, such as SQLITE_FULL); `error` is what counts.
        }
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.#queue.run(async () => {
      this.#queue.users -= 1;
      if (this.#queueKey !== null && this.#queue.users === 0) queues.delete(this.#queueKey);
      this.#statements.clear();
      if (this.#owned) this.#db.close();
    });
  }

  #execute<Row>(sql: string, params: readonly SqlValue[] = []): SqlResult<Row> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    if (returnsRows(sql)) {
      const rows = statement.all(...params) as Row[];
      return { rows, changes: rows.length };
    }
    return { rows: [], changes: Number(statement.run(...params).changes) };
  }
}

/**
 * A `TotpStore` in one SQLite file, with `replayCache()` and `rateLimiter()` in the same file so
 * that a single-machine app keeps its replay claims and lockouts across restarts and across the
 * processes that share the file. It creates and migrates its tables itself.
 *
 * @example
 * const store = new SqliteStore({ filename: 'totpkit.db' }); // better-sqlite3
 * // or, with no native addon: new SqliteStore({ database: new DatabaseSync('totpkit.db') }) (node:sqlite)
 * const totpkit = createTotpkit({ issuer: 'ACME', keyring, store,
 *   replayCache: store.replayCache(), rateLimiter: store.rateLimiter() });
 */
export class SqliteStore extends SqlTotpStore {
  /** Opens (or creates) the file at once; the tables are migrated on first use or by `migrate()`. */
  constructor(options: SqliteStoreOptions) {
    const { database, filename } = options;
    if ((database === undefined) === (filename === undefined)) {
      throw new TypeError('SqliteStore needs exactly one of `filename` (opened with better-sqlite3) or `database`.');
    }
    const synchronous = options.synchronous ?? 'FULL';
    if (!SYNCHRONOUS.includes(synchronous)) {
      throw new TypeError(`SqliteStore synchronous must be one of ${SYNCHRONOUS.join(', ')}.`);
    }
    const owned = database === undefined;
    const connection = database ?? openBetterSqlite3(filename as string);
    super(
      new SqliteDatabase(connection, owned, options.busyTimeoutMs ?? 5000, owned ? synchronous : null),
      sqlTables(),
      options,
    );
  }
}
