/**
 * The matrix under Deno: the core, the lifecycle on the memory store and on `node:sqlite` (Deno's
 * built-in SQLite behind Node's API), then the Fetch handler on `Deno.serve` (port 0) with a
 * `node:sqlite` store. Prints one JSON line and keeps serving until the test closes stdin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteStore } from '@totpkit/server/sqlite';
import { coreChecks, lifecycleChecks, memoryParts, protocolApp, storeParts, virtualClock } from './shared.mjs';

const dir = mkdtempSync(join(tmpdir(), 'totpkit-deno-'));
const connections = [];
/** A SqliteStore on a new node:sqlite file, on `clock`. */
function nodeSqliteStore(name, clock) {
  const database = new DatabaseSync(join(dir, `${name}.db`));
  connections.push(database);
  return new SqliteStore({ database, now: clock.now });
}

const clock = virtualClock();
const results = {
  runtime: `deno ${Deno.version.deno}`,
  core: coreChecks(),
  memory: await lifecycleChecks(memoryParts),
  sqlite: await lifecycleChecks((lifecycleClock) => storeParts(nodeSqliteStore('lifecycle', lifecycleClock))),
};
const app = protocolApp(storeParts(nodeSqliteStore('handler', clock)), clock);
const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, app);
console.log(JSON.stringify({ ...results, port: server.addr.port, now: clock.now() }));

// The test ends the run by closing stdin.
for await (const _ of Deno.stdin.readable);
await server.shutdown();
for (const database of connections) database.close();
rmSync(dir, { recursive: true, force: true });
