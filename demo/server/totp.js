// The demo's totpkit service: SQLite by default, PostgreSQL when DATABASE_URL is set, Redis for
// the replay cache and rate limiter when REDIS_URL is set.
import { createTotpkit } from '@totpkit/server';

/** The service, and where it keeps its data (for the start-up banner). */
export async function createDemoTotpkit({ sqliteFile, keyring, adapter, env = process.env, now }) {
  let store;
  let replayCache;
  let rateLimiter;
  const described = [];
  if (env.DATABASE_URL) {
    const { PostgresStore } = await import('@totpkit/server/postgres');
    store = new PostgresStore({ connectionString: env.DATABASE_URL, now });
    described.push('authenticators in PostgreSQL');
  } else {
    const { SqliteStore } = await import('@totpkit/server/sqlite');
    store = new SqliteStore({ filename: sqliteFile, now });
    described.push(`authenticators in ${sqliteFile}`);
  }
  if (env.REDIS_URL) {
    const { RedisRateLimiter, RedisReplayCache } = await import('@totpkit/server/redis');
    // The same clock as the service: claims end at absolute times (Redis's own clock when `now` is unset).
    replayCache = new RedisReplayCache({ url: env.REDIS_URL, now });
    rateLimiter = new RedisRateLimiter({ url: env.REDIS_URL, now });
    described.push('replay cache and rate limiter in Redis');
  } else {
    replayCache = store.replayCache();
    rateLimiter = store.rateLimiter();
  }
  const totpkit = createTotpkit({
    issuer: env.TOTPKIT_ISSUER ?? 'totpkit demo',
    store,
    replayCache,
    rateLimiter,
    keyring,
    now,
    // "Don't ask again on this browser" at the second step, for at most 14 days (allauth's
    // MFA_TRUST_ENABLED with its MFA_TRUST_COOKIE_AGE). Code reauthentication is on by default.
    trustedBrowsers: true,
    // Hosts may put session facts on the user object; the hooks receive that same object.
    adapter,
  });
  return { totpkit, description: described.join(', ') };
}
