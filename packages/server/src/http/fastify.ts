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
import { nodeAnswerer } from './node-bridge.js';

export { originalRequest } from './node-request.js';

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

const EMPTY = Buffer.alloc(0);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Wraps a handler from `createTotpHandler` as a Fastify plugin, for `app.register(…)`. */
export function totpkitFastify(handler: TotpHandler): (instance: FastifyInstanceLike) => Promise<void> {
  const answer = nodeAnswerer(handler);
  const onRequest = async (request: FastifyRequestLike, reply: FastifyReplyLike) => {
    const { status, headers, body } = await answer(request.raw, request);
    reply.code(status);
    for (const [name, value] of headers) reply.header(name, value);
    // Replying from the hook ends the request here (Fastify "Hooks: Respond to a request from a hook").
    // Bytes, not a string: Fastify would add `; charset=utf-8` to a string's Content-Type, and
    // serialise a missing body (204, HEAD) as JSON `null`.
    return reply.send(body === null ? EMPTY : Buffer.from(body));
  };
  return async (instance) => {
    const base = handler.basePath;
    for (const url of base === '' ? ['/', '/*'] : [base, `${base}/*`]) {
      instance.route({ method: METHODS, url, onRequest, handler: () => undefined });
    }
  };
}
