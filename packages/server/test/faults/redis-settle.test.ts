/**
 * `RedisRateLimiter.settle` with Redis failing under it (OWASP ASVS 5.0 16.5.2/16.5.3: fail
 * closed): on a redis-server of this test's own, crashed, frozen and restarted. A settle never
 * answers while Redis is away, right code or wrong: it rejects, at once when Redis is down and
 * within the command timeout when it is frozen, and the service turns that into
 * `store_unavailable` (HTTP 503) without advancing the step. Once Redis is back the same limiter
 * settles again, its script reloaded into the restarted server's empty cache (NOSCRIPT → EVAL).
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type Totpkit,
  TotpkitError,
  totpCode,
} from '../../src/index.js';
import { RedisRateLimiter, RedisReplayCache } from '../../src/redis.js';
import { describeWithOwnRedis, OwnRedisServer } from './own-redis.js';

/** With Redis gone, a settle is refused at once: nothing is queued to wait for a reconnect. */
const DOWN_BUDGET_MS = 1000;
/** With Redis frozen, the 2 s command timeout decides, plus slack for a busy machine. */
const FROZEN_BUDGET_MS = 3500;

/** Expects `call` to reject within `budgetMs`, and returns what it rejected with. */
async function rejectsWithin(budgetMs: number, call: () => Promise<unknown>): Promise<unknown> {
  const started = performance.now();
  const outcome = await call().then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error }),
  );
  expect(performance.now() - started).toBeLessThan(budgetMs);
  expect(outcome).toHaveProperty('rejected');
  return (outcome as { rejected: unknown }).rejected;
}

describeWithOwnRedis('RedisRateLimiter.settle with Redis failing under it', () => {
  let redis: OwnRedisServer;
  let limiter: RedisRateLimiter;
  let clockMs = 1_700_000_010_000;
  const now = () => clockMs;
  const account = 'totp:ada';

  /** Waits until the limiter's own connection is back. */
  async function reconnected(): Promise<void> {
    await vi.waitFor(() => limiter.check('probe'), { timeout: 10_000, interval: 100 });
  }

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    limiter = new RedisRateLimiter({ url: redis.url });
  });

  afterAll(async () => {
    await limiter?.close();
    await redis?.dispose();
  });

  it('settles while Redis is up', async () => {
    expect(await limiter.settle(account, 'totp', false)).toMatchObject({ allowed: true, failures: 1 });
    expect(await limiter.settle(account, 'totp', false)).toMatchObject({ allowed: true, failures: 2 });
  });

  it('rejects every settle at once while Redis is down, right or wrong', async () => {
    await redis.stop();
    for (const ok of [true, false]) await rejectsWithin(DOWN_BUDGET_MS, () => limiter.settle(account, 'totp', ok));
  });

  it('settles again after a restart, loading its script into the empty cache', async () => {
    await redis.restart();
    await reconnected();
    // Persistence is off: the restart lost the record, as a crash without a snapshot would.
    expect(await limiter.settle(account, 'totp', false)).toMatchObject({ allowed: true, failures: 1 });
    expect(await limiter.settle(account, 'totp', true)).toMatchObject({ allowed: true, failures: 0 });
  });

  it('rejects within the command timeout while Redis is frozen, and settles once it answers', async () => {
    redis.freeze();
    try {
      for (const ok of [true, false]) {
        await rejectsWithin(FROZEN_BUDGET_MS, () => limiter.settle(account, 'totp', ok));
      }
    } finally {
      redis.thaw();
    }
    await reconnected();
    // The settles that timed out were already on the wire: the thawed server may still run them
    // (a right one, then a wrong one: one failure). Their callers were refused all the same.
    expect(await limiter.settle(account, 'totp', false)).toMatchObject({ allowed: true, locked: false });
    expect(await limiter.settle(account, 'totp', true)).toMatchObject({ allowed: true, failures: 0 });
  });

  it('makes the service answer store_unavailable through settle, and advance no step', async () => {
    const store = new MemoryStore();
    const settles: boolean[] = [];
    const spied = new RedisRateLimiter({ url: redis.url });
    const settle = spied.settle.bind(spied);
    spied.settle = (key, kind, ok) => {
      settles.push(ok);
      return settle(key, kind, ok);
    };
    const kit: Totpkit = createTotpkit({
      issuer: 'ACME Co',
      keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
      store,
      replayCache: new RedisReplayCache({ url: redis.url, now }),
      rateLimiter: spied,
      now,
      logger: { warn: () => {}, error: () => {} },
    });
    try {
      const user = { id: 'ada' };
      const setup = await kit.beginSetup(user);
      const code = () => totpCode(setup.secret, { time: clockMs / 1000 });
      expect(await kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toMatchObject({
        ok: true,
      });
      clockMs += 30_000;
      const before = await store.getAuthenticator(user.id);
      settles.length = 0;

      await redis.stop();
      const error = await rejectsWithin(DOWN_BUDGET_MS, () => kit.verify(user, code()));
      expect(error).toBeInstanceOf(TotpkitError);
      expect((error as TotpkitError).code).toBe('store_unavailable');
      // The right code reached the limiter's settle, which failed: nothing was answered or advanced.
      expect(settles).toEqual([true]);
      expect(await store.getAuthenticator(user.id)).toEqual(before);

      await redis.restart();
      await vi.waitFor(() => spied.check('probe'), { timeout: 10_000, interval: 100 });
      expect(await kit.verify(user, code())).toMatchObject({ ok: true, method: 'totp' });
    } finally {
      await kit.close();
    }
  });
});
