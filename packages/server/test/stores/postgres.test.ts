/**
 * `PostgresStore` on the real PostgreSQL: the store, replay-cache and rate-limiter contracts, then
 * migrations (several servers starting on one empty schema), pools, sweeping, and a server that
 * is down or silent. Every test works in schemas of its own, dropped at the end.
 */
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, createTotpkit, generateEncryptionKey, isTotpkitError } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { MIGRATIONS, SCHEMA_VERSION, sqlTables } from '../../src/stores/sql/schema.js';
import { SWEEP_INTERVAL_MS } from '../../src/stores/sql/sweeper.js';
import { describeRateLimiterContract } from '../support/rate-limiter-suite.js';
import { describeReplayCacheContract } from '../support/replay-cache-suite.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';
import { authenticatorRecord, describeStoreContract, hash, hashes } from './store-suite.js';

describeWithPostgres('PostgresStore', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];
  /** A schema name no other run uses; dropped after the file. */
  const freshSchema = () => {
    const schema = uniqueName('totpkit_store');
    schemas.push(schema);
    return schema;
  };
  const store = (schema: string, options: { now?: () => number } = {}) =>
    new PostgresStore({ connectionString: POSTGRES_URL, schema, max: 5, ...options });

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  });

  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  const sharedSchema = freshSchema();

  describeStoreContract('PostgresStore', () => store(sharedSchema));

  describeReplayCacheContract('PostgresStore.replayCache()', () => {
    let time = Date.UTC(2030, 0, 1);
    const made = store(sharedSchema, { now: () => time });
    return {
      cache: Object.assign(made.replayCache(), { close: () => made.close() }),
      now: () => time,
      advance: (ms) => {
        time += ms;
      },
    };
  });

  describeRateLimiterContract('PostgresStore.rateLimiter()', ({ policy, now }) => {
    const made = store(sharedSchema, { now });
    return Object.assign(made.rateLimiter(policy), { close: () => made.close() });
  });

  describe('schema and migrations', () => {
    it('creates its schema and tables and records every migration once', async () => {
      const schema = freshSchema();
      const s = store(schema, { now: () => 1_900_000_000_000 });
      expect(await s.migrate()).toBe(SCHEMA_VERSION);
      await s.close();
      const { rows } = await admin.query(
        `SELECT version, applied_at::text FROM "${schema}".totpkit_migrations ORDER BY version`,
      );
      expect(rows).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1, applied_at: '1900000000000' })),
      );
      const tables = await admin.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'totpkit_authenticators',
        'totpkit_migrations',
        'totpkit_rate_limits',
        'totpkit_replay_claims',
        'totpkit_trusted_browsers',
      ]);
    });

    it('migrates once when four servers start on one empty schema at the same moment', async () => {
      const schema = freshSchema();
      const stores = Array.from({ length: 4 }, () => store(schema));
      expect(await Promise.all(stores.map((s) => s.migrate()))).toEqual(Array(4).fill(SCHEMA_VERSION));
      // Running it again, from a store that already did or a new one, changes nothing.
      await stores[0]!.createAuthenticator(authenticatorRecord('ada'), hashes('a'));
      expect(await stores[0]!.migrate()).toBe(SCHEMA_VERSION);
      const later = store(schema);
      expect(await later.migrate()).toBe(SCHEMA_VERSION);
      expect(await later.getRecoveryCodeCounts('ada')).toEqual({ total: 1, unused: 1 });
      await Promise.all([...stores, later].map((s) => s.close()));
      const { rows } = await admin.query(`SELECT COUNT(*)::int AS n FROM "${schema}".totpkit_migrations`);
      expect(rows[0].n).toBe(SCHEMA_VERSION);
    });

    it('upgrades a version 3 schema: unused recovery codes still work once, used ones never, counts kept', async () => {
      const schema = freshSchema();
      const tables = sqlTables(schema);
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.query(
        `CREATE TABLE ${tables.migrations} (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
      );
      for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
        for (const statement of migration.statements(tables, 'postgres')) await admin.query(statement);
        await admin.query(`INSERT INTO ${tables.migrations} VALUES ($1, $2, 0)`, [migration.version, migration.name]);
      }
      for (const user of ['ada', 'bob']) {
        await admin.query(`INSERT INTO ${tables.authenticators} VALUES ($1, 'v1.k1.x', 'SHA1', 6, 30, NULL, 0, NULL)`, [
          user,
        ]);
      }
      await admin.query(
        `INSERT INTO ${tables.recoveryCodes} VALUES ('ada', $1, NULL), ('ada', $2, 5), ('ada', $3, NULL)`,
        [hash('a'), hash('b'), hash('c')],
      );
      const s = store(schema);
      expect(await s.migrate()).toBe(SCHEMA_VERSION);
      expect(await s.getRecoveryCodeCounts('ada')).toEqual({ total: 3, unused: 2 });
      expect(await s.getRecoveryCodeCounts('bob')).toBeNull();
      expect(await s.keyUsage()).toEqual({ k1: { secrets: 2, recoveryCodes: 2 } });
      expect(await s.consumeRecoveryCode('ada', hash('b'), new Date())).toBe(false);
      expect(await s.consumeRecoveryCode('ada', hash('a'), new Date())).toBe(true);
      expect(await s.consumeRecoveryCode('ada', hash('a'), new Date())).toBe(false);
      expect(await s.consumeRecoveryCode('ada', hash('c'), new Date())).toBe(true);
      await s.close();
    });

    it('refuses a schema migrated by a newer totpkit', async () => {
      const schema = freshSchema();
      const s = store(schema);
      await s.migrate();
      await s.close();
      await admin.query(`INSERT INTO "${schema}".totpkit_migrations VALUES (99, 'future', 0)`);
      const older = store(schema);
      await expect(older.getAuthenticator('ada')).rejects.toThrow(
        `schema version 99, newer than the ${SCHEMA_VERSION} `,
      );
      await older.close();
    });

    it('keeps to its schema: another schema’s tables are not its own', async () => {
      const [one, two] = [store(freshSchema()), store(freshSchema())];
      await one.createAuthenticator(authenticatorRecord('ada'), hashes('a'));
      expect(await two.getAuthenticator('ada')).toBeNull();
      await Promise.all([one.close(), two.close()]);
    });
  });

  describe('options and connections', () => {
    it('refuses a missing connection and a schema name that would need quoting', () => {
      const invalid = (make: () => unknown) => {
        try {
          make();
        } catch (error) {
          return isTotpkitError(error, 'invalid_configuration');
        }
        return false;
      };
      expect(invalid(() => new PostgresStore({}))).toBe(true);
      for (const schema of ['', 'Totpkit', 'a-b', 'x"; DROP SCHEMA public; --', '1abc', 'a'.repeat(64)]) {
        expect(
          invalid(() => new PostgresStore({ connectionString: POSTGRES_URL, schema })),
          schema,
        ).toBe(true);
      }
    });

    it('uses a pool the app supplies, and leaves it open on close', async () => {
      const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
      const s = new PostgresStore({ pool, schema: freshSchema() });
      await s.createAuthenticator(authenticatorRecord('ada'), []);
      await s.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await pool.end();
    });

    it('names every statement it sends, or none with preparedStatements: false (for a pooler that cannot keep them)', async () => {
      for (const preparedStatements of [true, false]) {
        const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
        const sent: { name?: string }[] = [];
        pool.on('connect', (client) => {
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
            sent.push(typeof config === 'object' && config !== null ? (config as { name?: string }) : {});
            return query(config, ...rest);
          };
        });
        const s = new PostgresStore({ pool, schema: sharedSchema, preparedStatements });
        await s.migrate();
        sent.length = 0;
        const userId = uniqueName('ada');
        await s.createAuthenticator(authenticatorRecord(userId), hashes('a'));
        expect(await s.consumeRecoveryCode(userId, hash('a'), new Date())).toBe(true);
        expect(await s.getAuthenticator(userId)).toMatchObject({ recoveryCodes: { total: 1, unused: 0 } });
        await s.close();
        await pool.end();
        expect(sent.length).toBe(4);
        expect(sent.filter((config) => config.name?.startsWith('totpkit_'))).toHaveLength(preparedStatements ? 4 : 0);
      }
    });

    it('rejects every call once closed, and closes only once', async () => {
      const s = store(sharedSchema);
      await s.migrate();
      await s.close();
      await s.close();
      await expect(s.getAuthenticator('ada')).rejects.toThrow();
    });

    it('lets exactly maxFailures of 50 attempts through when they race through two stores with their own pools', async () => {
      const [a, b] = [store(sharedSchema), store(sharedSchema)];
      const limiters = [a.rateLimiter(), b.rateLimiter()];
      const key = uniqueName('totp');
      const states = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.attempt(key)));
      expect(states.filter((state) => state.allowed)).toHaveLength(5);
      expect(await limiters[0]!.check(key)).toMatchObject({ locked: true, failures: 5, retryAfterSeconds: 300 });
      await Promise.all([a.close(), b.close()]);
    });
  });

  describe('sweeping', () => {
    it('deletes expired replay claims and idle rate-limit records, and only those', async () => {
      const schema = freshSchema();
      let time = Date.UTC(2030, 0, 1);
      const s = store(schema, { now: () => time });
      const cache = s.replayCache();
      const limiter = s.rateLimiter({
        retainSeconds: 60,
        lockSeconds: 10,
        maxLockSeconds: 60,
        guessBudgetWindowSeconds: 60,
        setupWindowSeconds: 60,
      });
      await cache.claim('short', time + 1000);
      await cache.claim('long', time + 10 * SWEEP_INTERVAL_MS);
      await limiter.attempt('totp:idle');
      time += SWEEP_INTERVAL_MS + 1;
      await cache.claim('new', time + 1000);
      await limiter.attempt('totp:new');
      await s.close();
      const claims = await admin.query(`SELECT key FROM "${schema}".totpkit_replay_claims ORDER BY key`);
      expect(claims.rows.map((row) => row.key)).toEqual(['long', 'new']);
      const limits = await admin.query(`SELECT key FROM "${schema}".totpkit_rate_limits ORDER BY key`);
      expect(limits.rows.map((row) => row.key)).toEqual(['totp:new']);
    });
  });
});

describe('PostgresStore when PostgreSQL is down', () => {
  /** A port that nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('rejects within seconds when nothing listens, and the service answers store_unavailable', async () => {
    const store = new PostgresStore({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test` });
    const started = Date.now();
    await expect(store.getAuthenticator('ada')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);

    const totpkit = createTotpkit({
      issuer: 'ACME',
      store,
      replayCache: store.replayCache(),
      rateLimiter: store.rateLimiter(),
      keyring: createKeyring({ current: 'k1', keys: { k1: generateEncryptionKey() } }),
    });
    const failure = await totpkit.verify({ id: 'ada' }, '123456').catch((error: unknown) => error);
    expect(isTotpkitError(failure, 'store_unavailable')).toBe(true);
    await totpkit.close();
  });

  describe('with a server that accepts connections and never answers', () => {
    let silent: Server;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('gives up after connectionTimeoutMs instead of hanging', async () => {
      const { port } = silent.address() as { port: number };
      const store = new PostgresStore({
        connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
        connectionTimeoutMs: 500,
      });
      const started = Date.now();
      await expect(store.migrate()).rejects.toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(Date.now() - started).toBeLessThan(3000);
      await store.close();
    });
  });
});
