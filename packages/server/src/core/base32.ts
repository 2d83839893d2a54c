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
 * Decodes base32 straight into big-endian 32-bit words, ignoring case, spaces and `=` padding
 * (users paste keys in groups of four). Bytes past the end of `words` are counted but not
 * stored, so a caller can offer one HMAC block and learn that the key is longer.
 *
 * @returns the number of decoded bytes, or -1 when a character is outside the alphabet.
 */
export function base32DecodeToWords(text: string, words: Int32Array): number {
  for (let i = 0; i < words.length; i++) words[i] = 0; // a loop: cheaper than fill() on 16 words
  const capacity = words.length * 4;
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
      if (length < capacity) words[length >> 2]! |= ((buffer >>> bits) & 0xff) << (24 - (length & 3) * 8);
      length++;
    }
  }
  return invalid < 0 ? -1 : length;
}

/** The number of bytes `text` decodes to, without decoding it. */
function decodedLength(text: string): number {
  let symbols = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 61) symbols++;
  }
  return (symbols * 5) >>> 3;
}

/**
 * Decodes base32 to bytes, ignoring case, spaces and `=` padding.
 * Throws `invalid_secret` on any other character.
 */
export function base32Decode(text: string): Uint8Array {
  const words = new Int32Array((decodedLength(text) + 3) >> 2);
  const length = base32DecodeToWords(text, words);
  if (length < 0) {
    throw new TotpConfigError('invalid_secret', 'The secret is not base32 (RFC 4648: A–Z and 2–7).');
  }
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = words[i >> 2]! >>> (24 - (i & 3) * 8);
  words.fill(0);
  return bytes;
}
