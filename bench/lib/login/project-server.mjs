// The project's side of bench/login-ceiling.mjs, in a process of its own: the real stack over
// real HTTP, as an app deploys it. `createTotpkit` over SqliteStore with the store's own rate
// limiter and replay cache, or over PostgresStore with RedisReplayCache and either RedisRateLimiter
// or the store's own limiter (`config.limiter`); the
// protocol handler behind the package's node:http adapter. The service and the stores read the
// injected clock (child.mjs), so every round of logins has a step of its own.
//
// TEST SERVER ONLY: `getUser` trusts an `X-Test-User` header as the signed-in user, so that the
// load driver can act as thousands of users without a login flow. The ceiling does the same.
import { config, now, serveLogins } from './child.mjs';
import { loadServer } from './server-source.mjs';
import { watchSqliteSettings } from './sqlite-settings.mjs';

const server = await loadServer(config.serverRoot);
const details = {};

async function storage() {
  if (config.store === 'sqlite') {
    const watch = watchSqliteSettings(config.serverRoot);
    const store = new server.sqlite.SqliteStore({ filename: config.sqliteFile, now });
    await store.migrate?.();
    details.sqlite = watch.read();
    return { store, replayCache: store.replayCache?.(), rateLimiter: store.rateLimiter() };
  }
  const redis = { url: config.redisUrl, keyPrefix: config.keyPrefix };
  const store = new server.postgres.PostgresStore({
    connectionString: config.postgresUrl,
    schema: config.schema,
    max: config.poolSize,
  });
  await store.migrate?.();
  return {
    store,
    // Claims end at absolute times of the injected clock, so the cache reads that clock too.
    replayCache: new server.redis.RedisReplayCache({ ...redis, now }),
    // 'redis' (RedisRateLimiter) or 'store': the store's own limiter in PostgreSQL, which settles a
    // right code in the same statement as the step's compare-and-set.
    rateLimiter: config.limiter === 'store' ? store.rateLimiter() : new server.redis.RedisRateLimiter(redis),
  };
}

const totpkit = server.index.createTotpkit({
  issuer: 'totpkit login bench',
  keyring: config.keyring,
  qrCode: false,
  now,
  logger: { warn() {}, error() {} },
  ...(await storage()),
});

/** The header, from a Fetch `Request` or from node:http's request, whichever the adapter hands over. */
function testUser(request) {
  const { headers } = request;
  const id = typeof headers.get === 'function' ? headers.get('x-test-user') : headers['x-test-user'];
  return id ? { id: String(id) } : null;
}

const handler = server.http.createTotpHandler({ totpkit, basePath: '/mfa', getUser: testUser });
// The package's node:http adapter, as an app would mount it.
const listener = server.node.toNodeListener(handler);

serveLogins(listener, { details, close: () => totpkit.close() });
