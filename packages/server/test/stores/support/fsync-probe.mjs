/**
 * A child process for the durability test (durability.test.ts), run under strace: it enrols 20
 * users through the service on the SQLite file argv[2] at `synchronous` argv[3] ('default': the option left out), then logs each
 * in once, writing MARK-START and MARK-END to stderr around the logins so that the trace can be
 * cut to them.
 */

import { writeSync } from 'node:fs';
import { register } from 'node:module';

register('../../support/ts-hooks.mjs', import.meta.url);
const { totpCode } = await import('../../../src/index.ts');
const { SqliteStore } = await import('../../../src/stores/sqlite.ts');
const { enrolThrough, sqlStoreService } = await import('./sql-service.ts');

const [file, synchronous] = process.argv.slice(2);
let time = 1_900_000_020_000;
const store = new SqliteStore({ filename: file, synchronous: synchronous === 'default' ? undefined : synchronous });
const totpkit = sqlStoreService(store, () => time);
const users = [];
for (let i = 0; i < 20; i++) {
  const user = { id: crypto.randomUUID() };
  users.push({ user, secret: (await enrolThrough(totpkit, user, time)).secret });
}
time += 30_000;
writeSync(2, 'MARK-START\n');
for (const { user, secret } of users) {
  const result = await totpkit.verify(user, totpCode(secret, { time: time / 1000 }));
  if (!result.ok) throw new Error(`login: ${result.error}`);
}
writeSync(2, 'MARK-END\n');
await totpkit.close();
