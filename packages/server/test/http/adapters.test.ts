/**
 * What is particular to each adapter: Express with a JSON body parser mounted first, a plain
 * node:http listener without a fallback, Fastify next to the host's own routes and hooks, and
 * cookies set by `afterVerify` arriving through each of them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { originalRequest, totpkitExpress } from '../../src/http/express.js';
import { originalRequest as originalFastifyRequest, totpkitFastify } from '../../src/http/fastify.js';
import { createTotpHandler, type TotpHandlerOptions } from '../../src/http/index.js';
import { toNodeListener } from '../../src/http/node.js';
import { createTotpkit, generateEncryptionKey, MemoryStore } from '../../src/index.js';
import { ADAPTERS, type Backend, newSession, protocolHeaders, sessionUser, startBackend } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

function handler(options: Partial<TotpHandlerOptions> = {}) {
  const totpkit = createTotpkit({
    issuer: 'adapter tests',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    logger: { warn: () => {}, error: () => {} },
  });
  return createTotpHandler({ totpkit, basePath: '/mfa', getUser: sessionUser, ...options });
}

async function serve(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Express', () => {
  it('reads the raw body express.json() kept through verify, so duplicate keys are still refused', async () => {
    const app = express();
    app.use(
      express.json({
        verify: (request, _response, buffer) => {
          (request as { rawBody?: Buffer }).rawBody = buffer;
        },
      }),
    );
    app.use(totpkitExpress(handler()));
    const origin = await serve(createServer(app));
    const { cookie } = newSession();
    const post = (body: string) =>
      fetch(`${origin}/mfa/verify`, { method: 'POST', headers: protocolHeaders(cookie), body });
    expect(await (await post('{"code":"123456"}')).json()).toMatchObject({ error: { code: 'not_active' } });
    expect(await (await post('{"code":"123456","extra":1}')).json()).toMatchObject({
      error: { code: 'invalid_request' },
    });
    // express.json() kept the last "code"; the raw bytes show there were two.
    const duplicate = await post('{"code":"000000","code":"123456"}');
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toMatchObject({
      error: { code: 'invalid_request', message: 'The body has a duplicate key.' },
    });
    const setup = await fetch(`${origin}/mfa/totp/setup`, {
      method: 'POST',
      headers: protocolHeaders(cookie),
      body: '{}',
    });
    expect(setup.status).toBe(200);
  });

  it('refuses a body express.json() parsed without the raw bytes: 500, reported, never silently accepted', async () => {
    const reported: unknown[] = [];
    const app = express();
    app.use(express.json());
    app.use(totpkitExpress(handler({ onError: (error) => reported.push(error) })));
    const origin = await serve(createServer(app));
    const { cookie } = newSession();
    const duplicate = await fetch(`${origin}/mfa/verify`, {
      method: 'POST',
      headers: protocolHeaders(cookie),
      body: '{"code":"000000","code":"123456"}',
    });
    expect(duplicate.status).toBe(500);
    expect(await duplicate.json()).toMatchObject({ error: { code: 'internal_error' } });
    expect(reported).toEqual([
      expect.objectContaining({ code: 'invalid_configuration', message: expect.stringContaining('rawBody') }),
    ]);
    // Checks that come before the body still answer as the protocol says.
    const status = await fetch(`${origin}/mfa/status`, { headers: protocolHeaders(cookie) });
    expect(status.status).toBe(200);
    const wrongType = await fetch(`${origin}/mfa/verify`, {
      method: 'POST',
      headers: protocolHeaders(cookie, { 'Content-Type': 'text/plain' }),
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
  });

  it("lets getUser read the host's session from Express's req", async () => {
    const app = express();
    app.use((request, _response, next) => {
      (request as { user?: { id: string } }).user = { id: 'from-express-session' };
      next();
    });
    const seen: string[] = [];
    const getUser = (request: Request) => {
      const user = originalRequest<{ user?: { id: string } }>(request)?.user ?? null;
      if (user) seen.push(user.id);
      return user;
    };
    app.use(totpkitExpress(handler({ getUser })));
    const origin = await serve(createServer(app));
    expect((await fetch(`${origin}/mfa/status`, { headers: { 'Totpkit-Protocol': '1' } })).status).toBe(200);
    expect(seen).toEqual(['from-express-session']);
    expect(originalRequest(new Request('http://x/'))).toBeUndefined();
  });

  it('works when mounted under a path, matching on the full URL', async () => {
    const app = express();
    app.use('/mfa', totpkitExpress(handler()));
    const origin = await serve(createServer(app));
    const response = await fetch(`${origin}/mfa/status`, { headers: protocolHeaders(newSession().cookie) });
    expect(response.status).toBe(200);
  });
});

describe('node:http', () => {
  it('answers paths outside the base path with the 404 envelope when there is no fallback', async () => {
    const origin = await serve(createServer(toNodeListener(handler())));
    const response = await fetch(`${origin}/login`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses a request whose Host cannot form a URL without failing', async () => {
    const { request } = await import('node:http');
    const origin = await serve(createServer(toNodeListener(handler())));
    const { port } = new URL(origin);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port, path: '/mfa/status', headers: { Host: 'bad host:99999', 'Totpkit-Protocol': '1' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(status).toBe(401);
  });
});

describe('Fastify', () => {
  it("leaves the host's routes and content-type parsers alone", async () => {
    const app = Fastify();
    await app.register(totpkitFastify(handler()));
    app.post('/api/echo', async (request) => ({ echoed: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const echo = await fetch(`${origin}/api/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ echoed: { a: 1 } });
    const refused = await fetch(`${origin}/mfa/verify`, {
      method: 'POST',
      headers: { ...protocolHeaders(newSession().cookie), 'Content-Type': 'not a media type' },
      body: '{}',
    });
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });
});

describe('Fastify sessions', () => {
  it("lets getUser read the host's session from Fastify's request", async () => {
    const app = Fastify();
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (request) => {
      (request as unknown as { user: { id: string } }).user = { id: 'from-fastify-session' };
    });
    const getUser = (request: Request) => originalFastifyRequest<{ user: { id: string } }>(request)?.user ?? null;
    await app.register(totpkitFastify(handler({ getUser })));
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const setup = await fetch(`${origin}/mfa/totp/setup`, { method: 'POST', headers: protocolHeaders(''), body: '{}' });
    expect(setup.status).toBe(200);
    expect((await setup.json()).accountName).toBe('from-fastify-session');
  });
});

describe.each(ADAPTERS)('afterVerify behind %s', (kind) => {
  let backend: Backend;
  it('delivers every Set-Cookie header to the client', async () => {
    backend = await startBackend(kind, {
      handler: {
        afterVerify: () => [
          ['Set-Cookie', 'session=upgraded; HttpOnly'],
          ['Set-Cookie', 'mfa=1'],
        ],
      },
    });
    cleanups.push(() => backend.close());
    const { cookie } = newSession();
    const post = (path: string, body: unknown) =>
      fetch(`${backend.baseUrl}${path}`, {
        method: 'POST',
        headers: protocolHeaders(cookie),
        body: JSON.stringify(body),
      });
    const setup = await (await post('/totp/setup', {})).json();
    const { totpCode } = await import('../../src/index.js');
    const code = () => totpCode(setup.secret, { time: backend.clock.now() / 1000 });
    const { recoveryCodes } = await (
      await post('/totp/activate', { enrollmentToken: setup.enrollmentToken, code: code() })
    ).json();
    const verified = await post('/verify', { code: recoveryCodes[0] });
    expect(verified.status).toBe(200);
    expect(verified.headers.getSetCookie()).toEqual(['session=upgraded; HttpOnly', 'mfa=1']);
  });
});
