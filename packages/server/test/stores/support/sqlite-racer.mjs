/**
 * A child process for the cross-process SQLite tests (sqlite.test.ts). It opens its own
 * `SqliteStore` on the file named in argv[2] and migrates it, reports `ready`, then on
 * `{ users, step }` tries `advanceLastUsedStep(user, step)` for every user in order and reports
 * which it won.
 */
import { register } from 'node:module';

register('../../support/ts-hooks.mjs', import.meta.url);
const { SqliteStore } = await import('../../../src/stores/sqlite.ts');

const store = new SqliteStore({ filename: process.argv[2] });
const version = await store.migrate();
process.send({ ready: true, version });

process.once('message', async ({ users, step }) => {
  const won = [];
  for (const user of users) won.push(await store.advanceLastUsedStep(user, step, new Date()));
  await store.close();
  process.send({ won }, () => process.disconnect());
});
