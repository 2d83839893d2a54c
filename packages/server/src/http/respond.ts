/**
 * Every answer the protocol gives is built here, so that none can miss the headers the protocol
 * requires on all of them:
 * - `Cache-Control: no-store`: setup and activation bodies carry a secret and recovery codes, and no
 *   shared or browser cache may keep any answer (OWASP ASVS 4.0.3 §8.2.1, ASVS 5.0 §14.3.2);
 * - `Content-Type: application/json` and `X-Content-Type-Options: nosniff`, so no browser ever
 *   renders an answer as HTML (OWASP REST Security Cheat Sheet, "Security headers").
 *
 * An answer is plain data (status, headers, body text), not a Fetch `Response`: the Fetch handler
 * turns it into one, the Node adapters write it straight to the socket.
 */

/**
 * Headers in any form the `Headers` constructor takes. Spelled from the constructor rather than as
 * the DOM lib's `HeadersInit`, which `@types/node` does not declare: a server compiled with
 * `lib: ["ES2022"]` and `types: ["node"]` must be able to read these types.
 */
export type HeadersInput = ConstructorParameters<typeof Headers>[0];

/**
 * Response headers by lower-case name. Only `set-cookie` holds a list: it is the one header that
 * cannot be folded into one line (RFC 9110 §5.3).
 */
export type AnswerHeaders = Map<string, string | string[]>;

/** What the protocol answers, for any transport. */
export interface ProtocolAnswer {
  status: number;
  headers: AnswerHeaders;
  /** The JSON text; null for a 204 and for HEAD. */
  body: string | null;
}

const REQUIRED_HEADERS: [string, string][] = [
  ['cache-control', 'no-store'],
  ['content-type', 'application/json'],
  ['x-content-type-options', 'nosniff'],
];

/** A JSON answer with the protocol's headers; `headers` (lower-case names) cannot override them. */
export function jsonAnswer(status: number, body: unknown, headers: AnswerHeaders = new Map()): ProtocolAnswer {
  for (const [name, value] of REQUIRED_HEADERS) headers.set(name, value);
  return { status, headers, body: body === null ? null : JSON.stringify(body) };
}

/**
 * Headers a host hook returned (`afterVerify`), read as the `Headers` constructor reads them, so
 * a name or value it refuses fails the same way on every transport.
 */
export function hostHeaders(input: HeadersInput | undefined): AnswerHeaders {
  const headers: AnswerHeaders = new Map();
  if (input === undefined) return headers;
  const parsed = new Headers(input);
  for (const [name, value] of parsed) if (name !== 'set-cookie') headers.set(name, value);
  const cookies = parsed.getSetCookie();
  if (cookies.length > 0) headers.set('set-cookie', cookies);
  return headers;
}
