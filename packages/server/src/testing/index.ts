/**
 * `@totpkit/server/testing`: the contract suites that every built-in store, replay cache and rate
 * limiter passes, for your own implementations. They run under vitest and node:test (or any runner
 * with describe, it and hooks): pass the runner's module as the first argument. docs/server.md
 * shows a custom store passing them.
 */
export { describeRateLimiterContract, type RateLimiterHarnessOptions } from './rate-limiter.js';
export { describeReplayCacheContract, type ReplayCacheHarness } from './replay-cache.js';
export type { TestRunner } from './runner.js';
export { authenticatorRecord, describeStoreContract, hashes, trustedBrowserRecord } from './store.js';
