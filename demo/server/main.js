// Starts the demo: `npm start` at the repository root builds everything and runs this.
//   PORT (default 3000), DATA_DIR (default demo/data), DATABASE_URL, REDIS_URL, TOTPKIT_KEYRING.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createAccounts } from './accounts.js';
import { createApp, requireRecentAuth } from './app.js';
import { createDemoTotpkit } from './totp.js';

const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('../data', import.meta.url));
mkdirSync(dataDir, { recursive: true });
const sqliteFile = join(dataDir, 'demo.sqlite');
const db = new Database(sqliteFile);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');

const accounts = createAccounts(db);
const { totpkit, description } = await createDemoTotpkit({ dataDir, sqliteFile, requireRecentAuth });
const app = createApp({ accounts, totpkit, secureCookies: process.env.SECURE_COOKIES === '1' });

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  const { port } = server.address();
  console.log(`totpkit demo on http://localhost:${port} (${description}). Ctrl-C to stop.`);
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the demo…`);
  server.closeIdleConnections?.();
  await new Promise((resolve) => server.close(resolve));
  await totpkit.close();
  db.close();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
