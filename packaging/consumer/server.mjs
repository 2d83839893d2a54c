// The quick start of docs/getting-started.md and packages/server/README.md: run from the packed
// tarballs by packaging/test/install-from-tarballs.test.ts, which asks it for GET /mfa/status.
import { createServer } from 'node:http';
import { createTotpkit, generateEncryptionKey, MemoryStore } from '@totpkit/server';
import { createTotpHandler } from '@totpkit/server/http';
import { toNodeListener } from '@totpkit/server/http/node';

const totpkit = createTotpkit({
  issuer: 'ACME Co',
  store: new MemoryStore(), // SqliteStore, PostgresStore or your own in a real app
  keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } }, // yours come from a secret manager
});
const handler = createTotpHandler({
  totpkit,
  basePath: '/mfa',
  getUser: () => ({ id: 'ada' }), // your session lookup: who is asking, or null for a 401
});
createServer(toNodeListener(handler)).listen(Number(process.env.PORT ?? 3000));
