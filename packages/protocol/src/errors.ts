/**
 * Every error a protocol v1 backend may answer, with its HTTP status. The body of any non-2xx
 * response is `{ error: { code, message, field?, retryAfter? } }`.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_code: 400,
  unauthenticated: 401,
  reauthentication_required: 401,
  not_active: 404,
  method_not_allowed: 405,
  already_active: 409,
  enrollment_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** True when `value` is one of the protocol's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
