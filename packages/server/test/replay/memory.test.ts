/** `MemoryReplayCache` against the replay-cache contract, on an injected clock and in real time. */
import { describe, expect, it } from 'vitest';
import { MemoryReplayCache } from '../../src/replay/memory.js';
import { describeReplayCacheContract } from '../support/replay-cache-suite.js';

describeReplayCacheContract('MemoryReplayCache on an injected clock', () => {
  let now = Date.UTC(2030, 0, 1);
  return {
    cache: new MemoryReplayCache({ now: () => now }),
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
});

describeReplayCacheContract('MemoryReplayCache in real time', () => ({ cache: new MemoryReplayCache() }));

describe('MemoryReplayCache memory bound (checklist item 41)', () => {
  it('forgets expired claims as new ones arrive, so it holds only the live claims', async () => {
    let now = 0;
    const cache = new MemoryReplayCache({ now: () => now });
    for (let i = 0; i < 1000; i++) await cache.claim(`totp:u${i}:1`, now + 60_000);
    expect(cache.size).toBe(1000);
    now += 60_000;
    await cache.claim('totp:late:1', now + 60_000);
    expect(cache.size).toBe(1);
  });
});
