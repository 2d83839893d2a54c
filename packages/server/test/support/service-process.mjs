/**
 * A child process holding its own `createTotpkit` over PostgreSQL and Redis, as a second app
 * server would. Configured by one JSON argument; on `{ action, userId, code, parallel }` it runs
 * `parallel` concurrent calls and reports how many succeeded.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { createTotpkit } = await import('../../src/index.ts');
const { PostgresStore } = await import('../../src/stores/postgres.ts');
const { RedisRateLimiter } = await import('../../src/ratelimit/redis.ts');
const { RedisReplayCache } = await import('../../src/replay/redis.ts');

const config = JSON.parse(process.argv[2]);
const kit = createTotpkit({
  issuer: 'ACME Co',
  store: new PostgresStore({ connectionString: config.postgresUrl, schema: config.schema }),
  replayCache: new RedisReplayCache({ url: config.redisUrl, keyPrefix: config.keyPrefix, now: () => config.now }),
  rateLimiter: new RedisRateLimiter({ url: config.redisUrl, keyPrefix: config.keyPrefix }),
  keyring: config.keyring,
  now: () => config.now,
  logger: { warn: () => {}, error: () => {} },
});
process.send({ ready: true });

process.on('message', async ({ userId, code, parallel }) => {
  const results = await Promise.allSettled(Array.from({ length: parallel }, () => kit.verify({ id: userId }, code)));
  const ok = results.filter((r) => r.status === 'fulfilled' && r.value.ok).length;
  const errors = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.code ?? r.reason));
  process.send({ ok, errors });
});

process.on('disconnect', async () => {
  await kit.close();
  process.exit(0);
});
