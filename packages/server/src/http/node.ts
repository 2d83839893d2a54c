/**
 * @totpkit/server/http/node: the handler as a node:http request listener.
 *
 * @example
 * http.createServer(toNodeListener(handler)).listen(3000);
 * // or, next to other routes:
 * const totp = toNodeListener(handler);
 * http.createServer((req, res) => totp(req, res, () => app(req, res)));
 */
import type { ServerResponse } from 'node:http';
import { errorResponse } from './errors.js';
import type { TotpHandler } from './handler.js';
import { answerNodeRequest, discardUnreadBody, type NodeRequest, sendFetchResponse } from './node-bridge.js';

export { type NodeRequest, originalRequest } from './node-bridge.js';

/**
 * A node:http (and Connect-style) listener. With `next`, requests outside the handler's base path
 * go to `next()`, and an unexpected error to `next(error)`; without it, they get the handler's
 * 404 and a 500 envelope.
 */
export type NodeListener = (request: NodeRequest, response: ServerResponse, next?: (error?: unknown) => void) => void;

/** Wraps a handler from `createTotpHandler` for node:http. */
export function toNodeListener(handler: TotpHandler): NodeListener {
  return (request, response, next) => {
    if (next && !handler.handles(request.originalUrl ?? request.url ?? '/')) return next();
    serve(handler, request, response).catch((error: unknown) => {
      if (next) return next(error);
      if (!response.headersSent) {
        sendFetchResponse(errorResponse('internal_error'), response).catch(() => response.destroy());
      } else response.destroy();
    });
  };
}

async function serve(handler: TotpHandler, request: NodeRequest, response: ServerResponse): Promise<void> {
  try {
    await sendFetchResponse(await answerNodeRequest(handler, request), response);
  } finally {
    discardUnreadBody(request);
  }
}
