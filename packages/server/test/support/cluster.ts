/**
 * The scale-out topology of issue 7: N app-server processes (app-server.mjs), each with its own
 * `createTotpkit` and HTTP handler on a loopback port, sharing one PostgreSQL schema and one Redis
 * key prefix (or one SQLite file), as several instances behind a load balancer would.
 *
 * A run owns everything it creates: a schema and key prefix no other run uses, dropped and deleted
 * by `close()`, and its child processes, which can be SIGKILLed and restarted. It never stops the
 * machine's PostgreSQL or Redis; fault tests point the instances at a redis-server of their own
 * (test/faults/own-redis.ts) or at a TCP proxy (tcp-proxy.ts) instead.
 *
 * `service` is one more `createTotpkit` in the calling process over the same storage, keyring and
 * clock, for seeding users fast (`importAuthenticator`) and for reading state back.
 *
 * This file imports nothing from vitest, so the benchmark (bench/scale.bench.mjs) can load it too.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createTotpkit, generateEncryptionKey, type RateLimitPolicy, type Totpkit } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { RedisRateLimiter, RedisReplayCache } from '../../src/redis.js';
import { SqliteStore } from '../../src/sqlite.js';

const APP_SERVER = fileURLToPath(new URL('./app-server.mjs', import.meta.url));

/** A fixed start for the injected clock, 10 s into a 30 s step: 2023-11-14T22:13:30Z. */
export const CLUSTER_START_MS = 1_700_000_010_000;

export interface ClusterOptions {
  /** How many app servers. */
  instances: number;
  store: 'postgres' | 'sqlite';
  /** The real PostgreSQL, for the schema, seeding and inspection. Required for 'postgres'. */
  postgresUrl?: string;
  /** What the instances connect to, when it is not `postgresUrl` (a TCP proxy in front of it). */
  instancePostgresUrl?: string;
  /** The Redis of the replay cache and rate limiter. Required for 'postgres'. */
  redisUrl?: string;
  /** 'src' (default): the TypeScript sources; 'dist': the built package (the benchmark). */
  source?: 'src' | 'dist';
  recoveryCodeCount?: number;
  rateLimitPolicy?: Partial<RateLimitPolicy>;
  /**
   * PostgreSQL connections per instance (PostgresStore's `max`). Default 4: several test files
   * run at once against a server with max_connections = 100, shared with other work.
   */
  poolSize?: number;
  /** The injected clock's start. Default `CLUSTER_START_MS`. */
  startMs?: number;
}

/** What app-server.mjs is started with. */
interface AppServerConfig {
  source: 'src' | 'dist';
  store: 'postgres' | 'sqlite';
  postgresUrl?: string;
  schema?: string;
  poolSize?: number;
  redisUrl?: string;
  keyPrefix?: string;
  sqliteFile?: string;
  keyring: { current: string; keys: Record<string, string> };
  recoveryCodeCount: number;
  rateLimitPolicy?: Partial<RateLimitPolicy>;
  nowMs: number;
}

/** Memory figures an instance reports about itself. */
export interface InstanceStats {
  rss: number;
  heapUsed: number;
  /** Errors its handler reported to `onError` (the causes of 500s and 503s) since it started. */
  reported: number;
}

/** One app-server process; it can be killed and started again (on a new port, as a new container would). */
export class AppInstance {
  #child: ChildProcess | null = null;
  #port = 0;
  #nextId = 0;
  readonly #pending = new Map<number, (reply: Record<string, unknown>) => void>();
  #expectingExit = false;
  /** Exits that nobody asked for, as `code=… signal=…`: a crash. Tests assert this stays empty. */
  readonly crashes: string[] = [];

  constructor(
    /** Also its PostgreSQL `application_name`, to find its connections in pg_stat_activity. */
    readonly name: string,
    readonly config: Omit<AppServerConfig, 'nowMs'>,
    readonly clock: () => number,
  ) {}

  /** `http://127.0.0.1:<port>/mfa`, the protocol's base URL on this instance. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}/mfa`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** Forks the process and waits until it listens. */
  async start(): Promise<void> {
    if (this.#child) throw new Error(`${this.name} is already running`);
    const config: AppServerConfig = { ...this.config, nowMs: this.clock() };
    const child = fork(APP_SERVER, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child = child;
    this.#expectingExit = false;
    child.on('message', (message: Record<string, unknown>) => {
      const reply = this.#pending.get(message.id as number);
      this.#pending.delete(message.id as number);
      reply?.(message);
    });
    child.once('exit', (code, signal) => {
      if (!this.#expectingExit) this.crashes.push(`code=${code} signal=${signal}`);
      if (this.#child === child) this.#child = null;
      this.#pending.clear();
    });
    const [ready] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`${this.name} exited with ${code} before listening`);
      }),
    ])) as [{ type: string; port: number }];
    this.#port = ready.port;
  }

  /** Sends `signal` (default SIGKILL, a crash) and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#expectingExit = true;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  /** Starts the instance again after a kill or stop, on a new port, with the cluster's clock. */
  async restart(): Promise<void> {
    if (this.#child) await this.kill();
    await this.start();
  }

  /** Stops gracefully (closes the server and the service), or kills after 5 s. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#expectingExit = true;
    const exited = once(child, 'exit');
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Sets the instance's injected clock. */
  async setClock(nowMs: number): Promise<void> {
    await this.#ask({ type: 'clock', nowMs });
  }

  async stats(): Promise<InstanceStats> {
    return (await this.#ask({ type: 'stats' })) as unknown as InstanceStats;
  }

  #ask(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const child = this.#child;
    if (!child) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name} did not answer ${message.type}`));
      }, 10_000);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ ...message, id });
    });
  }
}

/** The app servers, their shared storage, and a service in this process over the same storage. */
export class Cluster {
  #nowMs: number;
  #admin: pg.Pool | null = null;
  #sqliteDir: string | null = null;
  /** A service over the cluster's storage, keyring and clock, for seeding and inspection. */
  readonly service: Totpkit;
  readonly instances: AppInstance[];

  private constructor(
    readonly options: ClusterOptions,
    /** The schema (PostgreSQL) or file (SQLite) holding this run's data. */
    readonly schema: string,
    readonly keyPrefix: string,
    readonly keyring: AppServerConfig['keyring'],
  ) {
    this.#nowMs = options.startMs ?? CLUSTER_START_MS;
    const base: Omit<AppServerConfig, 'nowMs'> = {
      source: options.source ?? 'src',
      store: options.store,
      keyring,
      recoveryCodeCount: options.recoveryCodeCount ?? 10,
      rateLimitPolicy: options.rateLimitPolicy,
    };
    const now = () => this.#nowMs;
    const common = { issuer: 'totpkit scale suite', keyring, now, recoveryCodeCount: base.recoveryCodeCount };
    const quiet = { warn: () => {}, error: () => {} };

    if (options.store === 'sqlite') {
      this.#sqliteDir = mkdtempSync(join(tmpdir(), 'totpkit-scale-'));
      base.sqliteFile = join(this.#sqliteDir, 'totpkit.sqlite');
      const store = new SqliteStore({ filename: base.sqliteFile, now });
      this.service = createTotpkit({
        ...common,
        store,
        replayCache: store.replayCache(),
        rateLimiter: store.rateLimiter(options.rateLimitPolicy),
        logger: quiet,
      });
    } else {
      const { postgresUrl, redisUrl } = options;
      if (!postgresUrl || !redisUrl) throw new Error('a PostgreSQL cluster needs postgresUrl and redisUrl');
      this.#admin = new pg.Pool({ connectionString: postgresUrl, max: 2 });
      Object.assign(base, {
        schema,
        keyPrefix,
        redisUrl,
        poolSize: options.poolSize ?? 4,
        postgresUrl: options.instancePostgresUrl ?? postgresUrl,
      });
      const redis = { url: redisUrl, keyPrefix };
      this.service = createTotpkit({
        ...common,
        store: new PostgresStore({ connectionString: postgresUrl, schema, max: 8 }),
        replayCache: new RedisReplayCache({ ...redis, now }),
        rateLimiter: new RedisRateLimiter({ ...redis, policy: options.rateLimitPolicy }),
        logger: quiet,
      });
    }
    this.instances = Array.from({ length: options.instances }, (_, i) => {
      const name = `${schema}_app${i}`;
      const config = { ...base };
      if (config.postgresUrl) config.postgresUrl = withApplicationName(config.postgresUrl, name);
      return new AppInstance(name, config, now);
    });
  }

  /**
   * Creates the schema (by migrating once from this process, so the instances start on a ready
   * database) and starts every instance. On failure everything started is torn down.
   */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const id = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };
    const cluster = new Cluster(options, `totpkit_scale_${id}`, `totpkit-scale-${id}:`, keyring);
    try {
      await cluster.service.status({ id: 'warm-up' }); // migrates the schema
      await Promise.all(cluster.instances.map((instance) => instance.start()));
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** The injected clock, in ms, shared by every instance and `service`. */
  get nowMs(): number {
    return this.#nowMs;
  }

  /** Sets every running instance's clock (and `service`'s); resolves once all have it. */
  async setClock(nowMs: number): Promise<void> {
    this.#nowMs = nowMs;
    await Promise.all(this.instances.filter((i) => i.running).map((instance) => instance.setClock(nowMs)));
  }

  /** Moves the clock on by `seconds`. */
  advance(seconds: number): Promise<void> {
    return this.setClock(this.#nowMs + seconds * 1000);
  }

  /** A query on the real PostgreSQL (never through a proxy), for inspecting state. */
  async sql<Row extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<Row[]> {
    if (!this.#admin) throw new Error('not a PostgreSQL cluster');
    return (await this.#admin.query<Row>(text, params)).rows;
  }

  /** Stops every instance, closes `service`, and removes the schema, keys and files of this run. */
  async close(): Promise<void> {
    await Promise.allSettled(this.instances.map((instance) => instance.stop()));
    await this.service.close().catch(() => {});
    if (this.#admin) {
      await this.#admin.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).catch(() => {});
      await this.#admin.end();
      if (this.options.redisUrl) await deleteKeys(this.options.redisUrl, this.keyPrefix).catch(() => {});
    }
    if (this.#sqliteDir) rmSync(this.#sqliteDir, { recursive: true, force: true });
  }
}

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

/** Deletes every key under `prefix` (SCAN, never KEYS, so a shared Redis is not blocked). */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
