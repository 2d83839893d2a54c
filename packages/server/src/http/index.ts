/**
 * @totpkit/server/http: the protocol handler on the Fetch API. Adapters for node:http, Express and
 * Fastify are separate entries (`/http/node`, `/http/express`, `/http/fastify`), so this one stays
 * free of Node-only code and runs in any runtime with `Request` and `Response`.
 *
 * @example
 * const handler = createTotpHandler({ totpkit, basePath: '/mfa', getUser: (request) => sessionUser(request) });
 * export { handler as GET, handler as POST }; // a Next.js route handler at app/mfa/[...path]/route.ts
 */
export { createTotpHandler, type TotpHandler } from './handler.js';
export type {
  CallContext,
  CorsOptions,
  CsrfOptions,
  ReauthenticatedContext,
  TotpHandlerOptions,
  TrustCookieOptions,
  VerifiedContext,
} from './options.js';
export { DEFAULT_TRUST_COOKIE } from './options.js';
export type { HeadersInput } from './respond.js';
export { type HeadersOrRequest, readTrustCookie } from './trust-cookie.js';
