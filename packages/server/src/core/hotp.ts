import { TotpConfigError } from './errors.js';
import { createHotpFunction } from './hmac.js';
import { checkAlgorithm, checkDigits, DEFAULTS, type TotpAlgorithm } from './options.js';
import type { TotpSecret } from './secret.js';

export interface HotpOptions {
  /** HMAC hash; default SHA1. */
  algorithm?: TotpAlgorithm;
  /** Code length, 6 to 8; default 6. */
  digits?: number;
}

const TWO_POW_32 = 0x100000000;
const MAX_COUNTER = (1n << 64n) - 1n;

/**
 * Splits a 64-bit counter into the 32-bit halves HOTP hashes (RFC 4226 §5.2 puts it big-endian).
 * Numbers must be safe integers; bigints cover the whole 64-bit range.
 */
export function splitCounter(counter: number | bigint): [high: number, low: number] {
  if (typeof counter === 'bigint') {
    if (counter < 0n || counter > MAX_COUNTER) {
      throw new TotpConfigError('invalid_counter', 'counter must be between 0 and 2^64 - 1.');
    }
    return [Number(counter >> 32n), Number(counter & 0xffffffffn)];
  }
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new TotpConfigError(
      'invalid_counter',
      `counter must be a non-negative safe integer or a bigint; got ${String(counter)}.`,
    );
  }
  return [Math.floor(counter / TWO_POW_32), counter >>> 0];
}

/**
 * The HOTP value of RFC 4226 §5.3: HMAC over the counter, dynamically truncated, reduced modulo
 * 10^digits. allauth's `hotp_value`.
 *
 * @example hotpValue('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1) // 287082 (RFC 4226 Appendix D)
 */
export function hotpValue(secret: TotpSecret, counter: number | bigint, options: HotpOptions = {}): number {
  const algorithm = checkAlgorithm(options.algorithm ?? DEFAULTS.algorithm);
  const digits = checkDigits(options.digits ?? DEFAULTS.digits);
  const [high, low] = splitCounter(counter);
  return createHotpFunction(secret, algorithm)(high, low) % 10 ** digits;
}

/** Zero-pads an HOTP value to `digits` characters: allauth's `format_hotp_value`. */
export function formatHotpValue(value: number, digits: number = DEFAULTS.digits): string {
  checkDigits(digits);
  if (!Number.isInteger(value) || value < 0 || value >= 10 ** digits) {
    throw new TotpConfigError('invalid_digits', `${String(value)} is not a ${digits}-digit HOTP value.`);
  }
  return String(value).padStart(digits, '0');
}
