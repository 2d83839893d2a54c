/**
 * The matrix under Bun: the core, the lifecycle on the memory store and on `bun:sqlite`, then the
 * Fetch handler on `Bun.serve` (port 0) with a `bun:sqlite` store. Prints one JSON line and keeps
 * serving until the test closes stdin.
 */
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@totpkit/server/sqlite';
import { coreChecks, lifecycleChecks, memoryParts, protocolApp, storeParts, virtualClock } from './shared.mjs';

const dir = mkdtempSync(join(tmpdir(), 'totpkit-bun-'));
const connections = [];
/** A SqliteStore on a new bun:sqlite file, on `clock`. */
function bunSqliteStore(name, clock) {
  const database = new Database(join(dir, `${name}.db`));
  connections.push(database);
  return new SqliteStore({ database, now: clock.now });
}

/** What `SqliteStore({ filename })` says here, where better-sqlite3 (loaded only for it) cannot load. */
function filenameRefusal() {
  try {
    new SqliteStore({ filename: join(dir, 'better-sqlite3.db') });
    return 'opened';
  } catch (error) {
    return error.message;
  }
}

const clock = virtualClock();
const results = {
  filename: filenameRefusal(),
  runtime: `bun ${Bun.version}`,
  core: coreChecks(),
  memory: await lifecycleChecks(memoryParts),
  sqlite: await lifecycleChecks((lifecycleClock) => storeParts(bunSqliteStore('lifecycle', lifecycleClock))),
};
const app = protocolApp(storeParts(bunSqliteStore('handler', clock)), clock);
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app });
console.log(JSON.stringify({ ...results, port: server.port, now: clock.now() }));

// The test ends the run by closing stdin.
for await (const _ of Bun.stdin.stream());
server.stop(true);
for (const database of connections) database.close();
rmSync(dir, { recursive: true, force: true });
