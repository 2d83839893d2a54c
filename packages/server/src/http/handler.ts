/**
 * `createTotpHandler`: the protocol over the Fetch API, `(request: Request) => Promise<Response>`,
 * so it runs as-is in Hono, Next.js route handlers, Bun, Deno and Cloudflare Workers. The rules
 * themselves are in core.ts; this file only reads a Fetch `Request` for them and turns their
 * answer into a `Response`. The node:http, Express and Fastify adapters call the same core
 * without any Fetch object. This file and its imports use no Node-only API.
 */
import { createProtocolCore, registerCore } from './core.js';
import { resolveHandlerOptions, type TotpHandlerOptions } from './options.js';
import type { ProtocolRequest } from './request.js';
import type { ProtocolAnswer } from './respond.js';
import { pathOf } from './routes.js';

/** The handler, with what an adapter needs to fall through to the host's own routes. */
export interface TotpHandler {
  (request: Request): Promise<Response>;
  /** The normalised base path, such as `/mfa` ('' for the root). */
  readonly basePath: string;
  /**
   * True when the request's path is the base path or below it. Outside it the handler answers a
   * 404 `not_found`; a host that shares a server with other routes asks `handles` first and passes
   * other requests on.
   */
  handles(request: Request | string): boolean;
}

/**
 * Creates the handler.
 * @throws TotpkitError `invalid_configuration` when an option is unusable.
 */
export function createTotpHandler(options: TotpHandlerOptions): TotpHandler {
  const settings = resolveHandlerOptions(options);
  const core = createProtocolCore(settings);
  const handler = async (request: Request): Promise<Response> =>
    toResponse(await core.answer(describeFetchRequest(request)));
  const totpHandler = Object.assign(handler, {
    basePath: settings.basePath,
    handles: (request: Request | string) => core.router.handles(pathOf(request)),
  });
  registerCore(totpHandler, core);
  return totpHandler;
}

function describeFetchRequest(request: Request): ProtocolRequest {
  return {
    method: request.method,
    path: pathOf(request),
    header: (name) => request.headers.get(name),
    url: () => request.url,
    body: () => request.body?.getReader() ?? null,
    hostRequest: request,
  };
}

function toResponse(answer: ProtocolAnswer): Response {
  const headers = new Headers();
  for (const [name, value] of answer.headers) {
    if (typeof value === 'string') headers.set(name, value);
    else for (const each of value) headers.append(name, each);
  }
  return new Response(answer.body, { status: answer.status, headers });
}
