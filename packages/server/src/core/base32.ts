/**
 * RFC 4648 §6 base32, the encoding of the Key Uri Format's `secret`. Decoding works on secret
 * material, so characters are mapped arithmetically rather than through a lookup table, and the
 * only branch is on whether the whole input is valid.
 */
import { TotpConfigError } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Upper-case base32 without padding, as Google's Key Uri Format asks. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Maps one character code to its 5-bit value, or to -1 for a character outside the alphabet.
 * Case-insensitive. Branch-free: both ranges are computed and selected with masks.
 */
function decodeChar(code: number): number {
  const upper = code & ~0x20; // folds a–z onto A–Z; only those two ranges land in 65–90
  // ((x - lo) | (hi - x)) >> 31 is -1 outside [lo, hi] and 0 inside; its complement is the mask.
  const isLetter = ~(((upper - 65) | (90 - upper)) >> 31);
  const isDigit = ~(((code - 50) | (55 - code)) >> 31); // '2' … '7'
  return ((upper - 65) & isLetter) | ((code - 24) & isDigit) | ~(isLetter | isDigit);
}

/**
 * Decodes base32, ignoring case, spaces and `=` padding (users paste keys in groups of four).
 * Throws `invalid_secret` on any other character.
 */
export function base32Decode(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let length = 0;
  let buffer = 0;
  let bits = 0;
  let invalid = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 61) continue; // ' ' and '='
    const value = decodeChar(code);
    invalid |= value;
    buffer = ((buffer << 5) | (value & 31)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (buffer >>> bits) & 0xff;
    }
  }
  if (invalid < 0) {
    throw new TotpConfigError('invalid_secret', 'The secret is not base32 (RFC 4648: A–Z and 2–7).');
  }
  return out.subarray(0, length);
}
