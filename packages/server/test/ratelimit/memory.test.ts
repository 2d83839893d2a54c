/** `MemoryRateLimiter` against the rate-limiter contract, plus how long it keeps an idle record. */
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/ratelimit/memory.js';
import { describeRateLimiterContract } from '../support/rate-limiter-suite.js';

describeRateLimiterContract('MemoryRateLimiter', ({ policy, now }) => new MemoryRateLimiter({ policy, now }));

describe('MemoryRateLimiter retention', () => {
  /** Retention of an hour, with the windows inside it. */
  const policy = { retainSeconds: 3600, guessBudgetWindowSeconds: 3600, setupWindowSeconds: 3600 };

  it('forgets an idle account after retainSeconds, and frees its memory', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ policy, now: () => now });
    await limiter.attempt('totp:a');
    now += 3600 * 1000;
    expect(await limiter.check('totp:a')).toMatchObject({ failures: 1 });
    now += 1;
    expect(await limiter.check('totp:a')).toMatchObject({ failures: 0, locked: false });
    expect(limiter.size).toBe(0);
  });

  it('sweeps accounts an attacker left as other attempts arrive, but never a lock at hardLimit', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({
      policy: { ...policy, maxFailures: 10, hardLimit: 10 },
      now: () => now,
    });
    for (let i = 0; i < 100; i++) await limiter.attempt(`totp:left-${i}`);
    for (let i = 0; i < 10; i++) await limiter.attempt('totp:locked');
    expect(limiter.size).toBe(101);
    now += 400 * 86_400_000;
    await limiter.attempt('totp:new');
    expect(limiter.size).toBe(2);
    expect(await limiter.check('totp:locked')).toMatchObject({ locked: true, permanent: true, failures: 10 });
  });

  it('deletes the record when a success leaves nothing counted', async () => {
    const limiter = new MemoryRateLimiter();
    const attempt = await limiter.attempt('totp:a');
    await limiter.succeed('totp:a', attempt.at);
    expect(limiter.size).toBe(0);
  });
});
