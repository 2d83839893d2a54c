/**
 * The contract every `ReplayCache` meets, run against each implementation (memory, Redis, SQL)
 * and yours, under vitest or node:test (see ./runner.ts).
 *
 * A claim ends at an absolute time. `make` returns a fresh cache for each test, plus whatever the
 * implementation offers to observe time: `now` and `advance` when its clock can be injected,
 * `remainingMs` when it can say how long it will still hold a claim by its own clock (Redis
 * `PTTL`). Without an injected clock the cache's clock is taken to be this machine's, and the
 * timing tests run in real time on short holds.
 */

import type { ReplayCache } from '../replay/types.js';
import { stepClaimExpiresAt } from '../service/totpkit.js';
import { expect } from './expect.js';
import { type TestRunner, useRunner } from './runner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ReplayCacheHarness {
  cache: ReplayCache;
  /** The implementation's clock in ms, when injected. Default: `Date.now`. */
  now?: () => number;
  /** Moves the implementation's clock forward by `ms`; needs `now`. */
  advance?: (ms: number) => void;
  /** How many ms the implementation will still hold `key`, by its own clock; null when not held. */
  remainingMs?: (key: string) => Promise<number | null>;
}

/** The hold of the real-time expiry tests: short, yet far above one round trip on a busy machine. */
const REAL_HOLD_MS = 100;

/** Registers the replay-cache contract for one implementation. */
export function describeReplayCacheContract(
  runner: TestRunner,
  name: string,
  make: () => ReplayCacheHarness | Promise<ReplayCacheHarness>,
): void {
  const { describe, it, beforeEach, afterEach } = useRunner(runner);
  describe(`ReplayCache contract: ${name}`, () => {
    let harness: ReplayCacheHarness;
    let cache: ReplayCache;
    let now: () => number;
    /** Keys unique to this test, so implementations that share a backend never see another test's claims. */
    let key: (label: string) => string;
    /** An expiry `ms` from the cache's now. */
    const inMs = (ms: number) => now() + ms;

    beforeEach(async () => {
      harness = await make();
      if (harness.advance && !harness.now) throw new Error(`${name}: a harness with advance must give its now.`);
      cache = harness.cache;
      now = harness.now ?? Date.now;
      const run = crypto.randomUUID();
      key = (label) => `${label}:${run}`;
    });

    afterEach(async () => {
      await cache.close?.();
    });

    it('grants the first claim of a key and refuses the second', async () => {
      expect(await cache.claim(key('totp:u1:100'), inMs(60_000))).toBe(true);
      expect(await cache.claim(key('totp:u1:100'), inMs(60_000))).toBe(false);
    });

    it('keeps different keys independent, even ones that share a prefix', async () => {
      expect(await cache.claim(key('totp:u1:100'), inMs(60_000))).toBe(true);
      expect(await cache.claim(key('totp:u1:101'), inMs(60_000))).toBe(true);
      expect(await cache.claim(key('totp:u2:100'), inMs(60_000))).toBe(true);
      expect(await cache.claim(key('totp:u1:10'), inMs(60_000))).toBe(true);
      expect(await cache.claim(key('enrollment:totp:u1:100'), inMs(60_000))).toBe(true);
      expect(await cache.claim(key('totp:u1:100'), inMs(60_000))).toBe(false);
    });

    it('holds a claim until its expiry and frees the key at it', async () => {
      const until = inMs(REAL_HOLD_MS);
      expect(await cache.claim(key('k'), until)).toBe(true);
      if (harness.advance) {
        harness.advance(REAL_HOLD_MS - 1);
        expect(await cache.claim(key('k'), until + 60_000)).toBe(false);
        harness.advance(1);
      } else {
        expect(await cache.claim(key('k'), until + 60_000)).toBe(false);
        await sleep(REAL_HOLD_MS + 100);
      }
      expect(await cache.claim(key('k'), inMs(60_000))).toBe(true);
    });

    it('does not extend a claim when a later claim of the key is refused', async () => {
      expect(await cache.claim(key('k'), inMs(REAL_HOLD_MS))).toBe(true);
      expect(await cache.claim(key('k'), inMs(60_000))).toBe(false);
      if (harness.advance) harness.advance(REAL_HOLD_MS);
      else await sleep(REAL_HOLD_MS + 100);
      expect(await cache.claim(key('k'), inMs(60_000))).toBe(true);
    });

    it('refuses an expiry that is not a finite number, rather than grant a claim it does not hold', async () => {
      for (const expiry of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        await expect(cache.claim(key('bad'), expiry)).rejects.toThrow(RangeError);
      }
      expect(await cache.claim(key('bad'), inMs(60_000))).toBe(true);
    });

    it('refuses a claim whose expiry has already passed, and holds nothing for it', async () => {
      expect(await cache.claim(key('past'), inMs(-60_000))).toBe(false);
      expect(await cache.claim(key('past'), 0)).toBe(false);
      // A TTL passed where an expiry belongs (the old API) reads as 1970: refused, not held.
      expect(await cache.claim(key('past'), 90_000)).toBe(false);
      expect(await cache.claim(key('past'), inMs(60_000))).toBe(true);
    });

    it('grants exactly one of 50 concurrent claims of one key', async () => {
      const until = inMs(60_000);
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.claim(key('race'), until)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    // Checklist item 9 (Infisical #6112): a code of step s is accepted until (s + w + 1)·period,
    // by an instance's clock; the service claims the step until then plus the skew margin.
    describe('holds a TOTP step claim until no instance can accept the step (checklist item 9)', () => {
      const period = 30;
      const skewMs = 300_000;
      for (const tolerance of [0, 1, 2]) {
        it(`tolerance ${tolerance}: still held at the last moment a clock ${skewMs / 1000} s behind accepts the step`, async () => {
          const step = Math.floor(now() / 1000 / period);
          const lastAccepted = (step + tolerance + 1) * period * 1000 - 1 + skewMs;
          const until = stepClaimExpiresAt(step, period, tolerance, skewMs);
          const claim = key(`totp:u1:${step}`);
          expect(await cache.claim(claim, until)).toBe(true);
          if (harness.advance) {
            harness.advance(lastAccepted - now());
            expect(await cache.claim(claim, until + 60_000)).toBe(false);
            harness.advance(1);
            expect(await cache.claim(claim, until + 60_000)).toBe(true);
          } else if (harness.remainingMs) {
            const remaining = await harness.remainingMs(claim);
            expect(remaining).not.toBeNull();
            // By the cache's own clock, read after the claim: it ends at `until`, give or take the reads.
            expect(remaining).toBeGreaterThan(lastAccepted - now() - 1000);
            expect(remaining).toBeLessThanOrEqual(until - now() + 1000);
          } else {
            expect(await cache.claim(claim, until)).toBe(false);
          }
        });
      }
    });
  });
}
