/**
 * The contract every `ReplayCache` meets, run against each implementation (memory, Redis, SQL).
 *
 * `make` returns a fresh cache for each test, plus whatever the implementation offers to observe
 * time: `advance` when its clock can be injected, `remainingMs` when it can say how long it will
 * still hold a claim by its own clock (Redis `PTTL`). With neither, the timing tests run in real
 * time on short TTLs.
 */

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplayCache } from '../../src/replay/types.js';
import { replayTtlMs } from '../../src/service/totpkit.js';

export interface ReplayCacheHarness {
  cache: ReplayCache;
  /** Moves the implementation's clock forward by `ms`. */
  advance?: (ms: number) => void;
  /** How many ms the implementation will still hold `key`, by its own clock; null when not held. */
  remainingMs?: (key: string) => Promise<number | null>;
}

/** The TTL the service gives a TOTP step claim: the service's own formula, not a copy. */
export const serviceStepTtlMs = replayTtlMs;

/** The TTL of the real-time expiry tests: short, yet far above one round trip on a busy machine. */
const REAL_TTL_MS = 100;

/** Registers the replay-cache contract for one implementation. */
export function describeReplayCacheContract(
  name: string,
  make: () => ReplayCacheHarness | Promise<ReplayCacheHarness>,
): void {
  describe(`ReplayCache contract: ${name}`, () => {
    let harness: ReplayCacheHarness;
    let cache: ReplayCache;
    /** Keys unique to this test, so implementations that share a backend never see another test's claims. */
    let key: (label: string) => string;

    beforeEach(async () => {
      harness = await make();
      cache = harness.cache;
      const run = randomUUID();
      key = (label) => `${label}:${run}`;
    });

    afterEach(async () => {
      await cache.close?.();
    });

    it('grants the first claim of a key and refuses the second', async () => {
      expect(await cache.claim(key('totp:u1:100'), 60_000)).toBe(true);
      expect(await cache.claim(key('totp:u1:100'), 60_000)).toBe(false);
    });

    it('keeps different keys independent, even ones that share a prefix', async () => {
      expect(await cache.claim(key('totp:u1:100'), 60_000)).toBe(true);
      expect(await cache.claim(key('totp:u1:101'), 60_000)).toBe(true);
      expect(await cache.claim(key('totp:u2:100'), 60_000)).toBe(true);
      expect(await cache.claim(key('totp:u1:10'), 60_000)).toBe(true);
      expect(await cache.claim(key('enrollment:totp:u1:100'), 60_000)).toBe(true);
      expect(await cache.claim(key('totp:u1:100'), 60_000)).toBe(false);
    });

    it('holds a claim for its whole TTL and frees the key after it', async () => {
      const ttl = REAL_TTL_MS;
      expect(await cache.claim(key('k'), ttl)).toBe(true);
      if (harness.advance) {
        harness.advance(ttl - 1);
        expect(await cache.claim(key('k'), ttl)).toBe(false);
        harness.advance(1);
      } else {
        expect(await cache.claim(key('k'), ttl)).toBe(false);
        await sleep(ttl + 100);
      }
      expect(await cache.claim(key('k'), ttl)).toBe(true);
    });

    it('does not extend a claim when a later claim of the key is refused', async () => {
      expect(await cache.claim(key('k'), REAL_TTL_MS)).toBe(true);
      expect(await cache.claim(key('k'), 60_000)).toBe(false);
      if (harness.advance) harness.advance(REAL_TTL_MS);
      else await sleep(REAL_TTL_MS + 100);
      expect(await cache.claim(key('k'), REAL_TTL_MS)).toBe(true);
    });

    it('refuses a TTL that is not a positive number, rather than grant a claim it does not hold', async () => {
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(cache.claim(key('bad'), ttl)).rejects.toThrow(RangeError);
      }
      expect(await cache.claim(key('bad'), 60_000)).toBe(true);
    });

    it('grants exactly one of 50 concurrent claims of one key', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.claim(key('race'), 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    // Checklist item 9 (Infisical #6112): a code is accepted during (2w+1) periods, so its claim
    // must still be held (2w+1)·period after it was made, tested at that boundary + 1 s.
    describe('holds a TOTP step claim for the whole validity window (checklist item 9)', () => {
      const period = 30;
      for (const tolerance of [0, 1, 2]) {
        const validityMs = (2 * tolerance + 1) * period * 1000;
        const ttl = serviceStepTtlMs(period, tolerance);

        it(`tolerance ${tolerance}: still held past the ${validityMs / 1000} s window (+1 s; scaled in real time)`, async () => {
          const step = key(`totp:u1:${tolerance}`);
          expect(await cache.claim(step, ttl)).toBe(true);
          if (harness.advance) {
            harness.advance(validityMs + 1000);
            expect(await cache.claim(step, ttl)).toBe(false);
            harness.advance(ttl - validityMs - 1000);
            expect(await cache.claim(step, ttl)).toBe(true);
          } else if (harness.remainingMs) {
            // Read right after the claim: what the implementation will hold it for from now.
            const remaining = await harness.remainingMs(step);
            expect(remaining).not.toBeNull();
            expect(remaining).toBeGreaterThanOrEqual(validityMs + 1000);
            expect(remaining).toBeLessThanOrEqual(ttl);
          } else {
            // Real time, scaled down: a 200 ms period, checked half a period past the window.
            const scaledValidity = (2 * tolerance + 1) * 200;
            const scaledStep = key(`scaled:${tolerance}`);
            expect(await cache.claim(scaledStep, serviceStepTtlMs(0.2, tolerance))).toBe(true);
            await sleep(scaledValidity + 100);
            expect(await cache.claim(scaledStep, serviceStepTtlMs(0.2, tolerance))).toBe(false);
          }
        });
      }
    });
  });
}
