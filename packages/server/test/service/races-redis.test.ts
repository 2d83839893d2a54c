/**
 * Races through the real service with its replay cache and rate limiter on the real Redis
 * (checklist items 11 and 12; django-otp ConcurrencyTestCase, Keycloak #26106): however many
 * requests carry one code at once, exactly one is accepted — also when they are spread over two
 * service instances, each with its own Redis connections, as two processes behind a load balancer.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type Totpkit,
  totpCode,
  type VerifyResult,
} from '../../src/index.js';
import { RedisRateLimiter, RedisReplayCache } from '../../src/redis.js';
import { describeWithRedis, REDIS_URL, uniqueName } from '../support/services.js';

/** A MemoryStore that counts the step compare-and-sets that won. */
class CountingStore extends MemoryStore {
  stepAdvances = 0;

  override async advanceLastUsedStep(userId: string, step: number, at: Date): Promise<boolean> {
    const won = await super.advanceLastUsedStep(userId, step, at);
    if (won) this.stepAdvances += 1;
    return won;
  }
}

describeWithRedis('races through the service on Redis', () => {
  const keyPrefix = `${uniqueName('totpkit_test')}:`;
  const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };
  let clockMs = 1_700_000_010_000;
  let kits: Totpkit[] = [];
  let verified = 0;

  /** One service instance, with its own Redis connections, over the shared `store`. */
  function instance(store: MemoryStore): Totpkit {
    const kit = createTotpkit({
      issuer: 'ACME Co',
      keyring,
      store,
      // The cache holds each claim for its expiry minus this clock's now, of real time.
      replayCache: new RedisReplayCache({ url: REDIS_URL, keyPrefix, now: () => clockMs }),
      rateLimiter: new RedisRateLimiter({ url: REDIS_URL, keyPrefix }),
      now: () => clockMs,
      adapter: { onVerified: () => void verified++ },
      logger: { warn: () => {}, error: () => {} },
    });
    kits.push(kit);
    return kit;
  }

  /** Enrolls a fresh user and moves to the next time step, so the activation code is behind us. */
  async function enrolled(kit: Totpkit) {
    const user = { id: uniqueName('user') };
    const setup = await kit.beginSetup(user);
    const code = () => totpCode(setup.secret, { time: clockMs / 1000 });
    const activated = await kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
    if (!activated.ok) throw new Error(`activation failed: ${activated.error}`);
    clockMs += 30_000;
    verified = 0;
    return { user, code: code(), recoveryCode: activated.recoveryCodes[0] as string };
  }

  const accepted = (results: VerifyResult[]) => results.filter((result) => result.ok);
  /** The distinct errors of the refused results. */
  const refusals = (results: VerifyResult[]) => new Set(results.flatMap((result) => (result.ok ? [] : [result.error])));

  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterEach(async () => {
    await Promise.all(kits.map((kit) => kit.close()));
    kits = [];
  });

  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  it('accepts exactly one of 50 parallel verifications of one TOTP code', async () => {
    const store = new CountingStore();
    const kit = instance(store);
    const { user, code } = await enrolled(kit);
    store.stepAdvances = 0;

    const results = await Promise.all(Array.from({ length: 50 }, () => kit.verify(user, code)));

    expect(accepted(results)).toEqual([{ ok: true, method: 'totp', recoveryCodesLeft: 10 }]);
    // The losers look like any wrong code, and lock the account as wrong codes would.
    expect(refusals(results)).toEqual(new Set(['invalid_code', 'rate_limited']));
    expect(verified).toBe(1);
    // No replay claim: the store's compare-and-set alone lets exactly one through.
    expect(store.stepAdvances).toBe(1);
  });

  it('accepts exactly one of 50 parallel verifications of one TOTP code split over two instances', async () => {
    const store = new CountingStore();
    const [first, second] = [instance(store), instance(store)];
    const { user, code } = await enrolled(first);
    store.stepAdvances = 0;

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).verify(user, code)),
    );

    expect(accepted(results)).toHaveLength(1);
    expect(verified).toBe(1);
    expect(store.stepAdvances).toBe(1);
  });

  it('accepts exactly one of 50 parallel uses of one recovery code, and consumes only that code', async () => {
    const store = new MemoryStore();
    const [first, second] = [instance(store), instance(store)];
    const { user, recoveryCode } = await enrolled(first);

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).verify(user, recoveryCode)),
    );

    expect(accepted(results)).toEqual([{ ok: true, method: 'recovery_code', recoveryCodesLeft: 9 }]);
    expect(verified).toBe(1);
    expect(await store.getRecoveryCodeCounts(user.id)).toEqual({ total: 10, unused: 9 });
  });
});
