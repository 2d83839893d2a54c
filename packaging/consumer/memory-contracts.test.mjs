// The replay-cache and rate-limiter contracts of @totpkit/server/testing under node:test, against
// the built-in memory implementations: run from the packed tarballs by
// packaging/test/install-from-tarballs.test.ts (`node --test memory-contracts.test.mjs`).
import * as test from 'node:test';
import { MemoryRateLimiter, MemoryReplayCache } from '@totpkit/server';
import { describeRateLimiterContract, describeReplayCacheContract } from '@totpkit/server/testing';

describeReplayCacheContract(test, 'MemoryReplayCache', () => {
  let now = Date.UTC(2030, 0, 1);
  return {
    cache: new MemoryReplayCache({ now: () => now }),
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
});

describeRateLimiterContract(test, 'MemoryRateLimiter', ({ policy, now }) => new MemoryRateLimiter({ policy, now }));
