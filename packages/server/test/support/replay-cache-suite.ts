/**
 * The replay-cache contract (src/testing/replay-cache.ts, published as `@totpkit/server/testing`)
 * bound to vitest, so each cache's test file registers it with one call.
 */
import * as vitest from 'vitest';
import {
  describeReplayCacheContract as describeWith,
  type ReplayCacheHarness,
} from '../../src/testing/replay-cache.js';

export function describeReplayCacheContract(
  name: string,
  make: () => ReplayCacheHarness | Promise<ReplayCacheHarness>,
): void {
  describeWith(vitest, name, make);
}
