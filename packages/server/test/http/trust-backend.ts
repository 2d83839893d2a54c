/**
 * A host for the trusted-browser and reauthentication tests, over real HTTP: the handler under
 * /mfa, served natively by node:http (`node`) or through the Fetch handler (`fetch`: the Node
 * listener then builds a Fetch `Request` and reads back the `Response`), beside the host's own
 * `GET /login`, which asks the service whether this request's browser is trusted for the user, as
 * a host's login code would after the password step.
 *
 * Sessions are the staged ones of the conformance runs: `session=<id>` is signed in, with
 * `stage=pending` it waits for its second factor. A virtual clock moves only when told to.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTotpHandler, readTrustCookie, type TotpHandlerOptions } from '../../src/http/index.js';
import { toNodeListener } from '../../src/http/node.js';
import { createTotpkit, generateEncryptionKey, MemoryStore, type TotpkitOptions, totpCode } from '../../src/index.js';
import { stagedUser } from './staged-sessions.js';
import { type Backend, newSession, VirtualClock } from './support.js';

export type TransportKind = 'node' | 'fetch';
export const TRANSPORTS: TransportKind[] = ['node', 'fetch'];

/** A protocol backend as support.ts's `Backend`, whose server also answers the host's login step. */
export type TrustHost = Backend;

export interface TrustHostOptions {
  totpkit?: Partial<TotpkitOptions>;
  handler?: Partial<TotpHandlerOptions>;
  /** The trust cookie's name the host's login code reads; the handler's default when absent. */
  cookieName?: string;
}

export const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
export const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

export async function startTrustHost(kind: TransportKind, options: TrustHostOptions = {}): Promise<TrustHost> {
  const clock = new VirtualClock();
  const reported: unknown[] = [];
  const totpkit = createTotpkit({
    issuer: 'totpkit trust tests',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    logger: { warn: () => {}, error: () => {} },
    now: clock.now,
    trustedBrowsers: true,
    ...options.totpkit,
  });
  const real = createTotpHandler({
    totpkit,
    basePath: '/mfa',
    getUser: stagedUser,
    onError: (error) => reported.push(error),
    ...options.handler,
  });
  // A wrapper is not the handler createTotpHandler made, so the listener serves it over Fetch.
  const handler =
    kind === 'node'
      ? real
      : Object.assign((request: Request) => real(request), { basePath: real.basePath, handles: real.handles });
  const listener = toNodeListener(handler);

  /** The host's login step: the password was right; may this browser skip the challenge? */
  const login = async (request: IncomingMessage): Promise<{ trusted: boolean }> => {
    const userId = new URL(request.url ?? '/', 'http://host').searchParams.get('user') ?? '';
    // The host's code reads the cookie from whatever request object it has: Node's, or a Fetch one.
    const token =
      kind === 'node'
        ? readTrustCookie(request, options.cookieName)
        : readTrustCookie(
            new Request('http://host/login', { headers: request.headers as Record<string, string> }),
            options.cookieName,
          );
    return { trusted: await totpkit.isBrowserTrusted({ id: userId }, token) };
  };

  const server = createServer((request, response) =>
    listener(request, response, () => {
      login(request).then(
        (body) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)),
        (error: unknown) => {
          reported.push(error);
          response.writeHead(500).end();
        },
      );
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/mfa`,
    origin,
    totpkit,
    clock,
    reported,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A user of `host`: protocol calls as the signed-in or the pending session, and the host's login. */
export function userOf(host: TrustHost, existing?: { userId: string; secret: string }) {
  const { userId, cookie } = existing
    ? { userId: existing.userId, cookie: `session=${existing.userId}` }
    : newSession();
  let secret = existing?.secret ?? '';

  const send = async (
    path: string,
    body: unknown,
    { pending = false, trust, userAgent }: { pending?: boolean; trust?: string | null; userAgent?: string } = {},
  ) => {
    const cookies = [
      cookie,
      ...(pending ? ['stage=pending'] : []),
      ...(trust ? [`__Host-totpkit-trust=${trust}`] : []),
    ];
    const response = await fetch(`${host.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Totpkit-Protocol': '1',
        Cookie: cookies.join('; '),
        ...(userAgent ? { 'User-Agent': userAgent } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  return {
    userId,
    user: { id: userId },
    send,
    /** Who this is, to be the same user on another host over the same store. */
    identity: () => ({ userId, secret }),
    /** Setup and activation; returns the recovery codes. */
    async enrol(): Promise<string[]> {
      const setup = await send('/totp/setup', {});
      secret = setup.body.secret;
      const activated = await send('/totp/activate', {
        enrollmentToken: setup.body.enrollmentToken,
        code: this.code(),
      });
      if (activated.status !== 200) throw new Error(`activation failed: ${activated.status}`);
      return activated.body.recoveryCodes;
    },
    /** The code of the next step (each step's code can be used once). */
    nextCode(): string {
      host.clock.advance(30_000);
      return this.code();
    },
    code(): string {
      return totpCode(secret, { time: host.clock.now() / 1000 });
    },
    /** The login challenge from a pending session, asking for trust when `days` is given. */
    async challenge(options: { days?: number; userAgent?: string; code?: string } = {}) {
      const body = {
        code: options.code ?? this.nextCode(),
        ...(options.days ? { trustBrowserDays: options.days } : {}),
      };
      return send('/verify', body, { pending: true, ...(options.userAgent ? { userAgent: options.userAgent } : {}) });
    },
    /** The host's login step with this browser's trust cookie (or none). */
    async login(token: string | null, name = '__Host-totpkit-trust'): Promise<boolean> {
      const response = await fetch(`${host.origin}/login?user=${encodeURIComponent(userId)}`, {
        headers: token ? { Cookie: `${cookie}; ${name}=${token}` } : { Cookie: cookie },
      });
      return ((await response.json()) as { trusted: boolean }).trusted;
    },
  };
}

/** One `Set-Cookie` line as a browser reads it: the name, the value and the attributes. */
export interface ParsedCookie {
  name: string;
  value: string;
  attributes: Map<string, string | true>;
}

/** The response's Set-Cookie lines, parsed (RFC 6265 §5.2), attribute names lower-cased. */
export function setCookies(headers: Headers): ParsedCookie[] {
  return headers.getSetCookie().map((line) => {
    const [pair = '', ...parts] = line.split(';');
    const separator = pair.indexOf('=');
    const attributes = new Map<string, string | true>();
    for (const part of parts) {
      const equals = part.indexOf('=');
      if (equals === -1) attributes.set(part.trim().toLowerCase(), true);
      else attributes.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
    }
    return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(), attributes };
  });
}
