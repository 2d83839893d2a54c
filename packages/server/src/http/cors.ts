/**
 * CORS for elements served from another origin. The allowlist is exact: an origin is echoed only
 * when it is, character for character, one the host listed. No `*`, no `null`, no suffix or regex
 * match (ASVS 4.0.3 §14.5.3; PortSwigger's CORS misconfiguration classes), and `Vary: Origin`
 * on every answer so no cache mixes them up.
 */
import { errorResponse } from './errors.js';
import type { ResolvedHandlerOptions } from './options.js';
import { jsonResponse } from './respond.js';

type Cors = NonNullable<ResolvedHandlerOptions['cors']>;

/** The CORS headers for an actual (non-preflight) response; only `Vary` when the origin is not listed. */
export function corsHeaders(request: Request, cors: Cors): Headers {
  const headers = new Headers({ Vary: 'Origin' });
  const origin = request.headers.get('origin');
  if (origin === null || !cors.origins.has(origin)) return headers;
  headers.set('Access-Control-Allow-Origin', origin);
  if (cors.credentials) headers.set('Access-Control-Allow-Credentials', 'true');
  // Retry-After is not a CORS-safelisted response header; clients need it after a 429.
  headers.set('Access-Control-Expose-Headers', 'Retry-After');
  return headers;
}

/**
 * The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`): 204 with the grant
 * for a listed origin asking for the call's method, otherwise 403 without any grant. The grant
 * names the allowed request headers; a browser refuses to send any other, so a header the host
 * did not list never reaches it from another origin.
 */
export function preflightResponse(request: Request, cors: Cors, methods: readonly string[]) {
  const origin = request.headers.get('origin');
  const method = request.headers.get('access-control-request-method');
  if (origin === null || method === null || !cors.origins.has(origin) || !methods.includes(method)) {
    return errorResponse('forbidden', { message: 'This origin or method may not call the protocol.' });
  }
  const headers = new Headers({
    'Access-Control-Allow-Methods': methods.join(', '),
    'Access-Control-Allow-Headers': cors.allowHeaders.join(', '),
    'Access-Control-Max-Age': String(cors.maxAge),
  });
  return jsonResponse(204, null, headers);
}
