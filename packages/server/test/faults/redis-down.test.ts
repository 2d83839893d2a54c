/**
 * Fault injection against a real Redis (checklist items 19–22; OWASP ASVS 5.0 16.5.2/16.5.3):
 * the real service, with its replay cache and rate limiter on a redis-server of this test's own,
 * which is crashed, frozen and restarted under it. Whatever happens to Redis, `verify` never
 * answers `ok: true` without it, never hangs, never writes half-way, and the same service instance
 * works again once Redis is back.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryRateLimiter,
  MemoryStore,
  type RateLimiter,
  type ReplayCache,
  type Totpkit,
  TotpkitError,
  type TotpStore,
  totpCode,
} from '../../src/index.js';
import { RedisRateLimiter, RedisReplayCache } from '../../src/redis.js';
import { describeWithOwnRedis, OwnRedisServer } from './own-redis.js';

const PERIOD_MS = 30_000;
const user = { id: 'ada', email: 'ada@example.com' };
const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };

/** With Redis gone, a request is refused at once: nothing is queued to wait for a reconnect. */
const DOWN_BUDGET_MS = 1000;
/** With Redis frozen, the 2 s command timeout decides, plus slack for a busy machine. */
const FROZEN_BUDGET_MS = 3500;

let clockMs = 1_700_000_010_000;
const now = () => clockMs;

/** Every event the services emit, so a test can show that no success was reported. */
const events: string[] = [];
const adapter = {
  onVerified: () => void events.push('verified'),
  onFailedAttempt: () => void events.push('failed'),
  onRecoveryCodeUsed: () => void events.push('recovery_code_used'),
};

function service(store: TotpStore, replayCache: ReplayCache, rateLimiter: RateLimiter): Totpkit {
  return createTotpkit({
    issuer: 'ACME Co',
    keyring,
    store,
    replayCache,
    rateLimiter,
    now,
    adapter,
    logger: { warn: () => {}, error: () => {} },
  });
}

/** Enrolls `user` through `kit`; returns the code function and the recovery codes. */
async function enroll(kit: Totpkit) {
  const setup = await kit.beginSetup(user);
  const code = () => totpCode(setup.secret, { time: clockMs / 1000 });
  const activated = await kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
  if (!activated.ok) throw new Error(`activation failed: ${activated.error}`);
  return { code, recoveryCodes: activated.recoveryCodes };
}

const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

/** Expects `call` to be refused with `store_unavailable` within `budgetMs`. */
async function expectRefusedWithin(budgetMs: number, call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  const outcome = await call().then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error }),
  );
  expect(performance.now() - started).toBeLessThan(budgetMs);
  expect(outcome).toEqual({ rejected: expect.any(TotpkitError) });
  expect((outcome as { rejected: TotpkitError }).rejected.code).toBe('store_unavailable');
}

describeWithOwnRedis('verify with Redis failing under the service', () => {
  let redis: OwnRedisServer;
  let store: MemoryStore;
  let replayCache: RedisReplayCache;
  let rateLimiter: RedisRateLimiter;
  let kit: Totpkit;
  let enrolled: Awaited<ReturnType<typeof enroll>>;
  const connectionErrors: Error[] = [];

  /** Waits until the service's own Redis clients are connected again. */
  async function reconnected(): Promise<void> {
    await vi.waitFor(
      async () => {
        await rateLimiter.check('probe');
        await replayCache.claim(`probe:${performance.now()}`, now() + 1000);
      },
      { timeout: 10_000, interval: 100 },
    );
  }

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    store = new MemoryStore();
    replayCache = new RedisReplayCache({ url: redis.url, now, onError: (error) => connectionErrors.push(error) });
    rateLimiter = new RedisRateLimiter({ url: redis.url });
    kit = service(store, replayCache, rateLimiter);
    enrolled = await enroll(kit);
  });

  beforeEach(() => {
    clockMs += PERIOD_MS;
    events.length = 0;
  });

  afterAll(async () => {
    await kit?.close();
    await redis?.dispose();
  });

  it('verifies while Redis is up', async () => {
    expect(await kit.verify(user, enrolled.code())).toMatchObject({ ok: true, method: 'totp' });
  });

  it('refuses a valid code at once when Redis is down, advancing no step and consuming no recovery code', async () => {
    await redis.stop();
    const before = await store.getAuthenticator(user.id);

    await expectRefusedWithin(DOWN_BUDGET_MS, () => kit.verify(user, enrolled.code()));
    await expectRefusedWithin(DOWN_BUDGET_MS, () => kit.verify(user, enrolled.recoveryCodes[0]));
    await expectRefusedWithin(DOWN_BUDGET_MS, () => kit.verify(user, wrongFor(enrolled.code())));

    expect(await store.getAuthenticator(user.id)).toEqual(before);
    expect(await store.getRecoveryCodeCounts(user.id)).toEqual({ total: 10, unused: 10 });
    expect(events).toEqual([]);
    // The host hears of the outage through onError, and no message carries a code.
    await vi.waitFor(() => expect(connectionErrors.length).toBeGreaterThan(0));
    for (const error of connectionErrors) expect(error.message).not.toContain(enrolled.code());
  });

  it('recovers when Redis returns on the same port, with the same service instance', async () => {
    await redis.restart();
    await reconnected();
    // The restarted Redis has lost its script cache: the limiter must load its script again.
    expect(await kit.verify(user, enrolled.code())).toMatchObject({ ok: true, method: 'totp' });
    expect(await kit.verify(user, enrolled.recoveryCodes[0])).toMatchObject({ ok: true, method: 'recovery_code' });
    expect(events).toEqual(['verified', 'recovery_code_used', 'verified']);
  });

  it('refuses within the command timeout when Redis stops answering, then recovers when it answers again', async () => {
    const before = await store.getAuthenticator(user.id);
    redis.freeze();
    try {
      await expectRefusedWithin(FROZEN_BUDGET_MS, () => kit.verify(user, enrolled.code()));
      await expectRefusedWithin(FROZEN_BUDGET_MS, () => kit.verify(user, wrongFor(enrolled.code())));
    } finally {
      redis.thaw();
    }
    expect(await store.getAuthenticator(user.id)).toEqual(before);
    expect(events).toEqual([]);

    await reconnected();
    clockMs += PERIOD_MS;
    expect(await kit.verify(user, enrolled.code())).toMatchObject({ ok: true, method: 'totp' });
  });

  it('logs in when only the replay cache is on the stopped Redis, and refuses an activation there', async () => {
    // A login claims nothing in the replay cache (the store's compare-and-set guards the step);
    // an activation claims its enrollment token there, so it fails closed.
    const replayOnly = service(store, replayCache, new MemoryRateLimiter({ now }));
    const other = { id: 'u-replay-only', email: 'other@example.com' };
    const setup = await replayOnly.beginSetup(other);
    await redis.stop();
    try {
      expect(await replayOnly.verify(user, enrolled.code())).toMatchObject({ ok: true, method: 'totp' });
      const code = totpCode(setup.secret, { time: now() / 1000 });
      await expectRefusedWithin(DOWN_BUDGET_MS, () =>
        replayOnly.activate(other, { enrollmentToken: setup.enrollmentToken, code }),
      );
      expect(await store.getAuthenticator(other.id)).toBeNull();
    } finally {
      await redis.restart();
      await reconnected();
    }
  });
});

/** A store that is fine until told to fail the step compare-and-set, as a dropped connection would. */
class StepWriteFailingStore extends MemoryStore {
  failStepWrites = false;

  override async advanceLastUsedStep(userId: string, step: number, at: Date): Promise<boolean> {
    if (this.failStepWrites) throw new Error('connection reset by peer');
    return super.advanceLastUsedStep(userId, step, at);
  }
}

describeWithOwnRedis('verify with a store that fails to write the step, over Redis', () => {
  let redis: OwnRedisServer;
  let kit: Totpkit;

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
  });

  afterAll(async () => {
    await kit?.close();
    await redis?.dispose();
  });

  it('refuses a valid code, reports no success and keeps the wrong guesses in the budget', async () => {
    const store = new StepWriteFailingStore();
    const limiter = new RedisRateLimiter({ url: redis.url });
    kit = service(store, new RedisReplayCache({ url: redis.url, now }), limiter);
    const { code } = await enroll(kit);
    clockMs += PERIOD_MS;
    events.length = 0;

    for (let i = 0; i < 2; i++)
      expect(await kit.verify(user, wrongFor(code()))).toEqual({ ok: false, error: 'invalid_code' });
    const before = await store.getAuthenticator(user.id);
    store.failStepWrites = true;
    await expectRefusedWithin(DOWN_BUDGET_MS, () => kit.verify(user, code()));
    expect(await store.getAuthenticator(user.id)).toEqual(before);
    expect(events).toEqual(['failed', 'failed']);
    // The limit settled the right code before the write failed, which clears the consecutive
    // failures as any right code does; the two wrong guesses stay in the rolling budget, which no
    // success refunds, so the refused request gave an attacker nothing.
    expect(await limiter.check(`totp:${user.id}`, 'totp')).toMatchObject({ failures: 0, budgetLeft: 28 });

    store.failStepWrites = false;
    expect(await kit.verify(user, code())).toMatchObject({ ok: true, method: 'totp' });
  });
});
