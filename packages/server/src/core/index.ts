/**
 * The TOTP core of @totpkit/server: RFC 4226 HOTP, RFC 6238 TOTP, Google's Key Uri Format and QR
 * codes. Isomorphic: it runs in Node, browsers and edge runtimes. Names follow django-allauth's
 * `allauth.mfa.totp.internal.auth` in camelCase.
 */
export { base32Decode, base32Encode } from './base32.js';
export {
  SecretTooShortError,
  ToleranceTooLargeError,
  TotpConfigError,
  type TotpConfigErrorCode,
  TotpUrlError,
  type TotpUrlErrorCode,
} from './errors.js';
export { formatHotpValue, type HotpOptions, hotpValue } from './hotp.js';
export { normalizeCode } from './normalize.js';
export {
  DEFAULTS,
  MAX_DIGITS,
  MAX_PERIOD,
  MAX_SECRET_BYTES,
  MAX_TOLERANCE,
  MIN_DIGITS,
  MIN_SECRET_BYTES,
  type TotpAlgorithm,
} from './options.js';
export { totpQrDataUri, totpQrSvg } from './qr.js';
export { generateTotpSecret, secretToBase32, secretToBytes, type TotpSecret } from './secret.js';
export {
  type TotpOptions,
  totpCode,
  totpStep,
  type VerifyTotpOptions,
  type VerifyTotpResult,
  validateTotpCode,
  verifyTotp,
} from './totp.js';
export { type BuildTotpUrlOptions, buildTotpUrl, type ParsedTotpUrl, parseTotpUrl } from './url.js';
