/**
 * Cross-site request forgery defences, in the order the handler applies them:
 *
 * 1. Fetch metadata and Origin (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata headers" and
 *    "Verifying origin with standard headers"; the same algorithm as Go 1.25's
 *    `http.CrossOriginProtection`):
 *    - `Sec-Fetch-Site: same-origin` (or `none`, a user-initiated request) passes;
 *    - any other `Sec-Fetch-Site` value (`same-site`, `cross-site`, or one this code does not know)
 *      passes only with an `Origin` on the trusted list;
 *    - without `Sec-Fetch-Site` (older browsers), an `Origin` must match the request's host or be
 *      trusted; `Origin: null` never passes;
 *    - with neither header the request is not from a browser, and passes.
 * 2. The `Totpkit-Protocol` header (checked by the handler): a cross-origin browser request cannot
 *    carry it without a CORS preflight, which only `cors.origins` pass (ASVS 5.0 §3.5.2).
 * 3. The host's optional CSRF token, when `csrf.verify` is configured.
 */
import type { ProtocolRequest } from './request.js';

/** True when the request may have come from the page that is allowed to call the protocol. */
export function originAllowed(request: ProtocolRequest, trustedOrigins: ReadonlySet<string>): boolean {
  const site = request.header('sec-fetch-site');
  const origin = request.header('origin');
  if (site !== null) {
    if (site === 'same-origin' || site === 'none') return true;
    return origin !== null && trustedOrigins.has(origin);
  }
  if (origin === null) return true;
  if (origin === 'null') return false;
  if (trustedOrigins.has(origin)) return true;
  // Host, not scheme: behind a TLS-terminating proxy the request URL says http while the browser
  // says https (Go's CrossOriginProtection makes the same choice).
  try {
    return new URL(origin).host === new URL(request.url()).host;
  } catch {
    return false;
  }
}
