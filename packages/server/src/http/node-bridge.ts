/**
 * Between a Node request and a handler, for the three Node adapters. A handler from
 * `createTotpHandler` is answered through its protocol core, with no Fetch object. Any other
 * function with the handler's shape (a wrapper the host wrote around one, say) can only be called
 * the Fetch way round: its `Request` is made from the same description the native path uses
 * (node-request.ts: raw target, body reader, `rawBody` rule), and its `Response` read back into
 * an answer.
 */
import { coreOf } from './core.js';
import { errorAnswer } from './errors.js';
import type { TotpHandler } from './handler.js';
import {
  describeNodeRequest,
  fetchHeaders,
  type NodeExchange,
  type NodeRequest,
  requestUrl,
  setOriginalRequest,
  targetOf,
} from './node-request.js';
import type { BodyReader } from './request.js';
import type { AnswerHeaders, ProtocolAnswer } from './respond.js';
import { setRawTarget } from './routes.js';

/**
 * How the adapters answer a Node request with `handler`: through its protocol core when it came
 * from `createTotpHandler`, over Fetch otherwise. What the answer left unread of the body is
 * discarded once it is known. `original` is what `originalRequest` returns to the host's hooks.
 */
export function nodeAnswerer(
  handler: TotpHandler,
): (request: NodeRequest, original: unknown) => Promise<ProtocolAnswer> {
  const core = coreOf(handler);
  return async (request, original) => {
    const exchange = describeNodeRequest(request, original);
    try {
      return core ? await core.answer(exchange) : await answerOverFetch(handler, request, exchange, original);
    } finally {
      exchange.discardUnread();
    }
  };
}

/**
 * `handler`'s answer to a Node request. A header value the Fetch API refuses makes the request
 * malformed, not the server: it gets a 400 without reaching the handler.
 */
async function answerOverFetch(
  handler: (request: Request) => Promise<Response>,
  request: NodeRequest,
  exchange: NodeExchange,
  original: unknown,
): Promise<ProtocolAnswer> {
  let fetchRequest: Request;
  try {
    fetchRequest = toFetchRequest(request, exchange);
  } catch {
    return errorAnswer('invalid_request', { message: 'A request header is not valid.' });
  }
  setOriginalRequest(fetchRequest, original);
  return fromResponse(await handler(fetchRequest));
}

function toFetchRequest(request: NodeRequest, exchange: NodeExchange): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: exchange.method, headers: fetchHeaders(request) };
  const reader = exchange.body();
  if (reader !== null) {
    init.body = bodyStream(reader);
    init.duplex = 'half';
  }
  const fetchRequest = new Request(requestUrl(request), init);
  setRawTarget(fetchRequest, targetOf(request));
  return fetchRequest;
}

/** A pull stream over the reader: nothing is read until the handler asks (high-water mark 0). */
function bodyStream(reader: BodyReader): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await reader.read();
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: () => reader.cancel(),
    },
    { highWaterMark: 0 },
  );
}

async function fromResponse(response: Response): Promise<ProtocolAnswer> {
  const headers: AnswerHeaders = new Map();
  for (const [name, value] of response.headers) if (name !== 'set-cookie') headers.set(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers.set('set-cookie', cookies);
  return { status: response.status, headers, body: response.body ? await response.text() : null };
}
