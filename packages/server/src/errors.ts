/**
 * `TotpkitError` is thrown for misuse and infrastructure failures: calling `verify` for a user
 * without TOTP, a store that is down, a host hook that demands reauthentication. Outcomes the
 * user caused (a wrong code, a lockout, an expired enrollment) are never thrown; the service
 * resolves them as `{ ok: false, error }`.
 */

export type TotpkitErrorCode =
  /** The user has no active TOTP authenticator. */
  | 'not_active'
  /** The user already has an active TOTP authenticator. */
  | 'already_active'
  /** The host's `requireRecentAuth` hook asked for a fresh login first. */
  | 'reauthentication_required'
  /** The host's `canDeactivate` hook refused. */
  | 'deactivation_forbidden'
  /** Too many setups for the account (`setupLimit`); `retryAfterSeconds` says when to try again. */
  | 'rate_limited'
  /** The store, replay cache or rate limiter failed; the request was refused (fail closed). */
  | 'store_unavailable'
  /** A stored secret could not be decrypted: a missing key id, a wrong key, or tampering. */
  | 'decryption_failed'
  /** `createTotpkit` options are invalid. */
  | 'invalid_configuration'
  /** The host passed a user without a usable `id`. */
  | 'invalid_user';

export class TotpkitError extends Error {
  override name = 'TotpkitError';
  readonly code: TotpkitErrorCode;
  /** For `rate_limited`: whole seconds until the call may be made again. */
  readonly retryAfterSeconds?: number;

  constructor(code: TotpkitErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.code = code;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True for a `TotpkitError`, optionally of one code. */
export function isTotpkitError(value: unknown, code?: TotpkitErrorCode): value is TotpkitError {
  return value instanceof TotpkitError && (code === undefined || value.code === code);
}
