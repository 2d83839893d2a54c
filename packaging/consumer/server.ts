// A strict TypeScript server project that uses the packages as a stranger would: compiled by
// packaging/test/install-from-tarballs.test.ts with lib ES2022 and types node (no DOM lib), under
// module nodenext and under moduleResolution bundler.
import * as nodeTest from 'node:test';
import { ENDPOINTS, PROTOCOL_HEADER, type StatusResponse } from '@totpkit/protocol';
import { runConformance } from '@totpkit/protocol/conformance';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type TotpStore,
  type TotpUser,
  verifyTotp,
} from '@totpkit/server';
import { buildTotpUrl, generateTotpSecret, totpQrDataUri } from '@totpkit/server/core';
import { createTotpHandler, type HeadersInput, type TotpHandler } from '@totpkit/server/http';
import { originalRequest } from '@totpkit/server/http/express';
import { toNodeListener } from '@totpkit/server/http/node';
import { PostgresStore } from '@totpkit/server/postgres';
import { RedisRateLimiter } from '@totpkit/server/redis';
import { SqliteStore } from '@totpkit/server/sqlite';
import { describeStoreContract } from '@totpkit/server/testing';

const store: TotpStore = new MemoryStore();
const totpkit = createTotpkit({
  issuer: 'ACME Co',
  store,
  keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
});

const cookie: HeadersInput = [['Set-Cookie', 'mfa=1; HttpOnly']];
const handler: TotpHandler = createTotpHandler({
  totpkit,
  basePath: '/mfa',
  getUser: (request): TotpUser | null => (request.headers.get('cookie') ? { id: 'ada' } : null),
  afterVerify: async () => cookie,
});
export const listener = toNodeListener(handler);
export const raw: unknown = originalRequest(new Request('http://localhost/mfa/status'));

const secret = generateTotpSecret();
export const qr: string = totpQrDataUri(buildTotpUrl({ secret, accountName: 'ada@example.com', issuer: 'ACME Co' }));
const result = verifyTotp(secret, '123456', { afterStep: null });
export const step: number | null = result.ok ? result.step : null;

export const status: Promise<StatusResponse> = fetch(`http://localhost/mfa${ENDPOINTS.status.path}`, {
  headers: { [PROTOCOL_HEADER]: '1' },
}).then((response) => response.json() as Promise<StatusResponse>);

export const stores = [SqliteStore, PostgresStore, RedisRateLimiter, runConformance];
describeStoreContract(nodeTest, 'MemoryStore', () => new MemoryStore());
