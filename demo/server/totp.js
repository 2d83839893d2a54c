// The demo's totpkit service: SQLite by default, PostgreSQL when DATABASE_URL is set, Redis for
// the replay cache and rate limiter when REDIS_URL is set.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTotpkit, generateEncryptionKey } from '@totpkit/server';

/**
 * The encryption keyring. From TOTPKIT_KEYRING (JSON `{ "current": "k1", "keys": { "k1": "…" } }`)
 * when set, as a real deployment would; otherwise a key generated on first start and kept in the
 * data directory, which is fine for a demo and nothing else.
 */
function loadKeyring(dataDir) {
  if (process.env.TOTPKIT_KEYRING) return JSON.parse(process.env.TOTPKIT_KEYRING);
  const file = join(dataDir, 'keyring.json');
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify({ current: 'k1', keys: { k1: generateEncryptionKey() } }), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The service, and where it keeps its data (for the start-up banner). */
export async function createDemoTotpkit({ dataDir, sqliteFile, requireRecentAuth }) {
  let store;
  let replayCache;
  let rateLimiter;
  const described = [];
  if (process.env.DATABASE_URL) {
    const { PostgresStore } = await import('@totpkit/server/postgres');
    store = new PostgresStore({ connectionString: process.env.DATABASE_URL });
    described.push('authenticators in PostgreSQL');
  } else {
    const { SqliteStore } = await import('@totpkit/server/sqlite');
    store = new SqliteStore({ filename: sqliteFile });
    described.push(`authenticators in ${sqliteFile}`);
  }
  if (process.env.REDIS_URL) {
    const { RedisRateLimiter, RedisReplayCache } = await import('@totpkit/server/redis');
    replayCache = new RedisReplayCache({ url: process.env.REDIS_URL });
    rateLimiter = new RedisRateLimiter({ url: process.env.REDIS_URL });
    described.push('replay cache and rate limiter in Redis');
  } else {
    replayCache = store.replayCache();
    rateLimiter = store.rateLimiter();
  }
  const totpkit = createTotpkit({
    issuer: process.env.TOTPKIT_ISSUER ?? 'totpkit demo',
    store,
    replayCache,
    rateLimiter,
    keyring: loadKeyring(dataDir),
    // Hosts may put session facts on the user object; the hook receives that same object.
    adapter: { requireRecentAuth },
  });
  return { totpkit, description: described.join(', ') };
}
