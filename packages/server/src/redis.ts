/**
 * `@totpkit/server/redis`: the replay cache and rate limiter for several instances of an app,
 * sharing one Redis. Kept out of the main entry point so that ioredis stays an optional peer
 * dependency.
 *
 * @example
 * const replayCache = new RedisReplayCache({ url: process.env.REDIS_URL });
 * const rateLimiter = new RedisRateLimiter({ url: process.env.REDIS_URL });
 * const totpkit = createTotpkit({ issuer: 'Acme', store, keyring, replayCache, rateLimiter });
 */
export { RedisRateLimiter, type RedisRateLimiterOptions } from './ratelimit/redis.js';
export { DEFAULT_KEY_PREFIX, FAIL_FAST_REDIS_OPTIONS, type RedisConnectionOptions } from './redis/connection.js';
export { RedisReplayCache, type RedisReplayCacheOptions } from './replay/redis.js';
