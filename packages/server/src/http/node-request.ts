/**
 * A node:http request, described for the protocol's rules (core.ts) without any Fetch object, and
 * their answer written back: what the node:http, Express and Fastify adapters share. Node-only;
 * the Fetch handler never imports this.
 *
 * What matters for the protocol's guarantees:
 * - Routing is on the request target as it arrived (`req.originalUrl ?? req.url`), so dot
 *   segments, `%2e%2e` and backslashes reach no call.
 * - The body is read from the socket only when a call takes one, and only as far as the limit, so
 *   the byte limit applies as the bytes arrive. Whatever is left unread when the answer is written
 *   (after a 413 or a 415) is drained and discarded rather than the socket destroyed, so the
 *   client still receives the answer. A client that goes away mid-body fails the read, which the
 *   protocol answers as an aborted request, not a fault.
 * - A body that a framework's parser (`express.json()`) has already consumed is used only as the
 *   raw bytes the host kept (`req.rawBody`): re-serialising the parsed value would hide duplicate
 *   keys. Without them the request fails as a host misconfiguration (500, reported), never
 *   silently accepted.
 * - Header values read as `Headers.get` reads them: repeated headers joined with ", ", including
 *   those (Content-Type, Authorization…) of which `req.headers` keeps only the first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TotpkitError } from '../errors.js';
import type { BodyReader, ProtocolRequest } from './request.js';
import type { ProtocolAnswer } from './respond.js';
import { pathOf } from './routes.js';

/** What the adapters accept: node:http's request, plus what Express adds when present. */
export interface NodeRequest extends IncomingMessage {
  /** Express: the URL before a mount path was stripped. */
  originalUrl?: string;
  /** Express/Connect body parsers: the already parsed body. */
  body?: unknown;
  /** The raw body a parser's `verify` callback kept: `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`. */
  rawBody?: Uint8Array | string;
}

/** A Node request described for the protocol, and how to throw away what it did not read. */
export interface NodeExchange extends ProtocolRequest {
  /** After the answer: the unread rest of the body is read and dropped, so the connection can go on. */
  discardUnread(): void;
}

const BODYLESS = new Set(['GET', 'HEAD']);

/** The framework request each request handed to a host hook was made from, for `originalRequest`. */
const originals = new WeakMap<object, unknown>();

/**
 * The request object the adapter received (node:http's `IncomingMessage`, Express's `req`,
 * Fastify's `request`) for the `request` a host hook was given, so `getUser` can read the host's
 * session from it: `originalRequest<express.Request>(request)?.user`. Undefined for any other
 * request.
 */
export function originalRequest<T = unknown>(request: Request): T | undefined {
  // The Node adapters' own view carries it; a WeakMap entry per request would cost the garbage
  // collector an ephemeron to trace for every login.
  if (NodeRequestView.isView(request)) return request.original as T | undefined;
  return originals.get(request) as T | undefined;
}

/** Records `original` as what `originalRequest(request)` returns. */
export function setOriginalRequest(request: object, original: unknown): void {
  originals.set(request, original);
}

/**
 * Describes `request` for the protocol; `original` is what `originalRequest` returns for the
 * `request` the host's hooks receive (default: the Node request).
 */
export function describeNodeRequest(request: NodeRequest, original: unknown = request): NodeExchange {
  const method = request.method ?? 'GET';
  const view = new NodeRequestView(request, original);
  let reader: BodyReader | null | undefined;
  return {
    method,
    path: pathOf(targetOf(request)),
    header: (name) => headerOf(request.rawHeaders, name),
    url: () => view.url,
    body: () => {
      if (reader === undefined) reader = BODYLESS.has(method) ? null : nodeBodyReader(request);
      return reader;
    },
    hostRequest: view as unknown as Request,
    discardUnread: () => {
      if (reader) reader.cancel().catch(() => {});
      else request.resume();
    },
  };
}

/** Writes an answer to a node:http (or Express) response. */
export function writeAnswer(answer: ProtocolAnswer, response: ServerResponse): void {
  // One writeHead: headers the host set before are merged with these as setHeader would. Its
  // headers are final, so the length is given here (end() would otherwise send chunked).
  const headers: Record<string, string | string[] | number> = {};
  for (const [name, value] of answer.headers) headers[name] = value;
  const body = answer.body ?? undefined;
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  response.writeHead(answer.status, headers);
  response.end(body);
}

/** The request target as it arrived, before any router or mount path rewrote it. */
export function targetOf(request: NodeRequest): string {
  return request.originalUrl ?? request.url ?? '/';
}

/** `name` (lower case) as `Headers.get` would read it from the raw header lines. */
function headerOf(raw: readonly string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const candidate = raw[i] as string;
    if (candidate.length === name.length && candidate.toLowerCase() === name) {
      value = value === null ? (raw[i + 1] as string) : `${value}, ${raw[i + 1]}`;
    }
  }
  return value;
}

/** The raw header lines as Fetch `Headers`, without HTTP/2 pseudo-headers. Throws on a value Fetch refuses. */
export function fetchHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!name.startsWith(':')) headers.append(name, raw[i + 1] as string);
  }
  return headers;
}

/**
 * The absolute URL. The path is appended to the origin, never resolved against it, so a request
 * target such as `//evil.example/x` stays a path on this host.
 */
export function requestUrl(request: NodeRequest): string {
  const path = targetOf(request);
  const scheme = (request.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const host = request.headers.host ?? 'localhost';
  for (const candidate of [`${scheme}://${host}${path}`, `${scheme}://localhost${path}`]) {
    try {
      return new URL(candidate).href;
    } catch {
      // an unusable Host header or path; try the next
    }
  }
  return `${scheme}://localhost/`;
}

/** A header name as `Headers` takes it (RFC 9110 §5.1: a token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The `headers` of the request a host hook receives behind the Node adapters: a real `Headers`,
 * filled from the raw header lines only when something other than `get` or `has` is asked of it.
 * A `getUser` that reads one cookie or one header (nearly all of them) then costs no `Headers`
 * with every request header validated and appended: about 4 % of a login's CPU
 * (`node bench/login-layers.mjs --against <commit>`). `get` answers as `Headers.get` does: the
 * name is checked and matched without case, repeated lines are joined with ", ".
 */
class NodeHeaders extends Headers {
  #raw: readonly string[] | null;

  constructor(raw: readonly string[]) {
    super();
    this.#raw = raw;
  }

  override get(name: string): string | null {
    const raw = this.#raw;
    if (raw === null) return super.get(name);
    const key = String(name);
    if (!HEADER_NAME.test(key)) return super.get(key); // throws the TypeError Headers throws
    return headerOf(raw, key.toLowerCase());
  }

  override has(name: string): boolean {
    return this.#raw === null ? super.has(name) : this.get(name) !== null;
  }

  override append(name: string, value: string): void {
    this.#fill();
    super.append(name, value);
  }

  override set(name: string, value: string): void {
    this.#fill();
    super.set(name, value);
  }

  override delete(name: string): void {
    this.#fill();
    super.delete(name);
  }

  override getSetCookie(): string[] {
    this.#fill();
    return super.getSetCookie();
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }

  override entries(): HeadersIterator<[string, string]> {
    this.#fill();
    return super.entries();
  }

  override keys(): HeadersIterator<string> {
    this.#fill();
    return super.keys();
  }

  override values(): HeadersIterator<string> {
    this.#fill();
    return super.values();
  }

  override [Symbol.iterator](): HeadersIterator<[string, string]> {
    this.#fill();
    return super[Symbol.iterator]();
  }

  /** Appends the raw header lines, without HTTP/2 pseudo-headers, once. */
  #fill(): void {
    const raw = this.#raw;
    if (raw === null) return;
    this.#raw = null;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i] as string;
      if (!name.startsWith(':')) super.append(name, raw[i + 1] as string);
    }
  }
}

/**
 * The `request` the host's hooks receive behind the Node adapters: a Fetch `Request` in all but
 * its class. `method`, `url` and `headers` are read from the Node request when first asked for;
 * any other member comes from a Fetch `Request` built on first use, without the body, which the
 * protocol has already read. So a `getUser` that reads a cookie, or only calls `originalRequest`,
 * costs no Fetch object.
 */
class NodeRequestView {
  static {
    for (const name of Object.getOwnPropertyNames(Request.prototype)) {
      if (name in NodeRequestView.prototype) continue; // constructor, method, url, headers
      Object.defineProperty(NodeRequestView.prototype, name, {
        configurable: true,
        get(this: NodeRequestView) {
          const request = this.#fetchRequest();
          const value = Reflect.get(request, name, request) as unknown;
          return typeof value === 'function' ? value.bind(request) : value;
        },
      });
    }
  }

  readonly #request: NodeRequest;
  #url: string | undefined;
  #headers: Headers | undefined;
  #fetch: Request | undefined;
  /** What `originalRequest` returns for this view. */
  readonly #original: unknown;

  constructor(request: NodeRequest, original: unknown) {
    this.#request = request;
    this.#original = original;
  }

  static isView(value: unknown): value is NodeRequestView {
    return typeof value === 'object' && value !== null && #original in value;
  }

  get original(): unknown {
    return this.#original;
  }

  get method(): string {
    return this.#request.method ?? 'GET';
  }

  get url(): string {
    this.#url ??= requestUrl(this.#request);
    return this.#url;
  }

  get headers(): Headers {
    this.#headers ??= new NodeHeaders(this.#request.rawHeaders);
    return this.#headers;
  }

  get [Symbol.toStringTag](): string {
    return 'Request';
  }

  #fetchRequest(): Request {
    // The headers as pairs, read through their iterator: a runtime's Request may copy a Headers
    // argument's internal list directly, which a NodeHeaders fills only when iterated.
    this.#fetch ??= new Request(this.url, { method: this.method, headers: [...this.headers] });
    return this.#fetch;
  }
}

const BODY_CONSUMED =
  'A body parser (such as express.json()) read the request body before totpkit, and kept no raw body, so duplicate ' +
  'keys could not be checked. Mount totpkit before body parsers, or keep the raw bytes: ' +
  'express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }).';

/**
 * The body's reader: over the socket while the stream is unread; once a parser has read it, the
 * raw bytes the host kept, or a reader that refuses. The refusal comes only when the protocol
 * reads the body, so earlier answers (404, 405, 403, 415) stay as they are.
 */
function nodeBodyReader(request: NodeRequest): BodyReader {
  const consumed = request.readableEnded || (request as { _body?: boolean })._body === true;
  if (!consumed) return new IncomingBodyReader(request);
  const raw = request.rawBody;
  let bytes: Uint8Array | undefined;
  if (typeof raw === 'string') bytes = new TextEncoder().encode(raw);
  else if (raw instanceof Uint8Array) bytes = raw;
  return {
    read: async () => {
      if (bytes === undefined) throw new TotpkitError('invalid_configuration', BODY_CONSUMED);
      const value = bytes;
      bytes = EMPTY;
      return value === EMPTY ? { done: true } : { done: false, value };
    },
    cancel: async () => {},
  };
}

const EMPTY = new Uint8Array(0);

/** What a read fails with when the client goes away before the body's end. */
function abortedError(): Error {
  return new Error('The client closed the connection before the request body ended.');
}

/**
 * Reads an `IncomingMessage` chunk by chunk as the protocol asks: nothing is read before the first
 * `read()`, and the stream is paused while a chunk waits, so the socket is read no faster than
 * the limit check.
 */
class IncomingBodyReader implements BodyReader {
  readonly #request: IncomingMessage;
  readonly #chunks: Uint8Array[] = [];
  #attached = false;
  #ended = false;
  #failed = false;
  /** Cancelled: no more chunks are kept, and the rest of the body is dropped by Node. */
  #finished = false;
  #waiting: {
    resolve: (chunk: { done: true } | { done: false; value: Uint8Array }) => void;
    reject: (error: Error) => void;
  } | null = null;

  constructor(request: IncomingMessage) {
    this.#request = request;
  }

  read(): Promise<{ done: true } | { done: false; value: Uint8Array }> {
    if (!this.#attached) this.#attach();
    else if (this.#chunks.length === 0 && !this.#ended && !this.#failed) this.#request.resume();
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#settle();
    });
  }

  async cancel(): Promise<void> {
    this.#finished = true;
    this.#chunks.length = 0;
    this.#request.resume();
  }

  #attach(): void {
    this.#attached = true;
    const request = this.#request;
    // Gone before the protocol asked: the events below have already fired.
    if (request.readableAborted || (request.destroyed && !request.readableEnded)) {
      this.#failed = true;
      return;
    }
    request.on('data', (chunk: Buffer) => {
      if (this.#finished) return;
      this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      // Paused only when nobody waits for this chunk: a waiting read takes it at once, and the
      // stream still never runs more than one chunk ahead of the reads.
      if (this.#waiting === null) request.pause();
      this.#settle();
    });
    request.once('end', () => {
      this.#ended = true;
      this.#settle();
    });
    // A reset connection errors the request; a body cut short by the client may only close it.
    const abort = () => {
      if (!this.#ended) this.#failed = true;
      this.#settle();
    };
    request.once('error', abort);
    request.once('close', abort);
  }

  #settle(): void {
    const waiting = this.#waiting;
    if (waiting === null) return;
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) waiting.resolve({ done: false, value: chunk });
    else if (this.#failed) waiting.reject(abortedError());
    else if (this.#ended) waiting.resolve({ done: true });
    else return;
    this.#waiting = null;
  }
}
