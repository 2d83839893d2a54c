import { base32Decode, base32DecodeToWords, base32Encode } from './base32.js';
import { SecretTooShortError, TotpConfigError } from './errors.js';
import { DEFAULTS, MAX_SECRET_BYTES, MIN_SECRET_BYTES } from './options.js';

/** A shared secret: base32 text (any case; spaces and `=` padding ignored) or raw bytes. */
export type TotpSecret = string | Uint8Array;

function checkLength(bytes: number): void {
  if (bytes < MIN_SECRET_BYTES) throw new SecretTooShortError(bytes);
  if (bytes > MAX_SECRET_BYTES) {
    throw new TotpConfigError(
      'secret_too_long',
      `TOTP secrets must be at most ${MAX_SECRET_BYTES} bytes; got ${bytes}.`,
    );
  }
}

/**
 * A new random secret, as upper-case base32 without padding: allauth's `generate_totp_secret`.
 * The default 20 bytes (160 bits) is RFC 4226's recommendation and gives the 32 characters
 * every authenticator app accepts.
 *
 * @param length Bytes of randomness from the platform CSPRNG; at least 16 (RFC 4226 §4 R6).
 * @throws SecretTooShortError below 16 bytes.
 */
export function generateTotpSecret(length: number = DEFAULTS.secretBytes): string {
  if (!Number.isInteger(length)) {
    throw new TotpConfigError('invalid_secret', `length must be a whole number of bytes; got ${String(length)}.`);
  }
  checkLength(length);
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  const encoded = base32Encode(bytes);
  bytes.fill(0);
  return encoded;
}

/**
 * The key bytes of a secret, checked against the length guardrails.
 * @throws TotpConfigError `invalid_secret` for non-base32 text, SecretTooShortError under 16 bytes.
 */
export function secretToBytes(secret: TotpSecret): Uint8Array {
  let bytes: Uint8Array;
  if (typeof secret === 'string') bytes = base32Decode(secret);
  else if (secret instanceof Uint8Array) bytes = secret;
  else throw new TotpConfigError('invalid_secret', 'The secret must be a base32 string or a Uint8Array.');
  checkLength(bytes.length);
  return bytes;
}

/**
 * Loads a secret into one HMAC block's worth of big-endian words (zero-padded), checking the
 * same guardrails as `secretToBytes` but without allocating: the hot path of every verify.
 *
 * @returns the key length in bytes. Above 64 the words hold only a prefix; use `secretToBytes`.
 */
export function secretToKeyWords(secret: TotpSecret, words: Int32Array): number {
  let length: number;
  if (typeof secret === 'string') {
    length = base32DecodeToWords(secret, words);
    if (length < 0) throw new TotpConfigError('invalid_secret', 'The secret is not base32 (RFC 4648: A–Z and 2–7).');
  } else if (secret instanceof Uint8Array) {
    words.fill(0);
    length = secret.length;
    const stored = Math.min(length, words.length * 4);
    for (let i = 0; i < stored; i++) words[i >> 2]! |= secret[i]! << (24 - (i & 3) * 8);
  } else {
    throw new TotpConfigError('invalid_secret', 'The secret must be a base32 string or a Uint8Array.');
  }
  checkLength(length);
  return length;
}

/** The canonical form of a secret: upper-case base32, no spaces, no padding. */
export function secretToBase32(secret: TotpSecret): string {
  return base32Encode(secretToBytes(secret));
}
