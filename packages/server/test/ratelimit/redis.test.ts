/**
 * `RedisRateLimiter` on the real Redis: the rate-limiter contract on the suite's clock, then what
 * only the Redis limiter must show: the Redis server's clock by default, so instances whose clocks
 * disagree agree on locks; records that expire after `retainSeconds`; one count across instances.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisRateLimiter } from '../../src/redis.js';
import { describeRateLimiterContract } from '../support/rate-limiter-suite.js';
import { describeWithRedis, REDIS_URL, uniqueName } from '../support/services.js';
import { addressOf, RedisMonitor, WRITES } from './redis-monitor.js';

/** Deletes this run's keys with SCAN, which never blocks the shared server as KEYS can. */
async function deleteKeys(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The Redis server's time in ms. */
async function serverTime(admin: Redis): Promise<number> {
  const [seconds, micros] = await admin.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describeWithRedis('RedisRateLimiter', () => {
  const keyPrefix = `${uniqueName('totpkit_test')}:`;
  let admin: Redis;
  const opened: RedisRateLimiter[] = [];
  /** A limiter on this run's prefix, closed after the test. */
  const limiter = (options: ConstructorParameters<typeof RedisRateLimiter>[0] = {}) => {
    const made = new RedisRateLimiter({ url: REDIS_URL, keyPrefix, ...options });
    opened.push(made);
    return made;
  };

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(opened.splice(0).map((made) => made.close()));
  });

  afterAll(async () => {
    await deleteKeys(admin, keyPrefix);
    await admin.quit();
  });

  describeRateLimiterContract(
    'RedisRateLimiter',
    ({ policy, now }) => new RedisRateLimiter({ url: REDIS_URL, keyPrefix, policy, now }),
  );

  describe('clock', () => {
    it('times locks by the Redis server clock when no clock is injected', async () => {
      const account = uniqueName('acct');
      const before = await serverTime(admin);
      let state = await limiter().attempt(account);
      for (let i = 1; i < 5; i++) state = await limiter().attempt(account);
      const after = await serverTime(admin);
      expect(state).toMatchObject({
        locked: true,
        retryAfterSeconds: 300,
        failures: 5,
        permanent: false,
        allowed: true,
      });
      expect(state.at).toBeGreaterThanOrEqual(before);
      expect(state.at).toBeLessThanOrEqual(after);
      const lockedUntil = Number(await admin.hget(`${keyPrefix}ratelimit:${account}`, 'lockedUntil'));
      expect(lockedUntil).toBeGreaterThanOrEqual(before + 300_000);
      expect(lockedUntil).toBeLessThanOrEqual(after + 300_000);
    });

    it('keeps an account locked for an instance whose own clock runs two hours ahead', async () => {
      const account = uniqueName('acct');
      const first = limiter();
      for (let i = 0; i < 5; i++) await first.attempt(account);

      // This process's Date now disagrees with every other instance's; the Redis server's does not.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3600 * 1000 });
      expect(await limiter().check(account)).toMatchObject({ locked: true, failures: 5 });
      expect((await limiter().check(account)).retryAfterSeconds).toBeGreaterThan(290);
      // The same instance reading its own skewed clock would have let the attacker back in.
      expect(await limiter({ now: Date.now }).check(account)).toMatchObject({ locked: false });
    });
  });

  describe('keys', () => {
    it('keeps an account record for retainSeconds after its last failure, then lets it expire', async () => {
      const account = uniqueName('acct');
      const key = `${keyPrefix}ratelimit:${account}`;
      const l = limiter({ policy: { retainSeconds: 7 * 24 * 3600 } });
      await l.attempt(account);
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(7 * 24 * 3600 * 1000 - 10_000);
      expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);

      const short = limiter({
        policy: {
          retainSeconds: 0.05,
          lockSeconds: 0.01,
          maxLockSeconds: 0.02,
          guessBudgetWindowSeconds: 0.05,
          setupWindowSeconds: 0.05,
        },
      });
      await short.attempt(account);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await admin.exists(key)).toBe(0);
      expect(await short.check(account)).toMatchObject({ failures: 0, locked: false });
    });

    // Issue 11, item 1: no TTL may lift a lock at hardLimit, not even one set by earlier failures.
    it('takes the TTL off a record when it reaches hardLimit, and keeps it locked until reset', async () => {
      const account = uniqueName('acct');
      const l = limiter({ policy: { maxFailures: 10, hardLimit: 10 } });
      for (let i = 0; i < 9; i++) await l.attempt(account);
      expect(await admin.pttl(l.keyOf(account))).toBeGreaterThan(0);
      expect(await l.attempt(account)).toMatchObject({ permanent: true, failures: 10 });
      expect(await admin.pttl(l.keyOf(account))).toBe(-1);
      // A refused attempt writes nothing, so it cannot put a TTL back.
      expect(await l.attempt(account)).toMatchObject({ allowed: false });
      expect(await admin.pttl(l.keyOf(account))).toBe(-1);
      await l.reset(account);
      expect(await admin.exists(l.keyOf(account))).toBe(0);
    });

    it('keeps the budget in the same hash, and deletes the record when a success leaves nothing counted', async () => {
      const account = uniqueName('acct');
      const l = limiter();
      const wrong = await l.attempt(account);
      const right = await l.attempt(account);
      expect((await admin.hget(l.keyOf(account), 'guesses'))?.split(',')).toEqual([String(wrong.at), String(right.at)]);
      await l.succeed(account, right.at);
      expect(await admin.hget(l.keyOf(account), 'guesses')).toBe(String(wrong.at));
      expect(await admin.hget(l.keyOf(account), 'failures')).toBe('0');
      // The wrong guess is still counted, so the record stays.
      expect(await admin.exists(l.keyOf(account))).toBe(1);

      const clean = uniqueName('acct');
      const only = await l.attempt(clean);
      await l.succeed(clean, only.at);
      expect(await admin.exists(l.keyOf(clean))).toBe(0);
    });

    it('writes nothing on check, and deletes the record on reset', async () => {
      const account = uniqueName('acct');
      const l = limiter();
      expect(l.keyOf(account)).toBe(`${keyPrefix}ratelimit:${account}`);
      await l.check(account);
      expect(await admin.exists(l.keyOf(account))).toBe(0);
      await l.attempt(account);
      expect(await admin.exists(l.keyOf(account))).toBe(1);
      await l.reset(account);
      expect(await admin.exists(l.keyOf(account))).toBe(0);
    });

    it('uses the prefix totpkit: by default', () => {
      expect(new RedisRateLimiter({ client: admin }).keyOf('totp:u1')).toBe('totpkit:ratelimit:totp:u1');
    });
  });

  // settle: one attempt whose outcome is known (policy.ts recordOutcome), on the server's own account.
  describe('settle', () => {
    let monitor: RedisMonitor;
    let client: Redis;
    let address: string;
    /** A limiter on `client`, whose connection the monitor tells apart from every other. */
    const watched = (options: Omit<ConstructorParameters<typeof RedisRateLimiter>[0], 'url' | 'client'> = {}) =>
      limiter({ url: undefined, client, ...options });
    /** The commands `client` sent and the writes any script ran on `key`, while `action` ran. */
    async function ran(key: string, action: () => Promise<unknown>) {
      const commands = await monitor.during(action);
      return {
        sent: commands.filter((c) => c.source === address).map((c) => c.args[0]),
        writes: commands
          .filter((c) => c.source === 'lua' && WRITES.has(c.args[0]) && c.args[1] === key)
          .map((c) => c.args[0]),
      };
    }

    beforeAll(async () => {
      monitor = await RedisMonitor.start(REDIS_URL);
      client = new Redis(REDIS_URL);
      address = await addressOf(client);
    });

    afterAll(async () => {
      await monitor.stop();
      await client.quit();
    });

    it('is one EVALSHA once the server knows the script, and one EXISTS for a right code on an account with no record', async () => {
      const l = watched();
      const account = uniqueName('acct');
      await l.check(account); // the server may not know the script yet: EVALSHA, then EVAL
      const sent = async (ok: boolean) => (await ran(l.keyOf(account), () => l.settle(account, 'totp', ok))).sent;
      expect(await sent(true)).toEqual(['exists']);
      expect(await sent(false)).toEqual(['evalsha']);
      // The wrong code left a record (its budget entry): a right code finds it, and the script settles.
      expect(await sent(true)).toEqual(['exists', 'evalsha']);
      expect(await sent(false)).toEqual(['evalsha']);
      expect(await sent(false)).toEqual(['evalsha']);
      await l.reset(account);
      expect(await sent(true)).toEqual(['exists']);
    });

    it('a right code that finds no record is allowed with the empty state, at the injected time', async () => {
      const at = Date.UTC(2031, 5, 1);
      const l = watched({ now: () => at });
      const account = uniqueName('acct');
      expect(await l.settle(account, 'totp', true)).toEqual({
        allowed: true,
        at,
        locked: false,
        retryAfterSeconds: 0,
        failures: 0,
        permanent: false,
        budgetLeft: (await l.check(account)).budgetLeft,
      });
      // The same answer as the script gives an account whose record it clears to nothing.
      const scripted = uniqueName('acct');
      await admin.hset(l.keyOf(scripted), 'failures', '0');
      expect(await l.settle(scripted, 'totp', true)).toEqual(await l.settle(account, 'totp', true));
      expect(await admin.exists(l.keyOf(scripted))).toBe(0);
    });

    it('writes nothing when a right code finds no record, or a record a right code leaves as it was', async () => {
      const l = watched();
      const account = uniqueName('acct');
      const key = l.keyOf(account);
      expect(await ran(key, () => l.settle(account, 'totp', true))).toEqual({ sent: ['exists'], writes: [] });
      expect(await admin.exists(key)).toBe(0);

      // A wrong code, then a right one: the lockout's counts are cleared, the budget entry kept.
      expect((await ran(key, () => l.settle(account, 'totp', false))).writes).toEqual(['hset', 'pexpire']);
      expect((await ran(key, () => l.settle(account, 'totp', true))).writes).toEqual(['hset', 'pexpire']);
      expect(await admin.hget(key, 'failures')).toBe('0');
      // Now every further right code would write the same record: it writes nothing.
      expect((await ran(key, () => l.settle(account, 'totp', true))).writes).toEqual([]);
      expect((await admin.hget(key, 'guesses'))?.split(',')).toHaveLength(1);
    });

    it('deletes the record when a right code leaves nothing live in it', async () => {
      let now = Date.UTC(2030, 0, 1);
      const l = watched({ now: () => now });
      const account = uniqueName('acct');
      const key = l.keyOf(account);
      await l.settle(account, 'totp', false);
      await l.settle(account, 'totp', false);
      // Within the budget's window the wrong codes are kept; a day later they have left it.
      expect((await ran(key, () => l.settle(account, 'totp', true))).writes).toEqual(['hset', 'pexpire']);
      now += 86_400_000;
      expect((await ran(key, () => l.settle(account, 'totp', true))).writes).toEqual(['del']);
      expect(await admin.exists(key)).toBe(0);
      // A recovery key has no budget, so a right code after wrong ones deletes it at once.
      const recovery = uniqueName('acct');
      await l.settle(recovery, 'recovery', false);
      expect((await ran(l.keyOf(recovery), () => l.settle(recovery, 'recovery', true))).writes).toEqual(['del']);
    });

    it('takes the TTL off at hardLimit; a refused settle writes nothing, right or wrong', async () => {
      const l = watched({ policy: { maxFailures: 10, hardLimit: 10 } });
      const account = uniqueName('acct');
      const key = l.keyOf(account);
      for (let i = 0; i < 9; i++) await l.settle(account, 'totp', false);
      expect(await admin.pttl(key)).toBeGreaterThan(0);
      expect((await ran(key, () => l.settle(account, 'totp', false))).writes).toEqual(['hset', 'persist']);
      expect(await admin.pttl(key)).toBe(-1);
      for (const ok of [true, false]) {
        const { writes } = await ran(key, async () =>
          expect(await l.settle(account, 'totp', ok)).toMatchObject({ allowed: false, permanent: true }),
        );
        expect(writes).toEqual([]);
      }
      expect(await admin.pttl(key)).toBe(-1);
    });

    it('keeps the record retainSeconds after the last wrong code, and a right code does not extend a clean one', async () => {
      const l = watched({ policy: { retainSeconds: 7 * 24 * 3600 } });
      const account = uniqueName('acct');
      const key = l.keyOf(account);
      await l.settle(account, 'totp', false);
      expect(await admin.pttl(key)).toBeGreaterThan(7 * 24 * 3600 * 1000 - 10_000);
      await l.settle(account, 'totp', true);
      // Cut short by hand: a right code on the clean record must not put the full retention back.
      await admin.pexpire(key, 60_000);
      await l.settle(account, 'totp', true);
      expect(await admin.pttl(key)).toBeLessThanOrEqual(60_000);
    });

    it('lets exactly maxFailures of 50 wrong codes raced by two instances be answered', async () => {
      const account = uniqueName('acct');
      const [first, second] = [limiter(), limiter()];
      const states = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).settle(account, 'totp', false)),
      );
      const allowed = states.filter((s) => s.allowed);
      expect(allowed.map((s) => s.failures).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
      expect(await first.check(account)).toMatchObject({ failures: 5, locked: true });
    });
  });

  describe('shared by several instances', () => {
    it('lets exactly maxFailures of 50 attempts raced by two instances through, each counted once', async () => {
      const account = uniqueName('acct');
      const [first, second] = [limiter(), limiter()];
      const states = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).attempt(account)));
      const allowed = states.filter((s) => s.allowed);
      expect(allowed.map((s) => s.failures).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
      expect(await first.check(account)).toMatchObject({ failures: 5, locked: true });
    });
  });

  it('leaves a client passed in open on close', async () => {
    const client = new Redis(REDIS_URL);
    const l = new RedisRateLimiter({ client, keyPrefix });
    await l.attempt(uniqueName('acct'));
    await l.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});
