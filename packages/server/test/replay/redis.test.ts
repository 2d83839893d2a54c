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

  describeReplayCacheContract('RedisReplayCache on the server clock', () => {
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
          Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).claim(key, Date.now() + 60_000)),
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
        const expiresAt = Date.now() + 120_000;
        await cache.claim('totp:u1:57000', expiresAt);
        expect(cache.keyOf('totp:u1:57000')).toBe(`${keyPrefix}replay:totp:u1:57000`);
        expect(await admin.get(`${keyPrefix}replay:totp:u1:57000`)).toBe('1');
        // The absolute expiry, exactly as given (Redis 7 PEXPIRETIME).
        expect(await admin.call('PEXPIRETIME', `${keyPrefix}replay:totp:u1:57000`)).toBe(expiresAt);
      } finally {
        await cache.close();
      }
    });

    it('on an injected clock, holds a claim for expiresAt − now of real time', async () => {
      const fake = Date.UTC(2030, 0, 1);
      const cache = new RedisReplayCache({ url: REDIS_URL, keyPrefix, now: () => fake });
      try {
        const key = uniqueName('fake');
        expect(await cache.claim(key, fake + 60_000)).toBe(true);
        const ttl = await admin.pttl(cache.keyOf(key));
        expect(ttl).toBeGreaterThan(50_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
        expect(await cache.claim(uniqueName('fake'), fake)).toBe(false);
      } finally {
        await cache.close();
      }
    });

    it('uses the prefix totpkit: by default', () => {
      const cache = new RedisReplayCache({ client: admin });
      expect(cache.keyOf('enrollment:abc')).toBe('totpkit:replay:enrollment:abc');
    });

    it('rounds a fractional expiry up and refuses one that is not a finite number', async () => {
      const cache = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      try {
        const expiresAt = Date.now() + 60_000.2;
        expect(await cache.claim('fraction', expiresAt)).toBe(true);
        expect(await admin.call('PEXPIRETIME', cache.keyOf('fraction'))).toBe(Math.ceil(expiresAt));
        for (const expiry of [Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(cache.claim('bad', expiry)).rejects.toThrow(RangeError);
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
        expect(await cache.claim(uniqueName('first'), Date.now() + 1000)).toBe(true);
      } finally {
        await cache.close();
      }
    });

    it('leaves a client passed in open on close, and closes a connection it opened', async () => {
      const client = new Redis(REDIS_URL);
      const borrowed = new RedisReplayCache({ client, keyPrefix });
      expect(await borrowed.claim(uniqueName('borrowed'), Date.now() + 1000)).toBe(true);
      await borrowed.close();
      expect(await client.ping()).toBe('PONG');
      await client.quit();

      const owned = new RedisReplayCache({ url: REDIS_URL, keyPrefix });
      expect(await owned.claim(uniqueName('owned'), Date.now() + 1000)).toBe(true);
      await owned.close();
      await expect(owned.claim(uniqueName('owned'), Date.now() + 1000)).rejects.toThrow();
    });
  });
});
