/**
 * @totpkit/server/http/node: the handler as a node:http request listener. It calls the protocol's
 * rules directly on the Node request (node-request.ts): no Fetch `Request` or `Response` is made.
 *
 * @example
 * http.createServer(toNodeListener(handler)).listen(3000);
 * // or, next to other routes:
 * const totp = toNodeListener(handler);
 * http.createServer((req, res) => totp(req, res, () => app(req, res)));
 */
import type { ServerResponse } from 'node:http';
import { errorAnswer } from './errors.js';
import type { TotpHandler } from './handler.js';
import { nodeAnswerer } from './node-bridge.js';
import { type NodeRequest, writeAnswer } from './node-request.js';

export { type NodeRequest, originalRequest } from './node-request.js';

/**
 * A node:http (and Connect-style) listener. With `next`, requests outside the handler's base path
 * go to `next()`, and an unexpected error to `next(error)`; without it, they get the handler's
 * 404 and a 500 envelope.
 */
export type NodeListener = (request: NodeRequest, response: ServerResponse, next?: (error?: unknown) => void) => void;

/** Wraps a handler from `createTotpHandler` for node:http. */
export function toNodeListener(handler: TotpHandler): NodeListener {
  const answer = nodeAnswerer(handler);
  return (request, response, next) => {
    if (next && !handler.handles(request.originalUrl ?? request.url ?? '/')) return next();
    answer(request, request)
      .then((answered) => writeAnswer(answered, response))
      .catch((error: unknown) => {
        if (next) return next(error);
        try {
          if (!response.headersSent) return writeAnswer(errorAnswer('internal_error'), response);
        } catch {
          // fall through: nothing more can be said on this connection
        }
        response.destroy();
      });
  };
}
