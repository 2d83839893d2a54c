import { ToleranceTooLargeError, TotpConfigError } from './errors.js';

/** The HMAC hash functions of RFC 6238 §1.2. SHA1 is the only one every authenticator app honours. */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export const ALGORITHMS: readonly TotpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

/** Defaults from DESIGN.md: what Google Authenticator and every other app understand. */
export const DEFAULTS = {
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  tolerance: 1,
  secretBytes: 20,
} as const satisfies {
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
  tolerance: number;
  secretBytes: number;
};

export const MIN_DIGITS = 6;
export const MAX_DIGITS = 8;
/** NIST SP 800-63B §5.1.4.1: the time nonce must change at least every two minutes. */
export const MAX_PERIOD = 120;
export const MAX_TOLERANCE = 10;
/** RFC 4226 §4 R6. */
export const MIN_SECRET_BYTES = 16;
/** Far beyond any real key; bounds the work a hostile otpauth URL can cause. */
export const MAX_SECRET_BYTES = 128;

export function checkDigits(digits: unknown): number {
  if (!Number.isInteger(digits) || (digits as number) < MIN_DIGITS || (digits as number) > MAX_DIGITS) {
    throw new TotpConfigError('invalid_digits', `digits must be an integer from 6 to 8; got ${String(digits)}.`);
  }
  return digits as number;
}

export function checkPeriod(period: unknown): number {
  if (!Number.isInteger(period) || (period as number) < 1 || (period as number) > MAX_PERIOD) {
    throw new TotpConfigError(
      'invalid_period',
      `period must be a whole number of seconds from 1 to 120 (NIST SP 800-63B §5.1.4.1); got ${String(period)}.`,
    );
  }
  return period as number;
}

export function checkAlgorithm(algorithm: unknown): TotpAlgorithm {
  if (!ALGORITHMS.includes(algorithm as TotpAlgorithm)) {
    throw new TotpConfigError(
      'invalid_algorithm',
      `algorithm must be one of ${ALGORITHMS.join(', ')}; got ${String(algorithm)}.`,
    );
  }
  return algorithm as TotpAlgorithm;
}

export function checkTolerance(tolerance: unknown): number {
  if (!Number.isInteger(tolerance) || (tolerance as number) < 0) {
    throw new TotpConfigError(
      'invalid_tolerance',
      `tolerance must be a whole number of steps ≥ 0; got ${String(tolerance)}.`,
    );
  }
  if ((tolerance as number) > MAX_TOLERANCE) throw new ToleranceTooLargeError(tolerance as number);
  return tolerance as number;
}

/** Unix time in seconds; fractions are allowed and floored by the step computation. */
export function checkTime(time: unknown): number {
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0 || time > Number.MAX_SAFE_INTEGER) {
    throw new TotpConfigError(
      'invalid_time',
      `time must be a non-negative number of Unix seconds; got ${String(time)}.`,
    );
  }
  return time;
}

export function nowSeconds(): number {
  return Date.now() / 1000;
}
