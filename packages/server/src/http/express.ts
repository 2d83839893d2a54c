/**
 * @totpkit/server/http/express: the handler as Express middleware (Express 4 and 5). Express is
 * an optional peer: this file only uses node:http's types, which Express's request and response
 * extend.
 *
 * Mount it before body parsers. After `express.json()` the adapter can no longer see duplicate
 * keys in the parsed value, so it reads the raw bytes the parser kept in `req.rawBody` (its
 * `verify` callback), and without them refuses the request as a host misconfiguration (500,
 * reported) rather than accept it unchecked. Requests outside the handler's base path go to the
 * next middleware. In `getUser`,
 * `originalRequest<express.Request>(request)` is Express's `req`, with the host's session on it.
 *
 * @example
 * const getUser = (request: Request) => originalRequest<express.Request>(request)?.user ?? null;
 * app.use(totpkitExpress(createTotpHandler({ totpkit, basePath: '/mfa', getUser })));
 */
import type { ServerResponse } from 'node:http';
import type { TotpHandler } from './handler.js';
import { toNodeListener } from './node.js';

export { originalRequest } from './node-request.js';

import type { NodeRequest } from './node-request.js';

/** Express's `RequestHandler`, structurally, so Express need not be installed to type-check. */
export type ExpressMiddleware = (
  request: NodeRequest,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** Wraps a handler from `createTotpHandler` as Express middleware. */
export function totpkitExpress(handler: TotpHandler): ExpressMiddleware {
  const listener = toNodeListener(handler);
  return (request, response, next) => listener(request, response, next);
}
