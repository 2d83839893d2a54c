/**
 * The kit's HTTP client. It sends what a well-behaved client sends (the session headers, the
 * protocol header, JSON) unless a check overrides a header, and it records every exchange, so the
 * run can end with checks over all responses (no-store, no 5xx, no secret outside setup).
 */
import { ENDPOINTS } from '../endpoints.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../version.js';
import type { SessionPhase, Sessions } from './sessions.js';

/** One request and its response, as the kit saw them. */
export interface Exchange {
  /** What the kit was doing, for failure messages: `POST /verify (replay)`. */
  label: string;
  method: string;
  path: string;
  /** 0 when the request failed at the network level. */
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
  /** The network error, when `status` is 0. */
  networkError?: string;
}

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** What the kit is doing, for failure messages. */
  label?: string;
  /** A JSON value (serialised), raw text or bytes, or a stream sent chunked. */
  body?: unknown;
  /** True when `body` is already the raw text, bytes or stream to send. */
  raw?: boolean;
  /** Header overrides; `null` removes a default header. */
  headers?: Record<string, string | null>;
  /** Whose session to send (default `signedIn`), or false for none. */
  session?: SessionPhase | false;
  /** False to leave out the `--csrf-header` headers. */
  csrf?: boolean;
  /** Cookies to add to the session's `Cookie` header, or with null to take out of it. */
  cookies?: Record<string, string | null>;
}

/** The calls that change the account: a host may want a recent login for them (`reauthenticated`). */
const CHANGES = new Set<string>([
  ENDPOINTS.setup.path,
  ENDPOINTS.activate.path,
  ENDPOINTS.deactivate.path,
  ENDPOINTS.regenerateRecoveryCodes.path,
]);

export class ProtocolClient {
  readonly exchanges: Exchange[] = [];
  /** The session `verify` is sent with: `pending` once the run has one (§2.4), else `signedIn`. */
  verifyPhase: SessionPhase = 'signedIn';
  readonly #baseUrl: string;
  readonly sessions: Sessions;
  readonly #fetch: FetchFunction;
  readonly #timeoutMs: number;

  constructor(options: { baseUrl: string; sessions: Sessions; fetch: FetchFunction; timeoutMs: number }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.sessions = options.sessions;
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs;
  }

  /** The absolute URL of a protocol path. */
  url(path: string): string {
    return `${this.#baseUrl}${path}`;
  }

  /** Sends one request and records the exchange; network errors become status 0, never a throw. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Exchange> {
    const headers = new Headers();
    const phase = options.session ?? this.#defaultPhase(method, path);
    if (phase !== false)
      for (const [name, value] of (await this.sessions.headers(phase)) ?? []) headers.append(name, value);
    if (options.cookies) setCookies(headers, options.cookies);
    if (options.csrf !== false) for (const [name, value] of this.sessions.csrf) headers.set(name, value);
    headers.set('Accept', 'application/json');
    headers.set(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
    const hasBody = options.body !== undefined;
    if (hasBody) headers.set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === null) headers.delete(name);
      else headers.set(name, value);
    }
    const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: AbortSignal.timeout(this.#timeoutMs) };
    if (hasBody) {
      const body = options.raw ? (options.body as BodyInit) : JSON.stringify(options.body);
      // Without a Content-Type, as bytes: fetch adds `text/plain` to a string body, and a request
      // "without Content-Type" must really have none.
      init.body = typeof body === 'string' && !headers.has('content-type') ? new TextEncoder().encode(body) : body;
      if (init.body instanceof ReadableStream) init.duplex = 'half';
    }
    const label = `${method} ${path}${options.label ? ` (${options.label})` : ''}`;
    let exchange: Exchange;
    try {
      const response = await this.#fetch(this.url(path), init);
      const text = await response.text();
      exchange = {
        label,
        method,
        path,
        status: response.status,
        headers: response.headers,
        text,
        json: parseJson(text),
      };
    } catch (error) {
      const message = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
      exchange = {
        label,
        method,
        path,
        status: 0,
        headers: new Headers(),
        text: '',
        json: undefined,
        networkError: message,
      };
    }
    this.exchanges.push(exchange);
    if (phase !== false) this.sessions.followSetCookie(phase, exchange.headers.getSetCookie());
    // A successful challenge completes the login: that pending session is spent.
    if (phase === 'pending' && path === ENDPOINTS.verify.path && exchange.status === 200)
      this.sessions.spend('pending');
    return exchange;
  }

  #defaultPhase(method: string, path: string): SessionPhase {
    if (method === 'POST' && CHANGES.has(path)) return 'reauthenticated';
    return path === ENDPOINTS.verify.path ? this.verifyPhase : 'signedIn';
  }
}

/** Adds, replaces or (with null) removes cookies in the `Cookie` header, as a browser's jar would. */
function setCookies(headers: Headers, changes: Record<string, string | null>): void {
  const jar = new Map<string, string>();
  for (const pair of (headers.get('cookie') ?? '').split(/;\s*/)) {
    const equals = pair.indexOf('=');
    if (equals > 0) jar.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) jar.delete(name);
    else jar.set(name, value);
  }
  if (jar.size === 0) headers.delete('cookie');
  else headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}
