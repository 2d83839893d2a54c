/**
 * Real HTTP backends on 127.0.0.1 for the handler tests: `createTotpkit` over a `MemoryStore`,
 * the handler behind one of the three adapters, and a `getUser` that reads `Cookie: session=<id>`.
 * A virtual clock, shared with the conformance kit, lets a run that waits for fresh codes take
 * milliseconds instead of minutes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { totpkitExpress } from '../../src/http/express.js';
import { totpkitFastify } from '../../src/http/fastify.js';
import { createTotpHandler, type TotpHandler, type TotpHandlerOptions } from '../../src/http/index.js';
import { toNodeListener } from '../../src/http/node.js';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type Totpkit,
  type TotpkitOptions,
} from '../../src/index.js';

export type AdapterKind = 'node' | 'express' | 'fastify';
export const ADAPTERS: AdapterKind[] = ['node', 'express', 'fastify'];

/** A clock that moves only when told to; `sleep` advances it at once. */
export class VirtualClock {
  #now: number;
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now = (): number => this.#now;
  sleep = async (ms: number): Promise<void> => {
    this.#now += ms;
  };
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface Backend {
  /** `http://127.0.0.1:<port>/mfa` */
  baseUrl: string;
  origin: string;
  totpkit: Totpkit;
  clock: VirtualClock;
  /** Errors the handler reported to `onError`. */
  reported: unknown[];
  close(): Promise<void>;
}

export interface BackendOptions {
  handler?: Partial<TotpHandlerOptions>;
  totpkit?: Partial<TotpkitOptions>;
  /** Replaces the handler, to build a deliberately broken backend around the real one. */
  wrap?: (handler: TotpHandler) => (request: Request) => Promise<Response>;
  /** The real clock instead of a virtual one (for the CLI, which runs in its own process). */
  realClock?: boolean;
}

/** A fresh user's session cookie: every test gets its own account and so its own rate limit. */
export function newSession(): { userId: string; cookie: string } {
  const userId = `user-${randomUUID()}`;
  return { userId, cookie: `session=${userId}` };
}

export function sessionUser(request: Request) {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '');
  return match ? { id: match[1] as string, email: `${match[1]}@example.test` } : null;
}

export async function startBackend(kind: AdapterKind, options: BackendOptions = {}): Promise<Backend> {
  const clock = options.realClock ? null : new VirtualClock();
  const reported: unknown[] = [];
  const totpkit = createTotpkit({
    issuer: 'totpkit tests',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    logger: { warn: () => {}, error: () => {} },
    ...(clock ? { now: clock.now } : {}),
    ...options.totpkit,
  });
  const real = createTotpHandler({
    totpkit,
    basePath: '/mfa',
    getUser: sessionUser,
    onError: (error) => reported.push(error),
    ...options.handler,
  });
  const handler = options.wrap
    ? Object.assign(options.wrap(real), { basePath: real.basePath, handles: real.handles })
    : real;

  const close = await listen(kind, handler);
  const { port } = close.address;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/mfa`,
    origin,
    totpkit,
    clock: clock ?? new VirtualClock(),
    reported,
    close: close.stop,
  };
}

async function listen(
  kind: AdapterKind,
  handler: TotpHandler,
): Promise<{ address: AddressInfo; stop(): Promise<void> }> {
  if (kind === 'fastify') {
    const app = Fastify();
    await app.register(totpkitFastify(handler));
    app.get('/elsewhere', async () => ({ from: 'fastify' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { address: app.server.address() as AddressInfo, stop: () => app.close() };
  }
  let server: Server;
  if (kind === 'express') {
    const app = express();
    app.use(totpkitExpress(handler));
    app.get('/elsewhere', (_request, response) => {
      response.json({ from: 'express' });
    });
    server = createServer(app);
  } else {
    const listener = toNodeListener(handler);
    server = createServer((request, response) =>
      listener(request, response, () => {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"from":"node"}');
      }),
    );
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: server.address() as AddressInfo,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The headers of a well-behaved protocol client. */
export function protocolHeaders(cookie: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'Content-Type': 'application/json', 'Totpkit-Protocol': '1', Cookie: cookie, ...extra };
}
