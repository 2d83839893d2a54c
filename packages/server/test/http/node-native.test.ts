/**
 * The Node-native path (issue 15, item 1): the node:http, Express and Fastify adapters run the
 * protocol's rules (src/http/core.ts) on the Node request itself. No Fetch `Request` or `Response`
 * is made for a login; the host's hooks still get a `Request`-shaped view; repeated headers read as
 * `Headers.get` reads them; and every answer is the one the Fetch handler gives to the same request.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { originalRequest as originalExpressRequest } from '../../src/http/express.js';
import { originalRequest as originalFastifyRequest } from '../../src/http/fastify.js';
import { createTotpHandler, type TotpHandlerOptions } from '../../src/http/index.js';
import { originalRequest, toNodeListener } from '../../src/http/node.js';
import { createTotpkit, generateEncryptionKey, generateTotpSecret, MemoryStore, totpCode } from '../../src/index.js';
import { portOf, rawRequest } from './raw-socket.js';
import { ADAPTERS, type AdapterKind, type Backend, newSession, sessionUser, startBackend } from './support.js';

let backend: Backend | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await backend?.close();
  backend = undefined;
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request with node:http's client, which, unlike `fetch`, makes no Fetch object in this process. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        const received: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          received[name] = Array.isArray(value) ? value.join(', ') : String(value);
        }
        resolve({ status: response.statusCode ?? 0, headers: received, body: text });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const PROTOCOL = { 'Content-Type': 'application/json', 'Totpkit-Protocol': '1' };

/** Counts `new Request(…)`, `new Response(…)` and `new Headers(…)` while `run` runs. */
async function countFetchObjects(run: () => Promise<void>): Promise<Record<string, number>> {
  const made: Record<string, number> = { Request: 0, Response: 0, Headers: 0 };
  const globals = globalThis as unknown as Record<string, unknown>;
  const real = { Request, Response, Headers };
  for (const [name, fetchClass] of Object.entries(real)) {
    globals[name] = new Proxy(fetchClass, {
      construct(target, args, newTarget) {
        made[name] = (made[name] ?? 0) + 1;
        return Reflect.construct(target, args, newTarget === globals[name] ? target : newTarget);
      },
    });
  }
  try {
    await run();
  } finally {
    Object.assign(globals, real);
  }
  return made;
}

/** A backend with one enrolled account, and a successful login against it. */
async function loginBackend(kind: AdapterKind, options: Parameters<typeof startBackend>[1] = {}) {
  backend = await startBackend(kind, options);
  const { userId, cookie } = newSession();
  const secret = generateTotpSecret();
  await backend.totpkit.importAuthenticator({ id: userId }, { secret });
  const { totpkit, clock, baseUrl } = backend;
  return {
    totpkit,
    login: async () => {
      clock.advance(30_000);
      const code = totpCode(secret, { time: clock.now() / 1000 });
      return send(`${baseUrl}/verify`, 'POST', { ...PROTOCOL, Cookie: cookie }, JSON.stringify({ code }));
    },
  };
}

describe.each(ADAPTERS)('the Node-native path behind %s', (kind) => {
  it('answers a login without making a Fetch Request or Response', async () => {
    const { login } = await loginBackend(kind);
    let answer: Answer | undefined;
    const made = await countFetchObjects(async () => {
      answer = await login();
    });
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer?.body ?? '')).toMatchObject({ method: 'totp' });
    // getUser here reads the cookie through `request.headers`, which answers `get` from the raw
    // header lines: no Headers is filled (its own class is a Headers subclass, tested below).
    expect(made).toEqual({ Request: 0, Response: 0, Headers: 0 });
  });

  it('gives the hooks a request.headers that reads as a Headers of the raw lines, filled only when more than get or has is asked', async () => {
    const raw = ['Cookie: a=1', 'X-Twice: one', 'x-twice: two', 'X-Empty: ', 'Accept-Language: de-CH, en;q=0.5'];
    let observed: Record<string, unknown> | undefined;
    backend = await startBackend(kind, {
      handler: {
        getUser: (request) => {
          const { headers } = request;
          const expected = new Headers();
          for (const line of raw)
            expected.append(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim());
          let refused: unknown;
          try {
            headers.get('bad name');
          } catch (error) {
            refused = error;
          }
          const before = {
            isHeaders: headers instanceof Headers,
            twice: headers.get('X-TWICE'),
            empty: headers.get('x-empty'),
            missing: headers.get('x-missing'),
            has: [headers.has('cookie'), headers.has('x-missing')],
            sameAsHeaders: ['x-twice', 'x-empty', 'accept-language', 'cookie'].every(
              (name) => headers.get(name) === expected.get(name),
            ),
            refused: refused instanceof TypeError,
            // A Request member the view does not answer itself builds a Fetch Request: with every header.
            viaRequest: request.clone().headers.get('x-twice'),
          };
          // Iteration fills it: every line is there, as Headers holds them, pseudo-headers left out.
          const listed = Object.fromEntries([...headers].filter(([name]) => expected.has(name)));
          headers.set('x-twice', 'three');
          observed = {
            ...before,
            listed,
            afterSet: headers.get('x-twice'),
            cookies: headers.getSetCookie(),
          };
          return null;
        },
      },
    });
    const head = [
      'POST /mfa/verify HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      'Totpkit-Protocol: 1',
    ];
    const body = '{"code":"123456"}';
    const answer = await rawRequest(
      portOf(backend.baseUrl),
      [...head, ...raw, `Content-Length: ${body.length}`, 'Connection: close'].join('\r\n'),
      body,
    );
    expect(answer.status).toBe(401);
    expect(observed).toEqual({
      isHeaders: true,
      twice: 'one, two',
      empty: '',
      missing: null,
      has: [true, false],
      sameAsHeaders: true,
      refused: true,
      viaRequest: 'one, two',
      listed: { cookie: 'a=1', 'x-twice': 'one, two', 'x-empty': '', 'accept-language': 'de-CH, en;q=0.5' },
      afterSet: 'three',
      cookies: [],
    });
  });

  it('makes no Fetch object at all for a getUser that reads the framework request', async () => {
    const getUser = (request: Request) => {
      const original = (kind === 'fastify' ? originalFastifyRequest : originalRequest)<{
        headers: { cookie?: string };
      }>(request);
      const id = /session=([^;]+)/.exec(original?.headers.cookie ?? '')?.[1];
      return id ? { id } : null;
    };
    const { login } = await loginBackend(kind, { handler: { getUser } });
    let status = 0;
    const made = await countFetchObjects(async () => {
      status = (await login()).status;
    });
    expect(status).toBe(200);
    expect(made).toEqual({ Request: 0, Response: 0, Headers: 0 });
  });

  it('serves a handler not made by createTotpHandler over Fetch, as before', async () => {
    // The conformance kit's mutants are such wrappers; the counter sees the Fetch objects they need.
    const { login } = await loginBackend(kind, { wrap: (inner) => (request) => inner(request) });
    let status = 0;
    const made = await countFetchObjects(async () => {
      status = (await login()).status;
    });
    expect(status).toBe(200);
    expect(made.Request).toBeGreaterThan(0);
    expect(made.Response).toBeGreaterThan(0);
  });

  it("gives the host's hooks a Request view of the Node request", async () => {
    const seen: Record<string, unknown>[] = [];
    const look = (request: Request) => ({
      method: request.method,
      url: request.url,
      cookie: request.headers.get('cookie'),
      tag: Object.prototype.toString.call(request),
      signal: request.signal instanceof AbortSignal,
      hasOriginal:
        (kind === 'fastify'
          ? originalFastifyRequest(request)
          : kind === 'express'
            ? originalExpressRequest(request)
            : originalRequest(request)) !== undefined,
    });
    const { login } = await loginBackend(kind, {
      handler: {
        getUser: (request, context) => {
          seen.push({ hook: `getUser ${context.call}`, ...look(request) });
          return sessionUser(request);
        },
        csrf: {
          header: 'X-CSRF-Token',
          verify: (request) => {
            seen.push({ hook: 'csrf.verify', ...look(request) });
            return true;
          },
        },
        afterVerify: ({ request }) => {
          seen.push({ hook: 'afterVerify', ...look(request) });
          return undefined;
        },
      },
    });
    expect((await login()).status).toBe(200);
    const origin = backend?.origin;
    const common = {
      method: 'POST',
      url: `${origin}/mfa/verify`,
      tag: '[object Request]',
      signal: true,
      hasOriginal: true,
    };
    expect(seen).toEqual([
      { hook: 'csrf.verify', ...common, cookie: expect.stringMatching(/^session=/) },
      { hook: 'getUser verify', ...common, cookie: expect.stringMatching(/^session=/) },
      { hook: 'afterVerify', ...common, cookie: expect.stringMatching(/^session=/) },
    ]);
  });

  it('answers 413 to a chunked body megabytes over the limit, and the client receives it', async () => {
    backend = await startBackend(kind);
    const { cookie } = newSession();
    const status = await new Promise<number>((resolve, reject) => {
      let answered = 0;
      const outgoing = httpRequest(`${backend?.baseUrl}/verify`, {
        method: 'POST',
        headers: { ...PROTOCOL, Cookie: cookie, 'Transfer-Encoding': 'chunked' },
      });
      outgoing.on('response', (response) => {
        answered = response.statusCode ?? 0;
        response.resume();
      });
      // Once the server has answered and stopped reading, the rest of the upload may meet a reset:
      // expected, and caught on the socket too, so that it cannot surface in a later test. The
      // request settles when its socket closes, with the answer it received.
      outgoing.on('socket', (socket) => socket.on('error', () => {}));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (!answered || (error.code !== 'ECONNRESET' && error.code !== 'EPIPE')) reject(error);
      });
      outgoing.on('close', () => resolve(answered));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 64; i++) outgoing.write(chunk); // 4 MiB: past the 1 MiB the server reads and drops
      outgoing.end();
    });
    expect(status).toBe(413);
  });

  // Fastify routes only the methods the plugin registers, and answers TRACE with its own 404.
  it.skipIf(kind === 'fastify')('answers a method Fetch cannot carry (TRACE) as any wrong method: 405', async () => {
    backend = await startBackend(kind);
    const head = ['TRACE /mfa/verify HTTP/1.1', 'Host: 127.0.0.1', 'Totpkit-Protocol: 1', 'Connection: close'];
    const answer = await rawRequest(portOf(backend.baseUrl), head.join('\r\n'));
    expect(answer.status).toBe(405);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('reads a repeated header as Headers.get does, not as req.headers does', async () => {
    backend = await startBackend(kind);
    const { cookie } = newSession();
    const head = (lines: string[]) =>
      ['POST /mfa/verify HTTP/1.1', 'Host: 127.0.0.1', `Cookie: ${cookie}`, ...lines, 'Connection: close'].join('\r\n');
    const body = '{"code":"123456"}';
    const length = `Content-Length: ${body.length}`;
    const port = portOf(backend.baseUrl);
    // req.headers keeps only the first Content-Type; Fetch reads "application/json, text/plain".
    const twoTypes = await rawRequest(
      port,
      head(['Content-Type: application/json', 'Content-Type: text/plain', 'Totpkit-Protocol: 1', length]),
      body,
    );
    expect(twoTypes.status).toBe(415);
    const twoVersions = await rawRequest(
      port,
      head(['Content-Type: application/json', 'Totpkit-Protocol: 1', 'Totpkit-Protocol: 1', length]),
      body,
    );
    expect(twoVersions.status).toBe(400);
    const once = await rawRequest(port, head(['Content-Type: application/json', 'Totpkit-Protocol: 1', length]), body);
    // The same request without repeats gets past every check, to the call.
    expect(JSON.parse(once.body)).toMatchObject({ error: { code: 'not_active' } });
  });
});

describe('the Node adapter and the Fetch handler', () => {
  interface Exchange {
    name: string;
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
  }
  const { cookie } = newSession();
  const signedIn = { ...PROTOCOL, Cookie: cookie };
  const EXCHANGES: Exchange[] = [
    { name: 'status', method: 'GET', path: '/mfa/status', headers: signedIn },
    { name: 'status, HEAD', method: 'HEAD', path: '/mfa/status', headers: signedIn },
    {
      name: 'setup with a field it does not take',
      method: 'POST',
      path: '/mfa/totp/setup',
      headers: signedIn,
      body: '{"extra":1}',
    },
    { name: 'unknown call', method: 'GET', path: '/mfa/nope', headers: signedIn },
    { name: 'wrong method', method: 'GET', path: '/mfa/verify', headers: signedIn },
    {
      name: 'preflight',
      method: 'OPTIONS',
      path: '/mfa/verify',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    },
    {
      name: 'refused preflight',
      method: 'OPTIONS',
      path: '/mfa/verify',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    },
    {
      name: 'listed origin',
      method: 'POST',
      path: '/mfa/verify',
      headers: { ...signedIn, Origin: 'https://app.example', 'Sec-Fetch-Site': 'cross-site' },
      body: '{"code":"123456"}',
    },
    {
      name: 'cross-site',
      method: 'POST',
      path: '/mfa/verify',
      headers: { ...signedIn, 'Sec-Fetch-Site': 'cross-site' },
      body: '{}',
    },
    {
      name: 'same host origin',
      method: 'POST',
      path: '/mfa/verify',
      headers: { ...signedIn, Origin: 'http://HOST' },
      body: '{"code":"123456"}',
    },
    {
      name: 'no protocol header',
      method: 'POST',
      path: '/mfa/verify',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: '{}',
    },
    {
      name: 'bad CSRF token',
      method: 'POST',
      path: '/mfa/verify',
      headers: { ...signedIn, 'X-CSRF-Token': 'wrong' },
      body: '{}',
    },
    {
      name: 'text/plain',
      method: 'POST',
      path: '/mfa/verify',
      headers: { ...signedIn, 'Content-Type': 'text/plain' },
      body: '{}',
    },
    {
      name: 'over the limit',
      method: 'POST',
      path: '/mfa/verify',
      headers: signedIn,
      body: `{"code":"1"}${' '.repeat(5000)}`,
    },
    { name: 'duplicate key', method: 'POST', path: '/mfa/verify', headers: signedIn, body: '{"code":"1","code":"2"}' },
    { name: 'not an object', method: 'POST', path: '/mfa/verify', headers: signedIn, body: '[]' },
    { name: 'implausible code', method: 'POST', path: '/mfa/verify', headers: signedIn, body: '{"code":"12"}' },
    { name: 'no session', method: 'POST', path: '/mfa/verify', headers: PROTOCOL, body: '{"code":"123456"}' },
    { name: 'not active', method: 'POST', path: '/mfa/verify', headers: signedIn, body: '{"code":"123456"}' },
  ];
  const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

  it.each(EXCHANGES)('give the same answer to $name', async (exchange) => {
    const options: TotpHandlerOptions = {
      totpkit: createTotpkit({
        issuer: 'parity',
        store: new MemoryStore(),
        keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
      }),
      basePath: '/mfa',
      getUser: sessionUser,
      cors: { origins: ['https://app.example'] },
      csrf: { header: 'X-CSRF-Token', verify: (_request, token) => token !== 'wrong' },
    };
    const handler = createTotpHandler(options);
    const server = createServer(toNodeListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const headers = Object.fromEntries(
      Object.entries(exchange.headers ?? {}).map(([name, value]) => [name, value.replace('HOST', host)]),
    );

    const overNode = await send(`http://${host}${exchange.path}`, exchange.method, headers, exchange.body);
    const response = await handler(
      new Request(`http://${host}${exchange.path}`, { method: exchange.method, headers, body: exchange.body ?? null }),
    );
    const overFetch = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
    const withoutTransport = (answer: Answer) =>
      Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !TRANSPORT.has(name)));
    expect(overNode.status).toBe(overFetch.status);
    expect(withoutTransport(overNode)).toEqual(withoutTransport(overFetch));
    expect(overNode.body).toBe(overFetch.body);
  });
});
