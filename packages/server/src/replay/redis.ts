/**
 * A `ReplayCache` in Redis, shared by every instance of an app: one `SET key 1 NX PX ttl` per
 * claim, which Redis runs atomically, so exactly one of any number of racing claims wins
 * (RFC 6238 §5.2: an OTP is accepted only once; NIST SP 800-63B §5.1.4.2). The TTL is counted by
 * the Redis server's clock, so instances with skewed clocks agree on when a claim ends.
 */
import { RedisConnection, type RedisConnectionOptions } from '../redis/connection.js';
import { checkClaimTtl, type ReplayCache } from './types.js';

/** Options of `RedisReplayCache`: a `url` or a `client`, and a key prefix (default `totpkit:`). */
export type RedisReplayCacheOptions = RedisConnectionOptions;

/** Claims live under `<keyPrefix>replay:<key>`. */
export class RedisReplayCache implements ReplayCache {
  readonly #connection: RedisConnection;

  constructor(options: RedisReplayCacheOptions) {
    this.#connection = new RedisConnection(options, 'RedisReplayCache');
  }

  /** @throws RangeError for a TTL that is not a positive number of milliseconds. */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    checkClaimTtl(ttlMs);
    const client = await this.#connection.ready();
    // Rounded up: a claim may outlive its TTL by under a millisecond, never fall short of it.
    const reply = await client.set(this.keyOf(key), '1', 'PX', Math.ceil(ttlMs), 'NX');
    return reply === 'OK';
  }

  /** The Redis key that holds the claim of `key`; for tests and operators. */
  keyOf(key: string): string {
    return `${this.#connection.keyPrefix}replay:${key}`;
  }

  /** Closes the connection if this cache opened it. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}
