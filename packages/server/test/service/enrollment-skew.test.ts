/**
 * Enrollment tokens are single-use across instances whatever their clocks (issue 11, item 3).
 * Two service instances share one backend; instance B's clock runs 30 s ahead of A's. The user
 * activates on B and turns TOTP off again; someone who captured the setup response (token and
 * secret) then replays the activation on A, with the same code and with a fresh one. Both are
 * refused, because the token's claim lasts until its absolute expiry plus the skew margin.
 *
 * Over Redis, the claim's expiry is checked where Redis keeps it (PEXPIRETIME): before the fix it
 * was a TTL counted from B's clock, 30 s short of the token's life as A sees it.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type ReplayCache,
  type Totpkit,
  type TotpStore,
  totpCode,
} from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { RedisRateLimiter, RedisReplayCache } from '../../src/redis.js';
import { describeWithPostgres, describeWithRedis, POSTGRES_URL, REDIS_URL, uniqueName } from '../support/services.js';

const SKEW_MS = 30_000;
const MARGIN_MS = 300_000; // the default clockSkewSeconds

interface Instance {
  kit: Totpkit;
  now: () => number;
}

/**
 * Two instances over `parts(clock)`, B's clock `SKEW_MS` ahead of A's. The clocks start at this
 * machine's time, as a backend that keeps time itself (Redis) needs, and move only when told.
 */
function twoInstances(
  parts: (now: () => number) => { store: TotpStore; replayCache: ReplayCache; close?: () => Promise<void> },
) {
  const base = Math.floor(Date.now() / 30_000) * 30_000;
  let offset = 0;
  const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };
  const make = (ahead: number): Instance => {
    const now = () => base + ahead + offset;
    const kit = createTotpkit({ issuer: 'ACME Co', keyring, now, logger: { warn() {}, error() {} }, ...parts(now) });
    return { kit, now };
  };
  return {
    a: make(0),
    b: make(SKEW_MS),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

/** Activates on B, deactivates on B, then replays the activation on A; resolves both replays. */
async function replayAcrossInstances({ a, b, advance }: ReturnType<typeof twoInstances>) {
  const user = { id: uniqueName('skew') };
  const setup = await a.kit.beginSetup(user);
  const code = totpCode(setup.secret, { time: b.now() / 1000 });
  const activated = await b.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code });
  if (!activated.ok) throw new Error(`activation on B failed: ${activated.error}`);
  expect(await b.kit.deactivate(user, { code: activated.recoveryCodes[0] })).toEqual({ ok: true });

  const sameRequest = await a.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code });
  // Later, while the token is still valid by A's clock, with a fresh code from the captured secret.
  advance(9 * 60_000);
  const fresh = totpCode(setup.secret, { time: a.now() / 1000 });
  const freshCode = await a.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: fresh });
  return { setup, sameRequest, freshCode, status: await a.kit.status(user) };
}

describeWithRedis('an enrollment token over one Redis, instances 30 s apart', () => {
  const keyPrefix = `${uniqueName('totpkit_skew')}:`;
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });
  /** This run's keys matching `pattern`, by SCAN, which never blocks the shared server as KEYS can. */
  async function scan(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}${pattern}`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  afterAll(async () => {
    const keys = await scan('*');
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('activate on B, deactivate, replay the activation on A: refused', async () => {
    const store = new MemoryStore();
    const opened: { close(): Promise<void> }[] = [];
    const instances = twoInstances(() => {
      const replayCache = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      const rateLimiter = new RedisRateLimiter({ url: REDIS_URL, keyPrefix });
      opened.push(replayCache, rateLimiter);
      return { store, replayCache, rateLimiter };
    });
    const { setup, sameRequest, freshCode, status } = await replayAcrossInstances(instances);
    expect(sameRequest.ok).toBe(false);
    expect(freshCode).toEqual({ ok: false, error: 'enrollment_expired' });
    expect(status.active).toBe(false);

    // The claim ends at the token's own expiry plus the margin, by Redis's clock, not by B's.
    const claims = await scan('replay:enrollment:*');
    expect(claims).toHaveLength(1);
    expect(await admin.call('PEXPIRETIME', claims[0] as string)).toBe(setup.expiresAt.getTime() + MARGIN_MS);
    await Promise.all(opened.map((part) => part.close()));
  });
});

describeWithPostgres('an enrollment token over one PostgreSQL, instances 30 s apart', () => {
  const schema = uniqueName('totpkit_skew');
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('activate on B, deactivate, replay the activation on A: refused', async () => {
    const stores: PostgresStore[] = [];
    const instances = twoInstances((now) => {
      // Each instance its own pool and its own clock, over one schema.
      const store = new PostgresStore({ connectionString: POSTGRES_URL, schema, now });
      stores.push(store);
      return { store, replayCache: store.replayCache(), rateLimiter: store.rateLimiter() };
    });
    const { setup, sameRequest, freshCode, status } = await replayAcrossInstances(instances);
    expect(sameRequest.ok).toBe(false);
    expect(freshCode).toEqual({ ok: false, error: 'enrollment_expired' });
    expect(status.active).toBe(false);

    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const { rows } = await admin.query(
      `SELECT expires_at FROM "${schema}".totpkit_replay_claims WHERE key LIKE 'enrollment:%'`,
    );
    await admin.end();
    expect(rows.map((row) => Number(row.expires_at))).toEqual([setup.expiresAt.getTime() + MARGIN_MS]);
    await Promise.all(stores.map((store) => store.close()));
  });
});

describe('clockSkewSeconds', () => {
  it('is an option from 0 to 3600 seconds', () => {
    const base = {
      issuer: 'ACME',
      store: new MemoryStore(),
      keyring: { current: 'k', keys: { k: generateEncryptionKey() } },
    };
    expect(() => createTotpkit({ ...base, clockSkewSeconds: 0 })).not.toThrow();
    expect(() => createTotpkit({ ...base, clockSkewSeconds: 3601 })).toThrow(/clockSkewSeconds must be at most 3600/);
    expect(() => createTotpkit({ ...base, clockSkewSeconds: -1 })).toThrow(/clockSkewSeconds/);
  });
});
