/**
 * What the example tests share: a temporary SQLite file for each service, a virtual clock (so a
 * conformance run that waits for fresh codes takes milliseconds, not minutes), each server example
 * listening on 127.0.0.1 on a free port, and a well-behaved protocol client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Totpkit, totpCode } from '@totpkit/server';
import { createExpressApp } from '../server/express.js';
import { createFastifyApp } from '../server/fastify.js';
import { createHonoApp } from '../server/hono.js';
import type { SessionHooks } from '../server/sessions.js';
import { createAppTotpkit, type SessionUser } from '../server/totpkit.js';

export type ServerExample = 'express' | 'fastify' | 'hono';
export const SERVER_EXAMPLES: ServerExample[] = ['express', 'fastify', 'hono'];

/** A clock that moves only when told to; `sleep` advances it at once. */
export class VirtualClock {
  #now = Date.now();
  now = (): number => this.#now;
  sleep = async (ms: number): Promise<void> => {
    this.#now += ms;
  };
}

export interface TestService {
  totpkit: Totpkit;
  clock: VirtualClock;
  dir: string;
  close(): Promise<void>;
}

/** The examples' own `createAppTotpkit`, on a fresh SQLite file in a temporary directory. */
export function createTestService(): TestService {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-examples-'));
  const clock = new VirtualClock();
  const totpkit = createAppTotpkit({ filename: join(dir, 'totpkit.sqlite'), now: clock.now });
  return {
    totpkit,
    clock,
    dir,
    async close() {
      await totpkit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Running {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** Builds one server example the way its file says and starts it on 127.0.0.1, port 0. */
export async function startExample(kind: ServerExample, totpkit: Totpkit, hooks: SessionHooks): Promise<Running> {
  if (kind === 'fastify') {
    const app = await createFastifyApp(totpkit, hooks);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return running(app.server.address(), () => app.close());
  }
  if (kind === 'hono') {
    const app = createHonoApp(totpkit, hooks);
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    return running(server.address(), () => new Promise<void>((resolve) => server.close(() => resolve())));
  }
  const server = createServer(createExpressApp(totpkit, hooks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return running(server.address(), async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

function running(address: string | AddressInfo | null, close: () => Promise<unknown>): Running {
  const { port } = address as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: async () => void (await close()) };
}

/** A user who typed their password just now. */
export function freshUser(name: string): SessionUser {
  return { id: `${name}-${crypto.randomUUID()}`, email: `${name}@example.test`, authenticatedAt: Date.now() };
}

/**
 * Turns TOTP on for `user` through the service, and returns the code of the clock's current step.
 * Each code works once: move the clock a period on before asking for the next.
 */
export async function enableTotp(service: TestService, user: SessionUser): Promise<() => string> {
  const { totpkit, clock } = service;
  const setup = await totpkit.beginSetup(user);
  const codeNow = () => totpCode(setup.secret, { time: clock.now() / 1000 });
  const activated = await totpkit.activate(user, { enrollmentToken: setup.enrollmentToken, code: codeNow() });
  if (!activated.ok) throw new Error(`activation failed: ${activated.error}`);
  return codeNow;
}

/** A protocol call as the elements make it. */
export function call(origin: string, path: string, init: { cookie?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Totpkit-Protocol': '1', Accept: 'application/json' };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.body === undefined) return fetch(`${origin}/mfa${path}`, { headers });
  headers['Content-Type'] = 'application/json';
  return fetch(`${origin}/mfa${path}`, { method: 'POST', headers, body: JSON.stringify(init.body) });
}

/** `session=…` from a `Set-Cookie` value, as a browser would send it back. */
export function cookieOf(setCookie: string): string {
  return setCookie.split(';')[0] as string;
}
