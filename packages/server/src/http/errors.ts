/**
 * The error envelope `{ error: { code, message, field?, retryAfter? } }` and the mapping from the
 * service's outcomes to protocol codes.
 *
 * Messages are fixed per code: they never echo a value from the request, so no code, secret or
 * token can leak through an error, and a wrong, replayed or expired code all read the same
 * (ASVS 5.0 §6.3.8). Clients show their own text for each code; these are for developers.
 */
import { ERROR_STATUS, type ErrorCode } from '@totpkit/protocol';
import { isTotpkitError } from '../errors.js';
import type { Failure } from '../service/types.js';
import { type AnswerHeaders, jsonAnswer, type ProtocolAnswer } from './respond.js';

const MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request does not match the protocol.',
  invalid_code: 'The code is not valid.',
  unauthenticated: 'Sign in first.',
  reauthentication_required: 'Sign in again to make this change.',
  forbidden: 'The request was refused for where it came from.',
  deactivation_forbidden: 'Two-factor authentication cannot be turned off for this account.',
  not_active: 'Two-factor authentication is not active.',
  not_found: 'There is no such call.',
  method_not_allowed: 'This call does not take this method.',
  already_active: 'Two-factor authentication is already active.',
  enrollment_expired: 'The setup has expired or was already used; start again.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'The request body must be application/json.',
  rate_limited: 'Too many attempts; try again later.',
  internal_error: 'The server failed to answer.',
  unavailable: 'The service is unavailable; try again later.',
};

export interface ErrorDetails {
  /** A more precise, fixed message for developers. Never include request values. */
  message?: string;
  /** The request field at fault: `code` or `enrollmentToken`. */
  field?: string;
  /** Whole seconds; also sent as `Retry-After`. */
  retryAfter?: number;
  /** More headers, by lower-case name. */
  headers?: Record<string, string>;
}

/** The error envelope with the code's status, and `Retry-After` when there is a wait. */
export function errorAnswer(code: ErrorCode, details: ErrorDetails = {}): ProtocolAnswer {
  const headers: AnswerHeaders = new Map(details.headers ? Object.entries(details.headers) : undefined);
  const error: Record<string, unknown> = { code, message: details.message ?? MESSAGES[code] };
  if (details.field !== undefined) error.field = details.field;
  if (details.retryAfter !== undefined) {
    // RFC 9110 §10.2.3: delay-seconds, a non-negative integer; at least 1 so clients do wait.
    const seconds = Math.max(1, Math.ceil(details.retryAfter));
    error.retryAfter = seconds;
    headers.set('retry-after', String(seconds));
  }
  return jsonAnswer(ERROR_STATUS[code], { error }, headers);
}

/** The answer to an outcome the user caused: a wrong code, a lockout, a spent enrollment. */
export function failureAnswer(failure: Failure): ProtocolAnswer {
  switch (failure.error) {
    case 'invalid_code':
      return errorAnswer('invalid_code', { field: 'code' });
    case 'rate_limited':
      return errorAnswer('rate_limited', { retryAfter: failure.retryAfterSeconds });
    case 'enrollment_expired':
      return errorAnswer('enrollment_expired', { field: 'enrollmentToken' });
  }
}

/**
 * The protocol code for an error the service threw. `internal` is true for the ones that are the
 * server's fault (a host bug, a store that is down), which are reported to `onError`.
 */
export function serviceErrorCode(error: unknown): { code: ErrorCode; internal: boolean; retryAfter?: number } {
  if (!isTotpkitError(error)) return { code: 'internal_error', internal: true };
  switch (error.code) {
    // Too many setups for the account: a 429 with the wait, not a fault.
    case 'rate_limited':
      return { code: 'rate_limited', internal: false, retryAfter: error.retryAfterSeconds ?? 1 };
    case 'not_active':
    case 'already_active':
    case 'reauthentication_required':
    case 'deactivation_forbidden':
      return { code: error.code, internal: false };
    // Fail closed: the store, replay cache, limiter or key material could not be used.
    case 'store_unavailable':
    case 'decryption_failed':
      return { code: 'unavailable', internal: true };
    // `getUser` returned a user without a usable id, or the service is misconfigured: a host bug.
    case 'invalid_user':
    case 'invalid_configuration':
      return { code: 'internal_error', internal: true };
  }
}
