/**
 * Every error a protocol v1 backend may answer, with its HTTP status. The body of any non-2xx
 * response is `{ error: { code, message, field?, retryAfter? } }` (see `ErrorResponse`).
 *
 * The set is closed for v1. A client that meets a code it does not know (from a later protocol
 * version) treats it by its HTTP status class, so a newer backend never breaks an older client.
 */
export const ERROR_STATUS = {
  /** The request is malformed: bad JSON, a wrong field type, an unknown field, a missing header. */
  invalid_request: 400,
  /** The code is wrong, replayed, expired or not a well-formed code: one answer for all of them. */
  invalid_code: 400,
  /** No signed-in user (the host's session lookup found none). */
  unauthenticated: 401,
  /** The host wants a fresh login before this change (NIST SP 800-63B §6.1.2.1). */
  reauthentication_required: 401,
  /** Refused for where it came from: cross-site, a foreign Origin, or a failed CSRF token check. */
  forbidden: 403,
  /** The host's policy does not let this account turn two-factor authentication off. */
  deactivation_forbidden: 403,
  /** The user has no active TOTP authenticator. */
  not_active: 404,
  /** No such call under the base URL. */
  not_found: 404,
  /** The call exists but not with this method; the `Allow` header lists the right one. */
  method_not_allowed: 405,
  /** TOTP is already active; deactivate it first. */
  already_active: 409,
  /** The enrollment token is expired, already used, another user's, or not one of ours. */
  enrollment_expired: 410,
  /** The body is over the backend's limit. */
  payload_too_large: 413,
  /** The body is not `application/json`. */
  unsupported_media_type: 415,
  /** Too many failed codes; wait `retryAfter` seconds (also in the `Retry-After` header). */
  rate_limited: 429,
  /** A bug in the backend or its host; nothing the client can fix. */
  internal_error: 500,
  /** The backend's store, cache or key material is unavailable; the request was refused (fail closed). */
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/**
 * Errors any call may answer, before the call itself runs: the transport checks and the
 * session lookup. `ENDPOINTS[name].errors` lists the ones particular to each call.
 */
export const COMMON_ERRORS = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
  'unavailable',
] as const satisfies readonly ErrorCode[];

/** True when `value` is one of the protocol's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
