/**
 * Assertions over exchanges, each throwing `CheckFailure` with a short "expected / received" pair.
 * Bodies are checked with the protocol's own schemas, so the kit holds a backend to exactly what
 * the elements will accept.
 */
import * as z from 'zod/mini';
import { ERROR_STATUS, type ErrorCode } from '../errors.js';
import { ErrorResponse } from '../schemas.js';
import type { Exchange } from './client.js';
import { CheckFailure } from './report.js';

/** `400 invalid_code`, `200`, `500 (no error envelope)`, `no response (ECONNRESET)`. */
export function describeResponse(exchange: Exchange): string {
  if (exchange.status === 0) return `no response (${exchange.networkError ?? 'network error'})`;
  if (exchange.status < 400) return String(exchange.status);
  const envelope = z.safeParse(ErrorResponse, exchange.json);
  if (envelope.success) return `${exchange.status} ${envelope.data.error.code}`;
  return exchange.method === 'HEAD' ? String(exchange.status) : `${exchange.status} (no error envelope)`;
}

/** A 2xx with a body that `schema` accepts; returns the parsed body. */
export function expectOk<T>(exchange: Exchange, schema: z.ZodMiniType<T>, status = 200): T {
  if (exchange.status !== status)
    throw new CheckFailure(`${status}`, `${describeResponse(exchange)} to ${exchange.label}`);
  const parsed = z.safeParse(schema, exchange.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the body';
    throw new CheckFailure(`a body that matches the protocol schema`, `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A non-2xx with the error envelope and one of `codes`, with the status of that code. */
export function expectError(exchange: Exchange, ...codes: ErrorCode[]): void {
  const statuses: number[] = codes.map((code) => ERROR_STATUS[code]);
  const expected = codes.map((code) => `${ERROR_STATUS[code]} ${code}`).join(' or ');
  const envelope = z.safeParse(ErrorResponse, exchange.json);
  if (
    !statuses.includes(exchange.status) ||
    !envelope.success ||
    !codes.includes(envelope.data.error.code) ||
    ERROR_STATUS[envelope.data.error.code] !== exchange.status
  ) {
    throw new CheckFailure(expected, `${describeResponse(exchange)} to ${exchange.label}`);
  }
  if (envelope.data.error.code === 'rate_limited' && !exchange.headers.has('retry-after')) {
    throw new CheckFailure('a Retry-After header with 429', 'none');
  }
}

/** A refusal of a HEAD request: only the status and headers can be checked. */
export function expectStatus(exchange: Exchange, status: number): void {
  if (exchange.status !== status)
    throw new CheckFailure(String(status), `${describeResponse(exchange)} to ${exchange.label}`);
}

/** 405 with an `Allow` header that lists `method` (RFC 9110 §15.5.6). */
export function expectMethodNotAllowed(exchange: Exchange, method: string): void {
  if (exchange.method === 'HEAD') expectStatus(exchange, 405);
  else expectError(exchange, 'method_not_allowed');
  const allow = (exchange.headers.get('allow') ?? '').split(',').map((part) => part.trim().toUpperCase());
  if (!allow.includes(method)) {
    throw new CheckFailure(`an Allow header listing ${method}`, exchange.headers.get('allow') ?? 'no Allow header');
  }
}

/** The response does not let `origin` (or every origin) read it (CORS, ASVS 4.0.3 §14.5.3). */
export function expectNoCorsGrant(exchange: Exchange, origin: string): void {
  const granted = exchange.headers.get('access-control-allow-origin');
  if (granted !== null && (granted === origin || granted === '*' || granted === 'null')) {
    throw new CheckFailure('no Access-Control-Allow-Origin for this origin', `Access-Control-Allow-Origin: ${granted}`);
  }
}

/** Fails unless `condition` holds. */
export function expectThat(condition: boolean, expected: string, received: string): asserts condition {
  if (!condition) throw new CheckFailure(expected, received);
}
