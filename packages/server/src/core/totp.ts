import { TotpConfigError } from './errors.js';
import { createHotpFunction } from './hmac.js';
import { formatHotpValue } from './hotp.js';
import { normalizeCode } from './normalize.js';
import {
  checkAlgorithm,
  checkDigits,
  checkPeriod,
  checkTime,
  checkTolerance,
  DEFAULTS,
  nowSeconds,
  type TotpAlgorithm,
} from './options.js';
import type { TotpSecret } from './secret.js';

export interface TotpOptions {
  /** Unix time in seconds; defaults to now. Never take it from a request (ASVS 5 §6.5.8). */
  time?: number;
  /** Step length in seconds, 1 to 120; default 30. */
  period?: number;
  /** Code length, 6 to 8; default 6. */
  digits?: number;
  /** HMAC hash; default SHA1. */
  algorithm?: TotpAlgorithm;
}

export interface VerifyTotpOptions extends TotpOptions {
  /** Steps accepted either side of the current one, 0 to 10; default 1 (RFC 6238 §5.2). */
  tolerance?: number;
  /**
   * The last step this authenticator accepted. Steps at or below it are refused, which is what
   * makes each code single-use (RFC 6238 §5.2) and stops an older code in the window being
   * accepted after a newer one. `null` or omitted: no step has been used.
   */
  afterStep?: number | null;
}

export type VerifyTotpResult =
  | {
      ok: true;
      /** The matched time step; store it as the new `afterStep`. */
      step: number;
      /** Matched step minus the current step: -1 means the user's clock runs a step behind. */
      drift: number;
    }
  | { ok: false };

const TWO_POW_32 = 0x100000000;

/** The RFC 6238 time step T = floor((time - T0) / X), with T0 = 0. */
export function totpStep(time: number, period: number = DEFAULTS.period): number {
  return Math.floor(checkTime(time) / checkPeriod(period));
}

/**
 * The TOTP code for `time` (RFC 6238 §4).
 *
 * @example totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', { time: 59 }) // '287082'
 */
export function totpCode(secret: TotpSecret, options: TotpOptions = {}): string {
  const period = checkPeriod(options.period ?? DEFAULTS.period);
  const digits = checkDigits(options.digits ?? DEFAULTS.digits);
  const algorithm = checkAlgorithm(options.algorithm ?? DEFAULTS.algorithm);
  const step = totpStep(options.time ?? nowSeconds(), period);
  const value = createHotpFunction(secret, algorithm)(Math.floor(step / TWO_POW_32), step >>> 0);
  return formatHotpValue(value % 10 ** digits, digits);
}

function checkAfterStep(afterStep: unknown): number {
  if (afterStep === undefined || afterStep === null) return -1;
  if (!Number.isSafeInteger(afterStep) || (afterStep as number) < -1) {
    throw new TotpConfigError(
      'invalid_after_step',
      `afterStep must be a step number or null; got ${String(afterStep)}.`,
    );
  }
  return afterStep as number;
}

/**
 * Checks a user's code against every step in the window.
 *
 * - The code goes through `normalizeCode` first; anything that is not exactly `digits` digits
 *   after NFKC and dropping spaces and hyphens fails without any HMAC work. It never throws on
 *   `code`, whatever its type.
 * - Every step of the window is computed and compared, with no early exit and no branch on the
 *   comparison, so the time taken does not reveal which step matched or whether one did.
 * - Steps at or below `afterStep` never match.
 *
 * @throws TotpConfigError for bad options or a bad secret (server configuration, not user input).
 */
export function verifyTotp(secret: TotpSecret, code: unknown, options: VerifyTotpOptions = {}): VerifyTotpResult {
  const period = checkPeriod(options.period ?? DEFAULTS.period);
  const digits = checkDigits(options.digits ?? DEFAULTS.digits);
  const algorithm = checkAlgorithm(options.algorithm ?? DEFAULTS.algorithm);
  const tolerance = checkTolerance(options.tolerance ?? DEFAULTS.tolerance);
  const afterStep = checkAfterStep(options.afterStep);
  const current = totpStep(options.time ?? nowSeconds(), period);
  const hotp = createHotpFunction(secret, algorithm);

  const normalized = normalizeCode(code, digits);
  if (normalized === null) return { ok: false };
  const expected = Number(normalized);
  const modulus = 10 ** digits;

  let found = 0;
  let matchedStep = 0;
  for (let offset = -tolerance; offset <= tolerance; offset++) {
    const step = current + offset;
    // A step before 1970 cannot be used; hash step 0 in its place so the work stays the same.
    const eligible = ((step >= 0) as unknown as number) & ((step > afterStep) as unknown as number);
    const hashed = Math.max(step, 0);
    const value = hotp(Math.floor(hashed / TWO_POW_32), hashed >>> 0) % modulus;
    const equal = (((value ^ expected) - 1) >> 31) & 1; // 1 when value === expected
    const hit = equal & eligible;
    found |= hit;
    matchedStep += hit * (step - matchedStep);
  }
  return found === 1 ? { ok: true, step: matchedStep, drift: matchedStep - current } : { ok: false };
}

/**
 * allauth's `validate_totp_code`: true when `code` is valid now. Prefer `verifyTotp` with
 * `afterStep`, which also gives the step to store for one-time use.
 */
export function validateTotpCode(secret: TotpSecret, code: unknown, options: VerifyTotpOptions = {}): boolean {
  return verifyTotp(secret, code, options).ok;
}
