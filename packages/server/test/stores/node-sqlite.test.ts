/**
 * `SqliteStore` on `node:sqlite` (Node 22.5 or later), with no better-sqlite3 involved: the store,
 * replay-cache and rate-limiter contracts, the whole service lifecycle, and what the store does to
 * a connection it is handed. CI runs this file under Node 22 (from the `node` npm package) through
 * runtimes/test/node22.test.ts; the Node 20 run skips it, saying so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SqliteConnection, type SqliteStatement, SqliteStore } from '../../src/sqlite.js';
import { SCHEMA_VERSION } from '../../src/stores/sql/schema.js';
import { describeLifecycle } from '../support/lifecycle-suite.js';
import { describeRateLimiterContract } from '../support/rate-limiter-suite.js';
import { describeReplayCacheContract } from '../support/replay-cache-suite.js';
import { authenticatorRecord, describeStoreContract, hash, hashes } from './store-suite.js';

// @types/node 20 does not know node:sqlite; this is the part of DatabaseSync the tests use.
interface DatabaseSync extends SqliteConnection {
  prepare(sql: string): SqliteStatement & { get(): unknown };
}
type NodeSqlite = { DatabaseSync: new (path: string) => DatabaseSync };

const nodeSqlite = (await import('node:sqlite' as string).catch(() => null)) as NodeSqlite | null;
const reason = `node:sqlite is not in Node ${process.versions.node} (it needs 22.5 or later)`;
if (!nodeSqlite) {
  if (process.env.TOTPKIT_REQUIRE_NODE_SQLITE === '1') throw new Error(`${reason}, and TOTPKIT_REQUIRE_NODE_SQLITE=1`);
  console.warn(
    `\n⚠️  ${reason}: SKIPPING node-sqlite.test.ts here; runtimes/test/node22.test.ts runs it under Node 22.\n`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'totpkit-node-sqlite-'));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store on a new node:sqlite connection to a new file; closing it closes the connection too. */
function openStore(options: { now?: () => number; file?: string } = {}) {
  const database = new (nodeSqlite as NodeSqlite).DatabaseSync(options.file ?? freshFile());
  const store = new SqliteStore({ database, now: options.now });
  const closeStore = store.close.bind(store);
  const close = async () => {
    await closeStore();
    database.close();
  };
  return { store, database, close };
}

describe.skipIf(!nodeSqlite)('SqliteStore on node:sqlite', () => {
  describeStoreContract('SqliteStore (node:sqlite)', () => {
    const { store, close } = openStore();
    return Object.assign(store, { close });
  });

  describeReplayCacheContract('SqliteStore (node:sqlite).replayCache()', () => {
    let time = Date.UTC(2030, 0, 1);
    const { store, close } = openStore({ now: () => time });
    return {
      cache: Object.assign(store.replayCache(), { close }),
      now: () => time,
      advance: (ms) => {
        time += ms;
      },
    };
  });

  describeRateLimiterContract('SqliteStore (node:sqlite).rateLimiter()', ({ policy, now }) => {
    const { store, close } = openStore({ now });
    return Object.assign(store.rateLimiter(policy), { close });
  });

  describeLifecycle('SqliteStore (node:sqlite)', async (now) => {
    const { store, close } = openStore({ now });
    return { store, replayCache: store.replayCache(), rateLimiter: store.rateLimiter(), cleanup: close };
  });

  it('switches the connection to WAL, migrates it, and leaves it open when the store closes', async () => {
    const { store, database } = openStore();
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    await store.close();
    expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(database.prepare('SELECT COUNT(*) AS n FROM totpkit_migrations').get()).toEqual({ n: SCHEMA_VERSION });
    database.close();
  });

  it('lets exactly maxFailures of 50 attempts through when two connections in one process share the file', async () => {
    const file = freshFile();
    const [a, b] = [openStore({ file }), openStore({ file })];
    const limiters = [a.store.rateLimiter(), b.store.rateLimiter()];
    const states = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.attempt('totp:ada')));
    expect(states.filter((state) => state.allowed)).toHaveLength(5);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps what another connection wrote to the same file', async () => {
    const file = freshFile();
    const first = openStore({ file });
    await first.store.createAuthenticator(authenticatorRecord('ada'), hashes('a', 'b'));
    await first.close();
    const second = openStore({ file });
    expect(await second.store.getRecoveryCodeCounts('ada')).toEqual({ total: 2, unused: 2 });
    expect(await second.store.consumeRecoveryCode('ada', hash('a'), new Date())).toBe(true);
    expect(await second.store.consumeRecoveryCode('ada', hash('a'), new Date())).toBe(false);
    await second.close();
  });
});
