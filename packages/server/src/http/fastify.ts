/**
 * @totpkit/server/http/fastify: the handler as a Fastify plugin (Fastify 4 and 5). Fastify is an
 * optional peer: the types below are structural.
 *
 * The plugin answers in an `onRequest` hook, before Fastify's content-type parsing, so the
 * handler sees the raw body and applies the protocol's own checks (415, 413, duplicate keys)
 * instead of Fastify's. Fastify's `onSend` and `onResponse` hooks and its logging still run.
 * Register it without a `prefix`: the handler's `basePath` is the prefix. In `getUser`,
 * `originalRequest<FastifyRequest>(request)` is Fastify's request, with the host's session on it
 * (set by an `onRequest` hook registered before this plugin).
 *
 * @example
 * await app.register(totpkitFastify(createTotpHandler({ totpkit, basePath: '/mfa', getUser })));
 */
import type { IncomingMessage } from 'node:http';
import type { TotpHandler } from './handler.js';
import { answerNodeRequest, discardUnreadBody } from './node-bridge.js';

export { originalRequest } from './node-bridge.js';

/** The parts of a Fastify request the plugin uses. */
export interface FastifyRequestLike {
  raw: IncomingMessage;
}

/** The parts of a Fastify reply the plugin uses. */
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string | string[]): FastifyReplyLike;
  send(payload?: Buffer): FastifyReplyLike;
}

/** The parts of a Fastify instance the plugin uses. */
export interface FastifyInstanceLike {
  route(options: {
    method: string[];
    url: string;
    onRequest: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => unknown;
  }): unknown;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Wraps a handler from `createTotpHandler` as a Fastify plugin, for `app.register(…)`. */
export function totpkitFastify(handler: TotpHandler): (instance: FastifyInstanceLike) => Promise<void> {
  const onRequest = async (request: FastifyRequestLike, reply: FastifyReplyLike) => {
    const response = await answerNodeRequest(handler, request.raw, request);
    reply.code(response.status);
    for (const [name, value] of response.headers) if (name !== 'set-cookie') reply.header(name, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) reply.header('set-cookie', cookies);
    const body = Buffer.from(await response.arrayBuffer());
    discardUnreadBody(request.raw);
    // Replying from the hook ends the request here (Fastify "Hooks: Respond to a request from a hook").
    return reply.send(body);
  };
  return async (instance) => {
    const base = handler.basePath;
    for (const url of base === '' ? ['/', '/*'] : [base, `${base}/*`]) {
      instance.route({ method: METHODS, url, onRequest, handler: () => undefined });
    }
  };
}
