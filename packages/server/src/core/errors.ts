/**
 * Errors thrown by the TOTP core. They are only ever thrown for configuration or programming
 * mistakes (a short secret, a tolerance of 50 steps, a malformed otpauth URL); a user's code, of
 * whatever type, never makes the core throw.
 */

/** What went wrong with a core option or secret. */
export type TotpConfigErrorCode =
  | 'secret_too_short'
  | 'secret_too_long'
  | 'invalid_secret'
  | 'tolerance_too_large'
  | 'invalid_tolerance'
  | 'invalid_digits'
  | 'invalid_period'
  | 'invalid_algorithm'
  | 'invalid_counter'
  | 'invalid_time'
  | 'invalid_after_step'
  | 'invalid_label';

/** A core option or secret is outside what the core supports. */
export class TotpConfigError extends Error {
  override name = 'TotpConfigError';
  readonly code: TotpConfigErrorCode;

  constructor(code: TotpConfigErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** The secret is under 16 bytes (128 bits), the minimum of RFC 4226 §4 R6. */
export class SecretTooShortError extends TotpConfigError {
  override name = 'SecretTooShortError';

  constructor(bytes: number) {
    super(
      'secret_too_short',
      `TOTP secrets must be at least 16 bytes (RFC 4226 §4 R6); got ${bytes}. Generate one with generateTotpSecret().`,
    );
  }
}

/** The verification window is wider than 10 steps either way. */
export class ToleranceTooLargeError extends TotpConfigError {
  override name = 'ToleranceTooLargeError';

  constructor(tolerance: number) {
    super(
      'tolerance_too_large',
      `tolerance must be at most 10 steps; got ${tolerance}. RFC 6238 §5.2 recommends 1, and every extra step makes a guess likelier to succeed.`,
    );
  }
}

/** Why an otpauth URL was refused by `parseTotpUrl`. */
export type TotpUrlErrorCode =
  | 'invalid_url'
  | 'not_otpauth'
  | 'not_totp'
  | 'invalid_label'
  | 'missing_secret'
  | 'invalid_secret'
  | 'unsupported_algorithm'
  | 'unsupported_digits'
  | 'invalid_period'
  | 'issuer_mismatch'
  | 'duplicate_parameter'
  | 'unsupported_encoder';

/** An otpauth URL is not a TOTP key URI that totpkit can use. */
export class TotpUrlError extends Error {
  override name = 'TotpUrlError';
  readonly code: TotpUrlErrorCode;

  constructor(code: TotpUrlErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
