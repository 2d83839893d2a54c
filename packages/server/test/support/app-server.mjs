/**
 * One app server of the scale-out suite (issue 7), in a process of its own: `createTotpkit` over
 * PostgreSQL + Redis (or SQLite) and `createTotpHandler` behind `toNodeListener`, listening on
 * 127.0.0.1 with a port the kernel picks. Started by `cluster.ts` with `fork`, configured by one
 * JSON argument (`AppServerConfig` in cluster.ts), it reports `{ type: 'ready', port }` over IPC.
 *
 * TEST SERVER ONLY: `getUser` trusts an `X-Test-User: <user id>` request header as the signed-in
 * user. A real host reads its own session cookie instead; this shortcut lets a load driver act as
 * thousands of users without a login flow.
 *
 * `source: 'src'` (the tests) loads the TypeScript sources through ts-hooks.mjs, so the suite
 * runs the real `src/`; `source: 'dist'` (the benchmark) loads the built package by its name.
 *
 * IPC from the parent, each answered with `{ id, … }`: `{ type: 'clock', id, nowMs }` sets the
 * service clock (a fixed, injected clock, so codes are deterministic); `{ type: 'stats', id }`
 * answers `rss`, `heapUsed` and `reported`. Disconnecting closes the server and the service and exits.
 */
import { createServer } from 'node:http';
import { register } from 'node:module';

const config = JSON.parse(process.argv[2]);

async function load() {
  if (config.source === 'dist') {
    // Self-reference by package name: resolves through package.json "exports" to dist/.
    return {
      service: await import('@totpkit/server'),
      http: await import('@totpkit/server/http'),
      node: await import('@totpkit/server/http/node'),
      postgres: config.store === 'postgres' ? await import('@totpkit/server/postgres') : null,
      redis: config.store === 'postgres' ? await import('@totpkit/server/redis') : null,
      sqlite: config.store === 'sqlite' ? await import('@totpkit/server/sqlite') : null,
    };
  }
  register('./ts-hooks.mjs', import.meta.url);
  return {
    service: await import('../../src/index.ts'),
    http: await import('../../src/http/index.ts'),
    node: await import('../../src/http/node.ts'),
    postgres: config.store === 'postgres' ? await import('../../src/postgres.ts') : null,
    redis: config.store === 'postgres' ? await import('../../src/redis.ts') : null,
    sqlite: config.store === 'sqlite' ? await import('../../src/sqlite.ts') : null,
  };
}

const modules = await load();
let nowMs = config.nowMs;
/** How many errors the handler reported (500/503 causes). Counted, never printed: load would flood the log. */
let reported = 0;

function parts() {
  if (config.store === 'sqlite') {
    const store = new modules.sqlite.SqliteStore({ filename: config.sqliteFile, now: () => nowMs });
    return { store, replayCache: store.replayCache(), rateLimiter: store.rateLimiter(config.rateLimitPolicy) };
  }
  const redis = { url: config.redisUrl, keyPrefix: config.keyPrefix };
  return {
    // The URL carries application_name, so a test can find this instance's connections in pg_stat_activity.
    store: new modules.postgres.PostgresStore({
      connectionString: config.postgresUrl,
      schema: config.schema,
      max: config.poolSize,
    }),
    // Claims end at absolute times from the injected clock, so the cache reads that clock too.
    replayCache: new modules.redis.RedisReplayCache({ ...redis, now: () => nowMs }),
    rateLimiter: new modules.redis.RedisRateLimiter({ ...redis, policy: config.rateLimitPolicy }),
  };
}

const totpkit = modules.service.createTotpkit({
  issuer: 'totpkit scale suite',
  keyring: config.keyring,
  recoveryCodeCount: config.recoveryCodeCount,
  qrCode: false, // QR drawing is CPU work that no scale test looks at
  now: () => nowMs,
  logger: { warn: () => {}, error: () => {} },
  ...parts(),
});

const handler = modules.http.createTotpHandler({
  totpkit,
  basePath: '/mfa',
  getUser: (request) => {
    const id = request.headers.get('x-test-user');
    return id ? { id } : null;
  },
  onError: () => {
    reported++;
  },
});

const server = createServer({ keepAliveTimeout: 30_000 }, modules.node.toNodeListener(handler));
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});

process.on('message', (message) => {
  if (message.type === 'clock') {
    nowMs = message.nowMs;
    process.send({ id: message.id });
  } else if (message.type === 'stats') {
    const { rss, heapUsed } = process.memoryUsage();
    process.send({ id: message.id, rss, heapUsed, reported });
  }
});

process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
  totpkit
    .close()
    .catch(() => {})
    .finally(() => process.exit(0));
});
