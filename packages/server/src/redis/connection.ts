/**
 * The one Redis connection policy shared by `RedisReplayCache` and `RedisRateLimiter`: fail fast
 * and closed while Redis is away, and come back on our own when it returns.
 *
 * - Commands are never queued while disconnected (`enableOfflineQueue: false`) and are retried at
 *   most once, so a request during an outage is refused at once instead of hanging until some
 *   later reconnect decides it (OWASP ASVS 5.0 16.5.2/16.5.3: fail securely, never open).
 * - Connection and command timeouts of a few seconds bound a Redis that accepts but never answers.
 * - Reconnection runs forever with capped backoff, so the process needs no restart afterwards.
 *
 * A client passed in by the host is used as it is and never closed here: its owner configured it
 * and owns its lifetime.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Options shared by the Redis parts. Pass `url` or `client`, not both. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. A connection is opened and owned. */
  url?: string;
  /**
   * An ioredis 5 client of your own, e.g. to share one connection or use Sentinel/Cluster. It is not
   * closed by `close()`. Give it `enableOfflineQueue: false` and a `commandTimeout` (see
   * `FAIL_FAST_REDIS_OPTIONS`), or requests made during an outage wait for its retries.
   */
  client?: Redis;
  /** Prepended to every key, so several apps can share one Redis. Default `totpkit:`. */
  keyPrefix?: string;
  /** How long one command may take before it is refused. Default 2000 ms; only for an owned connection. */
  commandTimeoutMs?: number;
  /** How long connecting may take, and how long the first request waits for it. Default 3000 ms. */
  connectTimeoutMs?: number;
  /**
   * Told about connection errors of an owned connection (the failing commands also reject, and the
   * service turns them into `store_unavailable`). Default: ignored, since every retry would repeat it.
   */
  onError?: (error: Error) => void;
}

/** The default key prefix. */
export const DEFAULT_KEY_PREFIX = 'totpkit:';

/** Longest pause between reconnection attempts: short enough that recovery is quick once Redis is back. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** ioredis options that make a client fail fast and reconnect by itself; apply them to a client you pass in. */
export const FAIL_FAST_REDIS_OPTIONS: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 3000,
  commandTimeout: 2000,
  retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
});

function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number of milliseconds.`);
  return value;
}

/** A client plus the knowledge of whether we own it. */
export class RedisConnection {
  /** The ioredis client. */
  readonly client: Redis;
  /** Prepended to every key. */
  readonly keyPrefix: string;
  readonly #owned: boolean;
  readonly #connectTimeoutMs: number;
  #everReady: boolean;
  #firstConnection: Promise<void> | null = null;

  /** @throws TypeError when neither or both of `url` and `client` are given, or an option is malformed. */
  constructor(options: RedisConnectionOptions, owner: string) {
    if ((options.url === undefined) === (options.client === undefined)) {
      throw new TypeError(`${owner} needs exactly one of \`url\` or \`client\`.`);
    }
    const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    if (typeof keyPrefix !== 'string') throw new TypeError(`${owner}: keyPrefix must be a string.`);
    this.keyPrefix = keyPrefix;
    this.#connectTimeoutMs = positiveMs('connectTimeoutMs', options.connectTimeoutMs, 3000);
    if (options.client) {
      this.client = options.client;
      this.#owned = false;
    } else {
      // The URL is never echoed into errors: it may carry a password.
      this.client = new Redis(options.url as string, {
        ...FAIL_FAST_REDIS_OPTIONS,
        connectTimeout: this.#connectTimeoutMs,
        commandTimeout: positiveMs('commandTimeoutMs', options.commandTimeoutMs, 2000),
      });
      this.#owned = true;
      // Without a listener ioredis prints every reconnection failure as an unhandled error.
      const onError = options.onError;
      this.client.on('error', (error: Error) => onError?.(error));
    }
    this.#everReady = this.client.status === 'ready';
    if (!this.#everReady) {
      this.client.once('ready', () => {
        this.#everReady = true;
      });
    }
  }

  /**
   * The client, once it is usable. Only the very first connection is waited for (bounded by the
   * connect timeout), so a service created at start-up can be used at once; after that a
   * disconnected client is returned as it is and its commands fail immediately.
   */
  async ready(): Promise<Redis> {
    const { client } = this;
    if (this.#everReady || !['wait', 'connecting', 'connect'].includes(client.status)) return client;
    // A lazy client connects on its first command anyway; start it now so there is something to wait for.
    if (client.status === 'wait') client.connect().catch(() => {});
    // One wait shared by every request that arrives while the first connection is being made.
    this.#firstConnection ??= this.#settled().finally(() => {
      this.#firstConnection = null;
    });
    await this.#firstConnection;
    return client;
  }

  /** Resolves when the client is ready, fails to connect, or the connect timeout passes. */
  #settled(): Promise<void> {
    const { client } = this;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        client.off('error', done);
        client.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, this.#connectTimeoutMs);
      client.once('ready', done);
      client.once('error', done);
      client.once('close', done);
    });
  }

  /** Closes an owned connection; a client passed in is left open. */
  async close(): Promise<void> {
    if (!this.#owned || this.client.status === 'end') return;
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch {
        // Fall through: the connection broke while quitting.
      }
    }
    this.client.disconnect();
  }
}
