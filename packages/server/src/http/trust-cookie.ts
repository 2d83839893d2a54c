/**
 * The trusted-browser cookie: how the handler writes it and how the host's login code reads it.
 *
 * Its attributes are fixed, not options: `HttpOnly` (no script reads the token), `Secure` (never
 * sent over plain HTTP), `SameSite=Lax` (not sent on cross-site subrequests or posts) and `Path=/`
 * with no `Domain`, which the default `__Host-` name makes the browser enforce: a subdomain or a
 * plain-HTTP page cannot plant or overwrite it (RFC 6265bis §4.1.3.2). A host that needs other
 * attributes sets its own cookie (`trustCookie: false`).
 * This file uses no Node-only API.
 */
import { DEFAULT_TRUST_COOKIE } from './options.js';

const ATTRIBUTES = 'Path=/; HttpOnly; Secure; SameSite=Lax';

/** `Set-Cookie` for a trust token that lasts `maxAgeSeconds`. */
export function trustCookieHeader(name: string, token: string, maxAgeSeconds: number): string {
  return `${name}=${token}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; ${ATTRIBUTES}`;
}

/** `Set-Cookie` that makes the browser drop the trust cookie at once. */
export function clearedTrustCookieHeader(name: string): string {
  return `${name}=; Max-Age=0; ${ATTRIBUTES}`;
}

/** Anything a host's login code has at hand that carries the request's headers. */
export type HeadersOrRequest =
  /** A Fetch `Request`, Express's `req`, node:http's `IncomingMessage`, Fastify's `request`. */
  | { headers: unknown }
  /** A Fetch `Headers`. */
  | { get(name: string): string | null }
  /** node:http's `IncomingHttpHeaders`, or any record of header names. */
  | Record<string, string | string[] | undefined>;

/**
 * The trust token in the request's `Cookie` header, for `totpkit.isBrowserTrusted(user, token)`
 * in the host's login code; null when there is none. Pass the handler's `trustCookie.name` if you
 * changed it.
 *
 * @example
 * if (await totpkit.isBrowserTrusted(user, readTrustCookie(req))) completeLogin(user);
 * else askForTheSecondFactor(user);
 */
export function readTrustCookie(source: HeadersOrRequest, name: string = DEFAULT_TRUST_COOKIE): string | null {
  const header = cookieHeader(source);
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    // A cookie set twice (one planted under another path) is not resolved by guessing: the first
    // one is the most specific path's (RFC 6265 §5.4), which `__Host-` pins to `/`.
    return value === '' ? null : value;
  }
  return null;
}

function cookieHeader(source: HeadersOrRequest): string | null {
  if (!source || typeof source !== 'object') return null;
  if (typeof (source as { get?: unknown }).get === 'function' && !('headers' in source)) {
    return (source as { get(name: string): string | null }).get('cookie');
  }
  const headers = 'headers' in source ? (source as { headers: unknown }).headers : source;
  if (!headers || typeof headers !== 'object') return null;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get('cookie');
  }
  const value = (headers as Record<string, unknown>).cookie;
  if (typeof value === 'string') return value;
  // HTTP/2 may split Cookie into several fields; they join with "; " (RFC 9113 §8.2.3).
  return Array.isArray(value) ? value.filter((each) => typeof each === 'string').join('; ') : null;
}
