/** `MemoryRateLimiter` against the rate-limiter contract, plus how long it keeps an idle record. */
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/ratelimit/memory.js';
import { describeRateLimiterContract } from '../support/rate-limiter-suite.js';

describeRateLimiterContract('MemoryRateLimiter', ({ policy, now }) => new MemoryRateLimiter({ policy, now }));

describe('MemoryRateLimiter retention', () => {
  it('forgets an idle account after retainSeconds, and frees its memory', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ policy: { retainSeconds: 3600 }, now: () => now });
    await limiter.attempt('totp:a');
    now += 3600 * 1000;
    expect(await limiter.check('totp:a')).toMatchObject({ failures: 1 });
    now += 1;
    expect(await limiter.check('totp:a')).toMatchObject({ failures: 0, locked: false });
    expect(limiter.size).toBe(0);
  });
});
