/**
 * `RedisReplayCache` on the real Redis: the replay-cache contract, timed by the Redis server's own
 * clock (`PTTL`), plus what only a shared cache must show: instances racing over one key, keys
 * that always expire, and whose connection `close()` may end.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisReplayCache } from '../../src/redis.js';
import { describeReplayCacheContract } from '../support/replay-cache-suite.js';
import { describeWithRedis, REDIS_URL, uniqueName } from '../support/services.js';

/** Deletes this run's keys with SCAN, which never blocks the shared server as KEYS can. */
async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

describeWithRedis('RedisReplayCache', () => {
  const keyPrefix = `${uniqueName('totpkit_test')}:`;
  let admin: Redis;

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await deleteKeys(admin, keyPrefix);
    await admin.quit();
  });

  describeReplayCacheContract('RedisReplayCache', () => {
    const cache = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
    return {
      cache,
      remainingMs: async (key) => {
        const ttl = await admin.pttl(cache.keyOf(key));
        return ttl < 0 ? null : ttl;
      },
    };
  });

  describe('shared by several instances', () => {
    it('grants exactly one of 50 claims raced by two instances with their own connections', async () => {
      const first = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      const second = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      try {
        const key = `totp:race:${uniqueName('step')}`;
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).claim(key, 60_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  });

  describe('keys', () => {
    it('stores each claim under the prefix, always with an expiry (bounded memory, checklist item 41)', async () => {
      const cache = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      try {
        await cache.claim('totp:u1:57000', 120_000);
        expect(cache.keyOf('totp:u1:57000')).toBe(`${keyPrefix}replay:totp:u1:57000`);
        expect(await admin.get(`${keyPrefix}replay:totp:u1:57000`)).toBe('1');
        const ttl = await admin.pttl(`${keyPrefix}replay:totp:u1:57000`);
        expect(ttl).toBeGreaterThan(110_000);
        expect(ttl).toBeLessThanOrEqual(120_000);
      } finally {
        await cache.close();
      }
    });

    it('uses the prefix totpkit: by default', () => {
      const cache = new RedisReplayCache({ client: admin });
      expect(cache.keyOf('enrollment:abc')).toBe('totpkit:replay:enrollment:abc');
    });

    it('rounds a fractional TTL up and refuses a TTL that is not positive', async () => {
      const cache = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      try {
        expect(await cache.claim('fraction', 0.2)).toBe(true);
        for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(cache.claim('bad', ttl)).rejects.toThrow(RangeError);
        }
      } finally {
        await cache.close();
      }
    });
  });

  describe('connection', () => {
    it('needs exactly one of url and client', () => {
      expect(() => new RedisReplayCache({})).toThrow(/exactly one of `url` or `client`/);
      expect(() => new RedisReplayCache({ url: REDIS_URL, client: admin })).toThrow(/exactly one/);
    });

    it('works at once after construction, before its connection is up', async () => {
      const cache = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      try {
        expect(await cache.claim(uniqueName('first'), 1000)).toBe(true);
      } finally {
        await cache.close();
      }
    });

    it('leaves a client passed in open on close, and closes a connection it opened', async () => {
      const client = new Redis(REDIS_URL);
      const borrowed = new RedisReplayCache({ client, keyPrefix });
      expect(await borrowed.claim(uniqueName('borrowed'), 1000)).toBe(true);
      await borrowed.close();
      expect(await client.ping()).toBe('PONG');
      await client.quit();

      const owned = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      expect(await owned.claim(uniqueName('owned'), 1000)).toBe(true);
      await owned.close();
      await expect(owned.claim(uniqueName('owned'), 1000)).rejects.toThrow();
    });
  });
});
