// Puts the demo together from its parts: main.js runs it, and the tests run it in-process with
// a fake clock to check timeouts and locks over real HTTP without waiting for them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createAccounts } from './accounts.js';
import { createApp, recentAuthPolicy } from './app.js';
import { loadKeyring } from './keys.js';
import { sessionEvents } from './mfa.js';
import { createThrottle } from './throttle.js';
import { createDemoTotpkit } from './totp.js';

/**
 * The Express app and how to close it. `env` holds DATA_DIR, DATABASE_URL, REDIS_URL,
 * TOTPKIT_KEYRING(_FILE), TRUST_PROXY, NODE_ENV; `now` is the clock of every part.
 */
export async function createDemo({ dataDir, env = process.env, now = Date.now, log = console.error }) {
  mkdirSync(dataDir, { recursive: true });
  const { keyring, warning } = loadKeyring({ dataDir, env });
  const sqliteFile = join(dataDir, 'demo.sqlite');
  const db = new Database(sqliteFile);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  try {
    const accounts = createAccounts(db, { now });
    // One policy for totpkit's sensitive changes and the demo's own (the change of username).
    const needsReauthentication = recentAuthPolicy({ now });
    const service = await createDemoTotpkit({
      sqliteFile,
      keyring,
      env,
      now,
      adapter: { requireRecentAuth: needsReauthentication, ...sessionEvents(accounts) },
    });
    const app = createApp({
      accounts,
      totpkit: service.totpkit,
      needsReauthentication,
      throttle: createThrottle(db, { now }),
      trustProxy: env.TRUST_PROXY,
      log,
    });
    return {
      app,
      description: service.description,
      warning,
      async close() {
        await service.totpkit.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
