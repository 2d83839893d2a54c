/**
 * The rate-limiter contract (src/testing/rate-limiter.ts, published as `@totpkit/server/testing`)
 * bound to vitest, so each limiter's test file registers it with one call.
 */
import * as vitest from 'vitest';
import type { RateLimiter } from '../../src/ratelimit/types.js';
import {
  describeRateLimiterContract as describeWith,
  type RateLimiterHarnessOptions,
} from '../../src/testing/rate-limiter.js';

export function describeRateLimiterContract(
  name: string,
  make: (options: RateLimiterHarnessOptions) => RateLimiter | Promise<RateLimiter>,
): void {
  describeWith(vitest, name, make);
}
