/**
 * The SQL limiter's `settle` and the SQL stores' `settleTotp` (a checked TOTP code settled with
 * the store's own limiter in one statement or one transaction), on SQLite and PostgreSQL: the
 * decisions of `recordOutcome`, the rows they leave (a success on an account without a record
 * writes none), exactly one winner per step under concurrency, and the sweep that reclaims
 * records of accounts an attacker left, except a permanent lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/postgres.js';
import { MemoryRateLimiter } from '../../src/ratelimit/memory.js';
import type { RateLimiter, RateLimitPolicy } from '../../src/ratelimit/types.js';
import { SqliteStore } from '../../src/sqlite.js';
import { SWEEP_INTERVAL_MS } from '../../src/stores/sql/sweeper.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';
import { authenticatorRecord, hashes } from './store-suite.js';

type SqlStore = SqliteStore | PostgresStore;

interface Setup {
  store: SqlStore;
  limiter: RateLimiter;
  /** The keys of the limiter's table, sorted. */
  limitKeys(): Promise<string[]>;
  /** The stored record of one key, or undefined. */
  limitRow(key: string): Promise<{ failures: number; guesses: string } | undefined>;
  advance(ms: number): void;
  close(): Promise<void>;
}

type MakeSetup = (policy?: Partial<RateLimitPolicy>) => Promise<Setup>;

const STEP = 63_140_000;
const AT = new Date(STEP * 30_000);

function describeSettle(name: string, makeSetup: MakeSetup) {
  describe(`settle and settleTotp: ${name}`, () => {
    let users = 0;
    async function enrolled(s: Setup): Promise<{ userId: string; limitKey: string }> {
      const userId = `user-${++users}-${crypto.randomUUID()}`;
      await s.store.createAuthenticator(authenticatorRecord(userId), hashes('a', 'b', 'c'));
      return { userId, limitKey: `totp:${userId}` };
    }

    it('writes no record for a right code, counts a wrong one, and refuses while locked', async () => {
      const s = await makeSetup();
      try {
        expect(await s.limiter.settle?.('totp:ada', 'totp', true)).toMatchObject({ allowed: true, failures: 0 });
        expect(await s.limitKeys()).toEqual([]);
        for (let i = 1; i <= 4; i++) {
          expect(await s.limiter.settle?.('totp:ada', 'totp', false)).toMatchObject({ allowed: true, failures: i });
        }
        expect(await s.limiter.settle?.('totp:ada', 'totp', false)).toMatchObject({
          allowed: true,
          locked: true,
          failures: 5,
        });
        // Locked: refused, right or wrong, and nothing counted.
        expect(await s.limiter.settle?.('totp:ada', 'totp', true)).toMatchObject({ allowed: false, locked: true });
        expect(await s.limiter.settle?.('totp:ada', 'totp', false)).toMatchObject({ allowed: false, failures: 5 });
        s.advance(300_000);
        // A right code clears the lockout but keeps the five guesses in the budget, and spends none.
        expect(await s.limiter.settle?.('totp:ada', 'totp', true)).toMatchObject({
          allowed: true,
          locked: false,
          failures: 0,
          budgetLeft: 25,
        });
        expect(await s.limitRow('totp:ada')).toMatchObject({ failures: 0 });
        // A recovery-code record has no budget: a success empties it, and it is deleted.
        await s.limiter.settle?.('recovery:ada', 'recovery', false);
        await s.limiter.settle?.('recovery:ada', 'recovery', true);
        expect(await s.limitKeys()).toEqual(['totp:ada']);
      } finally {
        await s.close();
      }
    });

    it('answers no more than maxFailures of 50 racing wrong codes', async () => {
      const s = await makeSetup();
      try {
        const states = await Promise.all(
          Array.from({ length: 50 }, () => s.limiter.settle?.('totp:race', 'totp', false)),
        );
        expect(states.filter((state) => state?.allowed)).toHaveLength(5);
        expect(await s.limitRow('totp:race')).toMatchObject({ failures: 5 });
      } finally {
        await s.close();
      }
    });

    it('settles nothing with a limiter that is not its own', async () => {
      const s = await makeSetup();
      const other = await makeSetup();
      try {
        const { userId, limitKey } = await enrolled(s);
        const settlement = { userId, limitKey, step: STEP, at: AT };
        expect(await s.store.settleTotp(new MemoryRateLimiter(), settlement)).toBeNull();
        expect(await s.store.settleTotp(other.limiter, settlement)).toBeNull();
        expect((await s.store.getAuthenticator(userId))?.lastUsedStep).toBeNull();
      } finally {
        await Promise.all([s.close(), other.close()]);
      }
    });

    it('advances a right code with no limiter record in one statement, and writes no record', async () => {
      const s = await makeSetup();
      try {
        const { userId, limitKey } = await enrolled(s);
        await s.store.consumeRecoveryCode(userId, hashes('a')[0]!.hash, AT);
        const settled = await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP, at: AT });
        expect(settled).toMatchObject({
          advanced: true,
          recoveryCodes: { total: 3, unused: 2 },
          limit: { allowed: true, failures: 0, budgetLeft: 30 },
        });
        expect(await s.store.getAuthenticator(userId)).toMatchObject({ lastUsedStep: STEP, lastUsedAt: AT });
        expect(await s.limitKeys()).toEqual([]);
      } finally {
        await s.close();
      }
    });

    it('counts a replayed step and a wrong code as failures, and clears them on the next right code', async () => {
      const s = await makeSetup();
      try {
        const { userId, limitKey } = await enrolled(s);
        await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP, at: AT });
        const replay = await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP, at: AT });
        expect(replay).toMatchObject({ advanced: false, limit: { allowed: true, failures: 1 } });
        const wrong = await s.store.settleTotp(s.limiter, { userId, limitKey, step: null, at: AT });
        expect(wrong).toMatchObject({ advanced: false, limit: { allowed: true, failures: 2, budgetLeft: 28 } });
        // A record now exists: the transaction path advances, clears the failures, keeps the budget.
        const right = await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP + 1, at: AT });
        expect(right).toMatchObject({
          advanced: true,
          recoveryCodes: { total: 3, unused: 3 },
          limit: { allowed: true, failures: 0, budgetLeft: 28 },
        });
        expect(await s.limitRow(limitKey)).toMatchObject({ failures: 0 });
        expect((await s.store.getAuthenticator(userId))?.lastUsedStep).toBe(STEP + 1);
      } finally {
        await s.close();
      }
    });

    it('deletes the record on the first right code once its budget entries have left the window', async () => {
      const s = await makeSetup();
      try {
        const { userId, limitKey } = await enrolled(s);
        await s.store.settleTotp(s.limiter, { userId, limitKey, step: null, at: AT });
        await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP, at: AT });
        expect(await s.limitKeys()).toEqual([limitKey]);
        s.advance(24 * 3600 * 1000);
        await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP + 1, at: AT });
        expect(await s.limitKeys()).toEqual([]);
      } finally {
        await s.close();
      }
    });

    it('refuses a right code while the account is locked, and does not advance its step', async () => {
      const s = await makeSetup();
      try {
        const { userId, limitKey } = await enrolled(s);
        for (let i = 0; i < 5; i++) await s.store.settleTotp(s.limiter, { userId, limitKey, step: null, at: AT });
        const refused = await s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP, at: AT });
        expect(refused).toMatchObject({ advanced: false, limit: { allowed: false, locked: true, failures: 5 } });
        expect((await s.store.getAuthenticator(userId))?.lastUsedStep).toBeNull();
      } finally {
        await s.close();
      }
    });

    it('lets exactly one of 20 racing settlements of one step advance; the others count as wrong codes', async () => {
      const s = await makeSetup({ maxFailures: 50, hardLimit: 100 });
      try {
        const { userId, limitKey } = await enrolled(s);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => s.store.settleTotp(s.limiter, { userId, limitKey, step: STEP, at: AT })),
        );
        expect(results.filter((result) => result?.advanced)).toHaveLength(1);
        expect(await s.limitRow(limitKey)).toMatchObject({ failures: 19 });
      } finally {
        await s.close();
      }
    });

    it('sweeps the records of accounts left idle past retainSeconds, except a permanent lock', async () => {
      const s = await makeSetup({ retainSeconds: 3600, guessBudgetWindowSeconds: 3600, hardLimit: 10 });
      try {
        for (let i = 0; i < 10; i++) {
          await s.limiter.settle?.('totp:locked', 'totp', false);
          s.advance(3600 * 1000); // past each backoff, so every wrong code is counted
        }
        expect(await s.limiter.check('totp:locked')).toMatchObject({ permanent: true, failures: 10 });
        await s.limiter.settle?.('totp:left', 'totp', false);
        s.advance(3600 * 1000 + SWEEP_INTERVAL_MS + 1);
        await s.limiter.settle?.('totp:new', 'totp', false);
        expect(await s.limitKeys()).toEqual(['totp:locked', 'totp:new']);
        expect(await s.limiter.check('totp:locked')).toMatchObject({ permanent: true, locked: true });
      } finally {
        await s.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'totpkit-settle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeSettle('SqliteStore', async (policy) => {
  const file = join(dir, `settle-${++files}.db`);
  let time = Date.UTC(2030, 0, 1);
  const store = new SqliteStore({ filename: file, now: () => time });
  await store.migrate();
  const read = <T>(sql: string, ...params: unknown[]) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  return {
    store,
    limiter: store.rateLimiter(policy),
    limitKeys: async () =>
      read<{ key: string }>('SELECT key FROM totpkit_rate_limits ORDER BY key').map((row) => row.key),
    limitRow: async (key) =>
      read<{ failures: number; guesses: string }>('SELECT * FROM totpkit_rate_limits WHERE key = ?', key)[0],
    advance: (ms) => {
      time += ms;
    },
    close: () => store.close(),
  };
});

describeWithPostgres('settle and settleTotp on PostgreSQL', () => {
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  describeSettle('PostgresStore', async (policy) => {
    const schema = uniqueName('totpkit_settle');
    schemas.push(schema);
    let time = Date.UTC(2030, 0, 1);
    const store = new PostgresStore({ connectionString: POSTGRES_URL, schema, max: 5, now: () => time });
    await store.migrate();
    return {
      store,
      limiter: store.rateLimiter(policy),
      limitKeys: async () =>
        (await admin.query(`SELECT key FROM "${schema}".totpkit_rate_limits ORDER BY key`)).rows.map((row) => row.key),
      limitRow: async (key) =>
        (await admin.query(`SELECT * FROM "${schema}".totpkit_rate_limits WHERE key = $1`, [key])).rows[0],
      advance: (ms) => {
        time += ms;
      },
      close: () => store.close(),
    };
  });
});
