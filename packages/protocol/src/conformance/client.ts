/**
 * The kit's HTTP client. It sends what a well-behaved client sends (the session headers, the
 * protocol header, JSON) unless a check overrides a header, and it records every exchange, so the
 * run can end with checks over all responses (no-store, no 5xx, no secret outside setup).
 */
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../version.js';

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
  /** False to leave out the session headers from `--header`. */
  session?: boolean;
}

export class ProtocolClient {
  readonly exchanges: Exchange[] = [];
  readonly #baseUrl: string;
  readonly #session: [string, string][];
  readonly #fetch: FetchFunction;
  readonly #timeoutMs: number;

  constructor(options: { baseUrl: string; headers: [string, string][]; fetch: FetchFunction; timeoutMs: number }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#session = options.headers;
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
    if (options.session !== false) for (const [name, value] of this.#session) headers.append(name, value);
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
      init.body = options.raw ? (options.body as BodyInit) : JSON.stringify(options.body);
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
    return exchange;
  }
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
