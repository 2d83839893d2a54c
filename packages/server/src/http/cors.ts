/**
 * CORS for elements served from another origin. The allowlist is exact: an origin is echoed only
 * when it is, character for character, one the host listed. No `*`, no `null`, no suffix or regex
 * match (ASVS 4.0.3 §14.5.3; PortSwigger's CORS misconfiguration classes), and `Vary: Origin`
 * on every answer so no cache mixes them up.
 */
import { errorAnswer } from './errors.js';
import type { ResolvedHandlerOptions } from './options.js';
import type { ProtocolRequest } from './request.js';
import { type AnswerHeaders, jsonAnswer, type ProtocolAnswer } from './respond.js';

type Cors = NonNullable<ResolvedHandlerOptions['cors']>;

/** Adds the CORS headers to an actual (non-preflight) answer; only `Vary` when the origin is not listed. */
export function addCorsHeaders(request: ProtocolRequest, cors: Cors, headers: AnswerHeaders): void {
  headers.set('vary', 'Origin');
  const origin = request.header('origin');
  if (origin === null || !cors.origins.has(origin)) return;
  headers.set('access-control-allow-origin', origin);
  if (cors.credentials) headers.set('access-control-allow-credentials', 'true');
  // Retry-After is not a CORS-safelisted response header; clients need it after a 429.
  headers.set('access-control-expose-headers', 'Retry-After');
}

/**
 * The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`): 204 with the grant
 * for a listed origin asking for the call's method, otherwise 403 without any grant. The grant
 * names the allowed request headers; a browser refuses to send any other, so a header the host
 * did not list never reaches it from another origin.
 */
export function preflightAnswer(request: ProtocolRequest, cors: Cors, methods: readonly string[]): ProtocolAnswer {
  const origin = request.header('origin');
  const method = request.header('access-control-request-method');
  if (origin === null || method === null || !cors.origins.has(origin) || !methods.includes(method)) {
    return errorAnswer('forbidden', { message: 'This origin or method may not call the protocol.' });
  }
  const headers: AnswerHeaders = new Map([
    ['access-control-allow-methods', methods.join(', ')],
    ['access-control-allow-headers', cors.allowHeaders.join(', ')],
    ['access-control-max-age', String(cors.maxAge)],
  ]);
  return jsonAnswer(204, null, headers);
}
