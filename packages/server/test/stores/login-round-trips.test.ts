/**
 * What one successful TOTP login costs the database, counted at the driver (issue 15): through
 * the real service (`createTotpkit`) with the SQL store's own rate limiter and replay cache, 20
 * enrolled accounts each log in once with a fresh code. Per login:
 * - SQLite: 2 statements (the authenticator read, with its recovery-code counts, and the settle:
 *   one conditional UPDATE) and 1 write transaction (that UPDATE's own commit);
 * - PostgreSQL: 2 round trips, the same two statements, and no BEGIN or COMMIT.
 * A wrong code costs more (the limiter's transaction), which only an attacker or a typo pays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type TotpUser, totpCode } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { type SqliteConnection, type SqliteStatement, SqliteStore } from '../../src/sqlite.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';
import { enrolThrough, sqlStoreService } from './support/sql-service.js';

const ACCOUNTS = 20;
const START_MS = 1_900_000_020_000; // a multiple of 30 s

interface Counted {
  statements: string[];
  transactions: number;
  /** PostgreSQL: statements sent without a name, so parsed and planned each time. */
  unnamed: number;
}

/** Enrols `ACCOUNTS` users at the start, then logs each in once, one step later, counting only the logins. */
async function countLogins(
  store: SqliteStore | PostgresStore,
  counted: Counted,
): Promise<{ statements: number; transactions: number; unnamed: number; sample: string[] }> {
  let time = START_MS;
  const totpkit = sqlStoreService(store, () => time);
  const users: { user: TotpUser; secret: string }[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const user = { id: crypto.randomUUID(), email: `user${i}@example.com` };
    users.push({ user, secret: (await enrolThrough(totpkit, user, time)).secret });
  }
  time += 30_000;
  counted.statements.length = 0;
  counted.transactions = 0;
  counted.unnamed = 0;
  for (const { user, secret } of users) {
    const result = await totpkit.verify(user, totpCode(secret, { time: time / 1000 }));
    expect(result).toMatchObject({ ok: true, method: 'totp', recoveryCodesLeft: 10 });
  }
  const sample = counted.statements.slice(0, 2);
  const totals = {
    statements: counted.statements.length / ACCOUNTS,
    transactions: counted.transactions / ACCOUNTS,
    unnamed: counted.unnamed,
  };
  await totpkit.close();
  return { ...totals, sample };
}

describe('one successful TOTP login on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-round-trips-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A better-sqlite3 connection that counts every statement it runs and every transaction it commits. */
  function countingConnection(file: string, counted: Counted): SqliteConnection {
    const db = new Database(file);
    db.pragma('synchronous = FULL');
    const writes = /^\s*(INSERT|UPDATE|DELETE)\b/i;
    let inTransaction = false;
    return {
      prepare(sql: string): SqliteStatement {
        const statement = db.prepare(sql);
        const count = () => {
          counted.statements.push(sql.replace(/\s+/g, ' ').trim());
          // A write outside BEGIN … COMMIT is a transaction of its own.
          if (!inTransaction && writes.test(sql)) counted.transactions++;
        };
        return {
          all: (...params: unknown[]) => {
            count();
            return statement.all(...params);
          },
          run: (...params: unknown[]) => {
            count();
            return statement.run(...params);
          },
        };
      },
      exec(sql: string) {
        if (/^\s*BEGIN/i.test(sql)) {
          inTransaction = true;
          counted.transactions++;
        } else if (/^\s*(COMMIT|ROLLBACK)/i.test(sql)) inTransaction = false;
        return db.exec(sql);
      },
      close: () => db.close(),
    };
  }

  it('runs 2 statements in 1 write transaction, with the store’s own limiter', async () => {
    const counted: Counted = { statements: [], transactions: 0, unnamed: 0 };
    const store = new SqliteStore({ database: countingConnection(join(dir, 'logins.db'), counted) });
    const per = await countLogins(store, counted);
    console.log(
      `SQLite, per successful TOTP login: ${per.statements} statements, ${per.transactions} write transactions`,
    );
    expect(per.sample[0]).toMatch(/^SELECT .* FROM totpkit_authenticators WHERE user_id = \?$/);
    expect(per.sample[1]).toMatch(/^UPDATE totpkit_authenticators SET last_used_step .* NOT EXISTS/);
    expect(per).toMatchObject({ statements: 2, transactions: 1 });
  });

  it('settles a right code on an account without a limiter record with one read and no write', async () => {
    const counted: Counted = { statements: [], transactions: 0, unnamed: 0 };
    const store = new SqliteStore({ database: countingConnection(join(dir, 'settle.db'), counted) });
    const limiter = store.rateLimiter();
    await limiter.settle?.('totp:warm-up', 'totp', false); // migrates, and runs the first sweep
    counted.statements.length = 0;
    counted.transactions = 0;
    expect(await limiter.settle?.('totp:ada', 'totp', true)).toMatchObject({ allowed: true });
    expect(counted).toMatchObject({ transactions: 0 });
    expect(counted.statements).toEqual([expect.stringMatching(/^SELECT .* FROM totpkit_rate_limits WHERE key = \?$/)]);
    await store.close();
  });
});

describeWithPostgres('one successful TOTP login on PostgreSQL', () => {
  const schema = uniqueName('totpkit_round_trips');
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('makes 2 round trips, with the store’s own limiter, each a named prepared statement', async () => {
    const counted: Counted = { statements: [], transactions: 0, unnamed: 0 };
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
    // Every query reaches the server through a client's query(), pool.query() included: one call, one round trip.
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const [config] = args;
        const text = typeof config === 'string' ? config : (config as { text: string; name?: string }).text;
        if (typeof config !== 'object' || !(config as { name?: string }).name) counted.unnamed++;
        counted.statements.push(text.replace(/\s+/g, ' ').trim());
        if (/^\s*BEGIN/i.test(text)) counted.transactions++;
        return query(...args);
      };
    });
    const store = new PostgresStore({ pool, schema });
    const per = await countLogins(store, counted);
    await pool.end();
    console.log(`PostgreSQL, per successful TOTP login: ${per.statements} round trips, ${per.transactions} BEGINs`);
    expect(per.sample[0]).toMatch(
      /^SELECT .* FROM "totpkit_round_trips_\w+".totpkit_authenticators WHERE user_id = \$1$/,
    );
    expect(per.sample[1]).toMatch(/^UPDATE .* SET last_used_step .* NOT EXISTS/);
    expect(per).toMatchObject({ statements: 2, transactions: 0, unnamed: 0 });
  });
});
