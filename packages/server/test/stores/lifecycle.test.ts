/**
 * The whole service lifecycle (test/support/lifecycle-suite.ts) on the SQL stores, with their own
 * replay cache and rate limiter as a single-machine app would wire them: enrol, log in, refuse
 * replays, recovery codes, deactivation, and 50 parallel uses of one code giving one success.
 * Each test gets a database of its own: a fresh SQLite file, a fresh PostgreSQL schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { PostgresStore } from '../../src/postgres.js';
import { SqliteStore } from '../../src/sqlite.js';
import { describeLifecycle } from '../support/lifecycle-suite.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';

/** The parts an app on one SQL store passes to `createTotpkit`. */
function partsOf(store: SqliteStore | PostgresStore) {
  return {
    store,
    replayCache: store.replayCache(),
    rateLimiter: store.rateLimiter(),
    cleanup: () => store.close(),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'totpkit-lifecycle-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeLifecycle('SqliteStore', async (now) =>
  partsOf(new SqliteStore({ filename: join(dir, `${++files}.db`), now })),
);

describeWithPostgres('PostgresStore', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  describeLifecycle('PostgresStore', async (now) => {
    const schema = uniqueName('totpkit_lifecycle');
    schemas.push(schema);
    return partsOf(new PostgresStore({ connectionString: POSTGRES_URL, schema, now }));
  });
});
