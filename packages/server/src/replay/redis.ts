/**
 * A `ReplayCache` in Redis, shared by every instance of an app: one `SET key 1 NX PXAT expiresAt`
 * per claim, which Redis runs atomically, so exactly one of any number of racing claims wins
 * (RFC 6238 §5.2: an OTP is accepted only once; NIST SP 800-63B §5.1.4.2). The expiry is absolute
 * and judged by the Redis server's clock, so a claim made by an instance whose clock runs ahead
 * lasts exactly as long as one made by an instance whose clock runs behind.
 */
import { RedisConnection, type RedisConnectionOptions } from '../redis/connection.js';
import { RedisScript } from '../redis/script.js';
import { checkClaimExpiry, type ReplayCache } from './types.js';

/** Options of `RedisReplayCache`: a `url` or a `client`, and a key prefix (default `totpkit:`). */
export interface RedisReplayCacheOptions extends RedisConnectionOptions {
  /**
   * Clock in milliseconds, for tests whose services run on an injected clock: a claim is then held
   * for `expiresAt − now()` of real time. Default: the Redis server's clock (PXAT).
   */
  now?: () => number;
}

/**
 * KEYS[1]: the claim. ARGV: expiresAt in ms, and now in ms ('' = the server clock). Returns 1 when
 * claimed. An expiry already past is refused: SET would accept it and delete the key at once.
 */
const CLAIM = new RedisScript(`
local expiresAt = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if not now then
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if expiresAt <= now then return 0 end
  return redis.call('SET', KEYS[1], '1', 'PXAT', ARGV[1], 'NX') and 1 or 0
end
if expiresAt <= now then return 0 end
return redis.call('SET', KEYS[1], '1', 'PX', string.format('%d', expiresAt - now), 'NX') and 1 or 0
`);

/** Claims live under `<keyPrefix>replay:<key>`. */
export class RedisReplayCache implements ReplayCache {
  readonly #connection: RedisConnection;
  readonly #now: (() => number) | undefined;

  constructor(options: RedisReplayCacheOptions) {
    this.#connection = new RedisConnection(options, 'RedisReplayCache');
    this.#now = options.now;
  }

  /** @throws RangeError for an expiry that is not a finite number of milliseconds. */
  async claim(key: string, expiresAt: number): Promise<boolean> {
    checkClaimExpiry(expiresAt);
    const client = await this.#connection.ready();
    // Rounded up: a claim may outlive its expiry by under a millisecond, never fall short of it.
    const until = String(Math.ceil(expiresAt));
    const now = this.#now ? String(Math.floor(this.#now())) : '';
    return (await CLAIM.run(client, [this.keyOf(key)], [until, now])) === 1;
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
