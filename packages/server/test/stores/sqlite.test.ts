/**
 * `SqliteStore` on real SQLite files: the store, replay-cache and rate-limiter contracts, then
 * what only a file on disk must show — migrations, state that survives a restart, sweeping, and
 * two processes racing on one file.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/sqlite.js';
import { MIGRATIONS, SCHEMA_VERSION, sqlTables } from '../../src/stores/sql/schema.js';
import { SWEEP_INTERVAL_MS } from '../../src/stores/sql/sweeper.js';
import { describeRateLimiterContract } from '../support/rate-limiter-suite.js';
import { describeReplayCacheContract } from '../support/replay-cache-suite.js';
import { authenticatorRecord, describeStoreContract, hash, hashes } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'totpkit-sqlite-'));
let files = 0;
/** A path for a database file that does not exist yet. */
const freshFile = () => join(dir, `store-${++files}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Reads a database file behind the store's back. */
function inspect<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const count = (file: string, table: string) =>
  inspect(file, (db) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);

describeStoreContract('SqliteStore', () => new SqliteStore({ filename: freshFile() }));

describeReplayCacheContract('SqliteStore.replayCache()', () => {
  let time = Date.UTC(2030, 0, 1);
  const store = new SqliteStore({ filename: freshFile(), now: () => time });
  // The suite closes the cache; closing the store is what releases the file.
  const cache = Object.assign(store.replayCache(), { close: () => store.close() });
  return {
    cache,
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
});

describeRateLimiterContract('SqliteStore.rateLimiter()', ({ policy, now }) => {
  const store = new SqliteStore({ filename: freshFile(), now });
  return Object.assign(store.rateLimiter(policy), { close: () => store.close() });
});

describe('SqliteStore schema and migrations', () => {
  it('creates its tables in WAL mode and records every migration once', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file, now: () => 1_900_000_000_000 });
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    await store.close();
    inspect(file, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const migrations = db.prepare('SELECT version, applied_at FROM totpkit_migrations ORDER BY version').all();
      expect(migrations).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1, applied_at: 1_900_000_000_000 })),
      );
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      expect(tables).toEqual([
        'totpkit_authenticators',
        'totpkit_migrations',
        'totpkit_rate_limits',
        'totpkit_replay_claims',
        'totpkit_trusted_browsers',
      ]);
    });
  });

  it('is a no-op when run again, by the same store or a new one, and keeps the data', async () => {
    const file = freshFile();
    const first = new SqliteStore({ filename: file });
    await first.createAuthenticator(authenticatorRecord('ada'), hashes('a'));
    expect(await first.migrate()).toBe(SCHEMA_VERSION);
    await first.close();
    const second = new SqliteStore({ filename: file });
    expect(await second.migrate()).toBe(SCHEMA_VERSION);
    expect(await second.getRecoveryCodeCounts('ada')).toEqual({ total: 1, unused: 1 });
    await second.close();
    expect(count(file, 'totpkit_migrations')).toBe(SCHEMA_VERSION);
  });

  it('migrates once when two stores open one fresh file at the same moment', async () => {
    const file = freshFile();
    const stores = [new SqliteStore({ filename: file }), new SqliteStore({ filename: file })];
    expect(await Promise.all(stores.map((store) => store.migrate()))).toEqual([SCHEMA_VERSION, SCHEMA_VERSION]);
    await Promise.all(stores.map((store) => store.close()));
    expect(count(file, 'totpkit_migrations')).toBe(SCHEMA_VERSION);
  });

  it('upgrades a version 2 file with a lock in it: the lock and its count survive, and the budget starts empty', async () => {
    const file = freshFile();
    const old = new Database(file);
    const tables = sqlTables();
    old.exec(
      `CREATE TABLE totpkit_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
    for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) {
      for (const statement of migration.statements(tables, 'sqlite')) old.exec(statement);
      old.prepare('INSERT INTO totpkit_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    old.prepare('INSERT INTO totpkit_rate_limits VALUES (?, 100, 0, 0, 20, 0, 0)').run('totp:ada');
    old.close();

    const time = 1_900_000_000_000;
    const store = new SqliteStore({ filename: file, now: () => time });
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    const limiter = store.rateLimiter();
    expect(await limiter.check('totp:ada')).toMatchObject({
      locked: true,
      permanent: true,
      failures: 100,
      budgetLeft: 30,
    });
    expect(await limiter.attempt('totp:bob')).toMatchObject({ allowed: true, budgetLeft: 29 });
    await store.close();
  });

  /** A file at schema version 3, the last with a row per recovery code, holding `codes` per user. */
  function version3File(codes: Record<string, { hash: string; used?: boolean }[]>): string {
    const file = freshFile();
    const old = new Database(file);
    const tables = sqlTables();
    old.exec(
      `CREATE TABLE totpkit_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
      for (const statement of migration.statements(tables, 'sqlite')) old.exec(statement);
      old.prepare('INSERT INTO totpkit_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    for (const [userId, set] of Object.entries(codes)) {
      old
        .prepare('INSERT INTO totpkit_authenticators VALUES (?, ?, ?, 6, 30, NULL, 0, NULL)')
        .run(userId, `v1.k1.sealed-${userId}`, 'SHA1');
      for (const code of set) {
        old.prepare('INSERT INTO totpkit_recovery_codes VALUES (?, ?, ?)').run(userId, code.hash, code.used ? 1 : null);
      }
    }
    old.close();
    return file;
  }

  it('upgrades a version 3 file: every unused recovery code still works once, used ones never, counts and key usage kept', async () => {
    const file = version3File({
      ada: [{ hash: hash('a') }, { hash: hash('b'), used: true }, { hash: hash('c') }],
      bob: [{ hash: hash('a', 'k2') }],
      cyd: [{ hash: hash('x'), used: true }],
      dee: [],
    });
    const store = new SqliteStore({ filename: file });
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    expect(await store.getRecoveryCodeCounts('ada')).toEqual({ total: 3, unused: 2 });
    expect((await store.getAuthenticator('ada'))?.recoveryCodes).toEqual({ total: 3, unused: 2 });
    expect(await store.getRecoveryCodeCounts('cyd')).toEqual({ total: 1, unused: 0 });
    expect(await store.getRecoveryCodeCounts('dee')).toBeNull();
    expect(await store.keyUsage()).toEqual({
      k1: { secrets: 4, recoveryCodes: 2 },
      k2: { secrets: 0, recoveryCodes: 1 },
    });
    expect(await store.consumeRecoveryCode('ada', hash('b'), new Date())).toBe(false);
    expect(await store.consumeRecoveryCode('ada', hash('c'), new Date())).toBe(true);
    expect(await store.consumeRecoveryCode('ada', hash('c'), new Date())).toBe(false);
    expect(await store.consumeRecoveryCode('bob', hash('a'), new Date())).toBe(false);
    expect(await store.consumeRecoveryCode('bob', hash('a', 'k2'), new Date())).toBe(true);
    expect(await store.consumeRecoveryCode('cyd', hash('x'), new Date())).toBe(false);
    await store.close();
  });

  it('refuses to upgrade a version 3 file whose user has unused codes under two key ids, and changes nothing', async () => {
    const file = version3File({ ada: [{ hash: hash('a') }, { hash: hash('b', 'k2') }] });
    const store = new SqliteStore({ filename: file });
    await expect(store.migrate()).rejects.toThrow(/several key ids/);
    await store.close();
    expect(count(file, 'totpkit_recovery_codes')).toBe(2);
    expect(count(file, 'totpkit_migrations')).toBe(3);
  });

  it('refuses a file migrated by a newer totpkit, and every call fails rather than guess', async () => {
    const file = freshFile();
    const store = new SqliteStore({ filename: file });
    await store.migrate();
    const db = new Database(file);
    db.prepare("INSERT INTO totpkit_migrations (version, name, applied_at) VALUES (99, 'future', 0)").run();
    db.close();
    const older = new SqliteStore({ filename: file });
    await expect(older.migrate()).rejects.toThrow(new RegExp(`schema version 99, newer than the ${SCHEMA_VERSION} `));
    await expect(older.getAuthenticator('ada')).rejects.toThrow(/newer/);
    await Promise.all([store.close(), older.close()]);
  });

  it('rejects every call once closed, and closes only once', async () => {
    const store = new SqliteStore({ filename: freshFile() });
    await store.migrate();
    await store.close();
    await store.close();
    await expect(store.getAuthenticator('ada')).rejects.toThrow();
    await expect(store.replayCache().claim('k', Date.now() + 1000)).rejects.toThrow();
  });
});

describe('SqliteStore options', () => {
  it('needs exactly one of filename and database', () => {
    expect(() => new SqliteStore({})).toThrow(/exactly one of `filename`/);
    const db = new Database(':memory:');
    expect(() => new SqliteStore({ filename: freshFile(), database: db })).toThrow(TypeError);
    db.close();
  });

  it('takes an open better-sqlite3 connection, sets it up, and leaves it open when closed', async () => {
    const file = freshFile();
    const db = new Database(file);
    const store = new SqliteStore({ database: db, busyTimeoutMs: 1234 });
    await store.createAuthenticator(authenticatorRecord('ada'), hashes('a'));
    await store.close();
    expect(db.open).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT user_id FROM totpkit_authenticators').pluck().all()).toEqual(['ada']);
    db.close();
  });
});

describe('SqliteStore durability (docs/reliability.md, "Durability")', () => {
  /** The connection a store opens from `filename`, caught as it is set up. */
  function withOwnConnection(make: () => SqliteStore): { store: SqliteStore; db: Database.Database } {
    const exec = Database.prototype.exec;
    let opened: Database.Database | undefined;
    Database.prototype.exec = function (this: Database.Database, sql: string) {
      opened ??= this;
      return exec.call(this, sql);
    };
    try {
      const store = make();
      if (!opened) throw new Error('the store opened no better-sqlite3 connection');
      return { store, db: opened };
    } finally {
      Database.prototype.exec = exec;
    }
  }

  it('better-sqlite3 left alone runs a file already in WAL mode at synchronous = NORMAL', () => {
    const file = freshFile();
    new Database(file).exec('PRAGMA journal_mode = WAL').close();
    const db = new Database(file);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    db.close();
  });

  it('sets synchronous = FULL on the connection it opens, new file or WAL file, unless told otherwise', async () => {
    const file = freshFile();
    for (let run = 0; run < 2; run++) {
      const { store, db } = withOwnConnection(() => new SqliteStore({ filename: file }));
      await store.migrate();
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      await store.close();
    }
    const { store, db } = withOwnConnection(() => new SqliteStore({ filename: file, synchronous: 'NORMAL' }));
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    await store.close();
    expect(() => new SqliteStore({ filename: file, synchronous: 'OFF' as 'FULL' })).toThrow(TypeError);
  });

  it('leaves the synchronous setting of a connection the host passes in', async () => {
    const file = freshFile();
    for (const level of [1, 3]) {
      const db = new Database(file);
      db.pragma(`synchronous = ${level}`);
      const store = new SqliteStore({ database: db });
      await store.migrate();
      await store.close();
      expect(db.pragma('synchronous', { simple: true })).toBe(level);
      db.close();
    }
  });
});

describe('SqliteStore replay claims and lockouts outlive the process', () => {
  it('still refuses a claimed step and still locks the account after a restart', async () => {
    const file = freshFile();
    const before = new SqliteStore({ filename: file });
    expect(await before.replayCache().claim('totp:ada:100', Date.now() + 90_000)).toBe(true);
    const limiter = before.rateLimiter();
    for (let i = 0; i < 5; i++) await limiter.attempt('totp:ada');
    await before.close();

    const after = new SqliteStore({ filename: file });
    expect(await after.replayCache().claim('totp:ada:100', Date.now() + 90_000)).toBe(false);
    expect(await after.rateLimiter().check('totp:ada')).toMatchObject({ locked: true, failures: 5 });
    await after.close();
  });

  it('lets exactly maxFailures of 50 attempts through when two stores in one process share the file', async () => {
    const file = freshFile();
    const [a, b] = [new SqliteStore({ filename: file }), new SqliteStore({ filename: file })];
    const limiters = [a.rateLimiter(), b.rateLimiter()];
    const states = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.attempt('totp:ada')));
    expect(states.filter((state) => state.allowed)).toHaveLength(5);
    expect(await limiters[1]!.check('totp:ada')).toMatchObject({ locked: true, failures: 5, retryAfterSeconds: 300 });
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a claim expiry that is not a finite number', async () => {
    const store = new SqliteStore({ filename: freshFile() });
    for (const expiry of [Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.replayCache().claim('k', expiry)).rejects.toThrow(RangeError);
    }
    await store.close();
  });
});

describe('SqliteStore sweeps what has expired', () => {
  it('deletes expired replay claims, and only those', async () => {
    const file = freshFile();
    let time = Date.UTC(2030, 0, 1);
    const store = new SqliteStore({ filename: file, now: () => time });
    const cache = store.replayCache();
    await cache.claim('short', time + 1000);
    await cache.claim('long', time + 10 * SWEEP_INTERVAL_MS);
    time += SWEEP_INTERVAL_MS;
    await cache.claim('new', time + 1000);
    await store.close();
    expect(
      inspect(file, (db) => db.prepare('SELECT key FROM totpkit_replay_claims ORDER BY key').pluck().all()),
    ).toEqual(['long', 'new']);
  });

  it('deletes rate-limit records idle for longer than retainSeconds', async () => {
    const file = freshFile();
    let time = Date.UTC(2030, 0, 1);
    const store = new SqliteStore({ filename: file, now: () => time });
    const limiter = store.rateLimiter({ retainSeconds: 3600, guessBudgetWindowSeconds: 3600 });
    await limiter.attempt('totp:idle');
    time += 3600 * 1000;
    expect(await limiter.check('totp:idle')).toMatchObject({ failures: 1 });
    await limiter.attempt('totp:recent');
    time += 1;
    expect(await limiter.check('totp:idle')).toMatchObject({ failures: 0, locked: false });
    time += SWEEP_INTERVAL_MS;
    await limiter.attempt('totp:new');
    await store.close();
    expect(inspect(file, (db) => db.prepare('SELECT key FROM totpkit_rate_limits ORDER BY key').pluck().all())).toEqual(
      ['totp:new', 'totp:recent'],
    );
  });
});

describe('SqliteStore shared by two processes', () => {
  /** Starts a child process with its own store on `file`; resolves once it has migrated. */
  function startRacer(file: string) {
    const child = fork(new URL('./support/sqlite-racer.mjs', import.meta.url), [file], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const message = <T>() =>
      new Promise<T>((resolve, reject) => {
        child.once('message', (value) => resolve(value as T));
        child.once('exit', (code) => reject(new Error(`racer exited with ${code}`)));
      });
    const ready = message<{ ready: true; version: number }>();
    return { child, exited, ready, message };
  }

  it('migrates a fresh file once, then lets exactly one process win each race for a step', async () => {
    const file = freshFile();
    const racers = [startRacer(file), startRacer(file)];
    try {
      // Both opened and migrated the fresh file concurrently.
      for (const { version } of await Promise.all(racers.map((racer) => racer.ready))) {
        expect(version).toBe(SCHEMA_VERSION);
      }
      expect(count(file, 'totpkit_migrations')).toBe(SCHEMA_VERSION);

      const store = new SqliteStore({ filename: file });
      const users = Array.from({ length: 100 }, (_, i) => `user-${i}`);
      for (const user of users) await store.createAuthenticator(authenticatorRecord(user), []);
      await store.close();

      const results = racers.map((racer) => racer.message<{ won: boolean[] }>());
      for (const { child } of racers) child.send({ users, step: 1000 });
      const [first, second] = await Promise.all(results);
      users.forEach((user, i) => {
        expect([first!.won[i], second!.won[i]].filter(Boolean), user).toHaveLength(1);
      });
      expect(await Promise.all(racers.map((racer) => racer.exited))).toEqual([0, 0]);
    } finally {
      for (const { child } of racers) if (child.exitCode === null) child.kill();
    }
    // Two Node processes start and migrate: about 31 s on a busy 2-core machine, over the default
    // 30 s. The bound only stops a hang.
  }, 180_000);
});
