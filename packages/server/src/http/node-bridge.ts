/**
 * Between node:http and the Fetch API, for the three Node adapters. Node-only; the handler itself
 * never imports this.
 *
 * What matters for the protocol's guarantees:
 * - The handler routes on the request target as it arrived (`setRawTarget`), not on what
 *   `new Request()` makes of it, so dot segments, `%2e%2e` and backslashes reach no call.
 * - The request body is a pull stream over the socket, so the handler's byte limit applies as the
 *   bytes arrive. When the handler stops reading (413), the rest is drained and discarded rather
 *   than the socket destroyed, so the client still receives the 413. A client that goes away
 *   mid-body errors the stream, which the handler answers as an aborted request, not a fault.
 * - A body that a framework's parser (`express.json()`) has already consumed is used only as the
 *   raw bytes the host kept (`req.rawBody`): re-serialising the parsed value would hide duplicate
 *   keys. Without them the request fails as a host misconfiguration (500, reported), never
 *   silently accepted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TotpkitError } from '../errors.js';
import { errorResponse } from './errors.js';
import { setRawTarget } from './routes.js';

/** What the adapters accept: node:http's request, plus what Express adds when present. */
export interface NodeRequest extends IncomingMessage {
  /** Express: the URL before a mount path was stripped. */
  originalUrl?: string;
  /** Express/Connect body parsers: the already parsed body. */
  body?: unknown;
  /** The raw body a parser's `verify` callback kept: `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`. */
  rawBody?: Uint8Array | string;
}

const BODYLESS = new Set(['GET', 'HEAD']);

/** The framework request each Fetch request was made from, for `originalRequest`. */
const originals = new WeakMap<Request, unknown>();

/**
 * The request object the adapter received (node:http's `IncomingMessage`, Express's `req`,
 * Fastify's `request`) for a Fetch request it made, so `getUser` can read the host's session from
 * it: `originalRequest<express.Request>(request)?.user`. Undefined for any other request.
 */
export function originalRequest<T = unknown>(request: Request): T | undefined {
  return originals.get(request) as T | undefined;
}

/**
 * The Fetch `Request` for a Node request; `original` is what `originalRequest` will return for
 * it (default: the Node request). Throws on a header the Fetch API cannot hold.
 */
export function toFetchRequest(request: NodeRequest, original: unknown = request): Request {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!name.startsWith(':')) headers.append(name, raw[i + 1] as string); // skip HTTP/2 pseudo-headers
  }
  const method = request.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (!BODYLESS.has(method)) {
    init.body = consumedBody(request) ?? bodyStream(request);
    init.duplex = 'half';
  }
  const fetchRequest = new Request(requestUrl(request), init);
  originals.set(fetchRequest, original);
  setRawTarget(fetchRequest, request.originalUrl ?? request.url ?? '/');
  return fetchRequest;
}

/**
 * `handler`'s answer to a Node request, for every adapter. A header value the Fetch API refuses
 * makes the request malformed, not the server: it gets a 400 without reaching the handler.
 */
export async function answerNodeRequest(
  handler: (request: Request) => Promise<Response>,
  request: NodeRequest,
  original: unknown = request,
): Promise<Response> {
  let fetchRequest: Request;
  try {
    fetchRequest = toFetchRequest(request, original);
  } catch {
    request.resume();
    return errorResponse('invalid_request', { message: 'A request header is not valid.' });
  }
  return handler(fetchRequest);
}

/**
 * The absolute URL. The path is appended to the origin, never resolved against it, so a request
 * target such as `//evil.example/x` stays a path on this host.
 */
function requestUrl(request: NodeRequest): string {
  const path = request.originalUrl ?? request.url ?? '/';
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

const BODY_CONSUMED =
  'A body parser (such as express.json()) read the request body before totpkit, and kept no raw body, so duplicate ' +
  'keys could not be checked. Mount totpkit before body parsers, or keep the raw bytes: ' +
  'express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }).';

/**
 * The body when a parser already read the stream: the raw bytes the host kept, or a stream that
 * refuses to be read; undefined when the stream is still unread. The refusal comes only when the
 * handler reads the body, so earlier answers (404, 405, 403, 415) stay as they are.
 */
function consumedBody(request: NodeRequest): BodyInit | undefined {
  const consumed = request.readableEnded || (request as { _body?: boolean })._body === true;
  if (!consumed) return undefined;
  const raw = request.rawBody;
  if (typeof raw === 'string') return raw;
  if (raw instanceof Uint8Array) return new Uint8Array(raw); // a copy on its own ArrayBuffer
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new TotpkitError('invalid_configuration', BODY_CONSUMED));
    },
  });
}

/** What the body stream fails with when the client goes away before the body's end. */
function abortedError(): Error {
  return new Error('The client closed the connection before the request body ended.');
}

/** How to stop feeding each request's body stream and discard what is left of it. */
const discarders = new WeakMap<IncomingMessage, () => void>();

/**
 * A pull stream over the request: nothing is read until the handler asks (high-water mark 0), so
 * a request refused before its body is read (415, 403…) leaves the socket to Node, which drains it.
 */
function bodyStream(request: IncomingMessage): ReadableStream<Uint8Array> {
  let attached = false;
  let finished = false;
  const discard = () => {
    finished = true;
    request.resume();
  };
  discarders.set(request, discard);
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (attached) {
          request.resume();
          return;
        }
        attached = true;
        // Gone before the handler asked: the events below have already fired.
        if (request.readableAborted || (request.destroyed && !request.readableEnded)) {
          finished = true;
          controller.error(abortedError());
          return;
        }
        request.on('data', (chunk: Buffer) => {
          if (finished) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) request.pause();
        });
        request.once('end', () => {
          if (!finished) controller.close();
          finished = true;
        });
        // A reset connection errors the request; a body cut short by the client may only close it.
        const abort = () => {
          if (!finished) controller.error(abortedError());
          finished = true;
        };
        request.once('error', abort);
        request.once('close', abort);
      },
      cancel: discard,
    },
    { highWaterMark: 0 },
  );
}

/**
 * After the response: whatever of the body the handler did not read is read and thrown away, so
 * the connection can carry the next request and the client receives this response.
 */
export function discardUnreadBody(request: IncomingMessage): void {
  (discarders.get(request) ?? (() => request.resume()))();
}

/** Writes a Fetch `Response` to a Node response. */
export async function sendFetchResponse(response: Response, target: ServerResponse): Promise<void> {
  target.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') target.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) target.setHeader('set-cookie', cookies);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  target.end(body);
}
