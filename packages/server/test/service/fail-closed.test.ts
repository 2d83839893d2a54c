/**
 * Checklist items 19–22 (ASVS 5 §16.5.2–16.5.3): when the store, the replay cache or the limiter
 * fails, the request is refused with `store_unavailable` — never accepted — and nothing is left
 * half-written. (The same against a real Redis that is stopped: test/faults/redis-down.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  MemoryRateLimiter,
  MemoryReplayCache,
  MemoryStore,
  type RateLimiter,
  type ReplayCache,
  type TotpStore,
  totpCode,
} from '../../src/index.js';
import { TOTP_STORE_METHODS } from '../../src/stores/types.js';
import { enroll, makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };
const down = async () => {
  throw new Error('ECONNREFUSED');
};

/** A copy of `store` whose `method` rejects, or all methods when `method` is '*'. */
function breakStore(store: MemoryStore, method: keyof TotpStore | '*'): TotpStore {
  const broken = {} as Record<string, unknown>;
  for (const name of TOTP_STORE_METHODS) {
    broken[name] = method === '*' || method === name ? down : (store[name] as (...a: unknown[]) => unknown).bind(store);
  }
  if (method === 'getRecoveryCodeCounts') {
    // As a store that reads no counts with the authenticator, so that the service asks for them.
    broken.getAuthenticator = async (userId: string) => {
      const record = await store.getAuthenticator(userId);
      if (record) delete record.recoveryCodes;
      return record;
    };
  }
  return broken as unknown as TotpStore;
}

async function enrolledThenBroken(
  parts: (store: MemoryStore) => { store?: TotpStore; replayCache?: ReplayCache; rateLimiter?: RateLimiter },
) {
  const store = new MemoryStore();
  const healthy = makeService({}, { store });
  const enrolled = await enroll(healthy, user);
  const broken = makeService({ keyring: healthy.options.keyring }, { store, ...parts(store) } as never);
  broken.clock.advance((healthy.clock.now() - broken.clock.now()) / 1000);
  return { store, enrolled, broken };
}

describe('failing closed', () => {
  for (const method of ['getAuthenticator', 'advanceLastUsedStep', 'getRecoveryCodeCounts'] as const) {
    it(`refuses a valid TOTP code when the store's ${method} fails`, async () => {
      const { store, enrolled, broken } = await enrolledThenBroken((s) => ({ store: breakStore(s, method) }));
      const before = await store.getAuthenticator(user.id);
      await expect(broken.kit.verify(user, enrolled.code())).rejects.toMatchObject({
        name: 'TotpkitError',
        code: 'store_unavailable',
      });
      if (method !== 'getRecoveryCodeCounts') expect(await store.getAuthenticator(user.id)).toEqual(before);
    });
  }

  it("refuses a valid recovery code when the store's consume fails, and keeps the code", async () => {
    const { store, enrolled, broken } = await enrolledThenBroken((s) => ({
      store: breakStore(s, 'consumeRecoveryCode'),
    }));
    await expect(broken.kit.verify(user, enrolled.recoveryCodes[0])).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await store.getRecoveryCodeCounts(user.id)).toEqual({ total: 10, unused: 10 });
  });

  it('logs in without the replay cache, whose failure refuses an activation and creates nothing', async () => {
    // A TOTP step is guarded by the store's compare-and-set alone; the cache holds enrollment tokens.
    const { store, enrolled, broken } = await enrolledThenBroken(() => ({ replayCache: { claim: down } }));
    expect(await broken.kit.verify(user, enrolled.code())).toMatchObject({ ok: true, method: 'totp' });
    expect(await broken.kit.deactivate(user, { code: enrolled.recoveryCodes[0] })).toEqual({ ok: true });
    const setup = await broken.kit.beginSetup(user);
    broken.clock.advance(30);
    const code = totpCode(setup.secret, { time: broken.clock.now() / 1000 });
    await expect(broken.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code })).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await store.getAuthenticator(user.id)).toBeNull();
  });

  it('refuses when the rate limiter cannot be read, before looking at the code', async () => {
    const { enrolled, broken } = await enrolledThenBroken(() => ({
      rateLimiter: { check: down, attempt: down, succeed: down, reset: down },
    }));
    await expect(broken.kit.verify(user, enrolled.code())).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('refuses any code, right or wrong, when its attempt cannot be counted (no free guesses)', async () => {
    const limiter = new MemoryRateLimiter();
    const { enrolled, broken } = await enrolledThenBroken(() => ({
      rateLimiter: {
        check: (k: string) => limiter.check(k),
        attempt: down,
        succeed: (k: string, at: number) => limiter.succeed(k, at),
        reset: (k: string) => limiter.reset(k),
      },
    }));
    const wrong = enrolled.code() === '000000' ? '111111' : '000000';
    await expect(broken.kit.verify(user, wrong)).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(broken.kit.verify(user, enrolled.code())).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('refuses a right code when the limiter cannot settle it, before the step is spent', async () => {
    const limiter = new MemoryRateLimiter();
    const { store, enrolled, broken } = await enrolledThenBroken(() => ({
      rateLimiter: {
        check: (k: string) => limiter.check(k),
        attempt: (...args: Parameters<MemoryRateLimiter['attempt']>) => limiter.attempt(...args),
        succeed: down,
        reset: down,
      },
    }));
    const before = (await store.getAuthenticator(user.id))?.lastUsedStep;
    await expect(broken.kit.verify(user, enrolled.code())).rejects.toMatchObject({ code: 'store_unavailable' });
    // The limit decides before anything is written: the user may retry with the same code.
    expect((await store.getAuthenticator(user.id))?.lastUsedStep).toBe(before);
  });

  it('does not activate when the store write fails, and the user can retry with a new setup', async () => {
    const store = new MemoryStore();
    // The cache reads the service's clock, as it does by default.
    const replayCache = new MemoryReplayCache({ now: () => fixture.clock.now() });
    const fixture = makeService({}, { store: breakStore(store, 'createAuthenticator'), replayCache });
    const setup = await fixture.kit.beginSetup(user);
    const code = totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
    await expect(fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code })).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await store.getAuthenticator(user.id)).toBeNull();
    expect(await store.getRecoveryCodeCounts(user.id)).toBeNull();
  });

  it('refuses an activation whose right code the limiter cannot settle, and creates nothing', async () => {
    const limiter = new MemoryRateLimiter();
    const store = new MemoryStore();
    const fixture = makeService(
      {
        rateLimiter: {
          check: (k: string) => limiter.check(k),
          attempt: (...args: Parameters<MemoryRateLimiter['attempt']>) => limiter.attempt(...args),
          succeed: down,
          reset: down,
        },
      },
      { store },
    );
    const setup = await fixture.kit.beginSetup(user);
    const code = totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
    await expect(fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code })).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await store.getAuthenticator(user.id)).toBeNull();
  });

  it('keeps the cause for the host, without secrets in the message', async () => {
    const { enrolled, broken } = await enrolledThenBroken((s) => ({ store: breakStore(s, '*') }));
    const error = await broken.kit.verify(user, enrolled.code()).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'The store failed, so the request was refused.' });
    expect((error as Error).cause).toMatchObject({ message: 'ECONNREFUSED' });
  });
});
