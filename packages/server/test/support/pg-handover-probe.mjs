/**
 * A child process for one regression test (postgres-fault.test.ts): a PostgresStore with a single
 * pooled connection, reached through the test's TCP proxy, runs a query with a transaction queued
 * behind it. The test makes the proxy append a FATAL message to the query's last reply, so the
 * connection dies in the very chunk that hands it over to the waiting transaction. The process
 * must survive that; it reports how the calls settled and whether the store works afterwards, then
 * exits 0. A crash (an unheard 'error' event) shows as another exit code.
 *
 * argv[2]: JSON `{ connectionString, schema }`. IPC: sends `migrated`, waits for `go`, sends the report.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { PostgresStore } = await import('../../src/postgres.ts');

const { connectionString, schema } = JSON.parse(process.argv[2]);
const store = new PostgresStore({ connectionString, schema, max: 1 });
await store.migrate();
process.send({ type: 'migrated' });

process.once('message', async () => {
  const record = {
    userId: 'probe',
    encryptedSecret: 'x',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    lastUsedStep: null,
    createdAt: new Date(0),
    lastUsedAt: null,
  };
  // Called in the same tick: the query gets the only connection, the transaction waits for it.
  const outcomes = await Promise.allSettled([store.getAuthenticator('probe'), store.createAuthenticator(record, [])]);
  const after = await store.getAuthenticator('probe').then(
    () => 'ok',
    (error) => String(error),
  );
  process.send({ type: 'report', outcomes: outcomes.map((outcome) => outcome.status), after });
  await store.close();
  process.exit(0);
});
