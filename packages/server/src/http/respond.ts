/**
 * Every response the handler sends is built here, so that none can miss the headers the protocol
 * requires on all of them:
 * - `Cache-Control: no-store`: setup and activation bodies carry a secret and recovery codes, and no
 *   shared or browser cache may keep any answer (OWASP ASVS 4.0.3 §8.2.1, ASVS 5.0 §14.3.2);
 * - `Content-Type: application/json` and `X-Content-Type-Options: nosniff`, so no browser ever
 *   renders an answer as HTML (OWASP REST Security Cheat Sheet, "Security headers").
 */

const REQUIRED_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Type': 'application/json',
  'X-Content-Type-Options': 'nosniff',
} as const;

/**
 * Headers in any form the `Headers` constructor takes. Spelled from the constructor rather than as
 * the DOM lib's `HeadersInit`, which `@types/node` does not declare: a server compiled with
 * `lib: ["ES2022"]` and `types: ["node"]` must be able to read these types.
 */
export type HeadersInput = ConstructorParameters<typeof Headers>[0];

/** A JSON response with the protocol's headers; `headers` cannot override them. */
export function jsonResponse(status: number, body: unknown, headers?: HeadersInput): Response {
  const all = new Headers(headers);
  for (const [name, value] of Object.entries(REQUIRED_HEADERS)) all.set(name, value);
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: all });
}
