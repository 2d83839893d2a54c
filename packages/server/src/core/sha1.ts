/**
 * SHA-1 (FIPS 180-4 §6.1) and the HMAC-SHA1 key state that makes HOTP cheap.
 *
 * Why write SHA-1 at all: an HOTP code is HMAC-SHA1 over an 8-byte counter. With the inner and
 * outer padded keys hashed once per secret (RFC 2104 §4 notes this optimisation), each further
 * code costs exactly two compressions, and a ±1 window verify three codes. A general-purpose
 * HMAC (node:crypto or WebCrypto) rehashes the keys and allocates on every call.
 *
 * The compression is straight-line 32-bit arithmetic: no data-dependent branch and no table
 * lookup. It is checked against node:crypto on random inputs in the tests and, on a million
 * inputs, in the benchmark's self-check. SHA-256/512 are never hand-written here.
 */

const IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0] as const;

/** The message schedule. Module-level so the hot path never allocates; nothing here awaits. */
const W = new Int32Array(80);

/**
 * Compresses the 16 words in W[0..15] into `state`, writing the new state to `out`
 * (which may be `state` itself).
 */
function compress(state: Int32Array, out: Int32Array): void {
  for (let t = 16; t < 80; t++) {
    const x = W[t - 3]! ^ W[t - 8]! ^ W[t - 14]! ^ W[t - 16]!;
    W[t] = (x << 1) | (x >>> 31);
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  for (let t = 0; t < 20; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 20; t < 40; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 40; t < 60; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + W[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 60; t < 80; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + W[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  out[0] = (state[0]! + a) | 0;
  out[1] = (state[1]! + b) | 0;
  out[2] = (state[2]! + c) | 0;
  out[3] = (state[3]! + d) | 0;
  out[4] = (state[4]! + e) | 0;
}

/** Loads 64 bytes of `bytes` from `offset` into W[0..15], big-endian. */
function loadBlock(bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
}

function stateToBytes(state: Int32Array): Uint8Array {
  const out = new Uint8Array(20);
  for (let i = 0; i < 5; i++) {
    const word = state[i]!;
    out[i * 4] = word >>> 24;
    out[i * 4 + 1] = word >>> 16;
    out[i * 4 + 2] = word >>> 8;
    out[i * 4 + 3] = word;
  }
  return out;
}

/** SHA-1 of a whole message. Used for keys longer than a block and by the differential tests. */
export function sha1(message: Uint8Array): Uint8Array {
  const bitLength = message.length * 8;
  const padded = new Uint8Array((((message.length + 8) >> 6) + 1) << 6);
  padded.set(message);
  padded[message.length] = 0x80;
  const end = padded.length;
  // The bit length as a 64-bit big-endian integer; messages here are far below 2^53 bits.
  const high = Math.floor(bitLength / 0x100000000);
  padded[end - 8] = high >>> 24;
  padded[end - 7] = high >>> 16;
  padded[end - 6] = high >>> 8;
  padded[end - 5] = high;
  padded[end - 4] = bitLength >>> 24;
  padded[end - 3] = bitLength >>> 16;
  padded[end - 2] = bitLength >>> 8;
  padded[end - 1] = bitLength;
  const state = Int32Array.from(IV);
  for (let offset = 0; offset < end; offset += 64) {
    loadBlock(padded, offset);
    compress(state, state);
  }
  return stateToBytes(state);
}

/**
 * An HMAC-SHA1 key with its inner and outer padded blocks already compressed (RFC 2104 §4).
 * Holds key-derived material: keep it for one verification, not in a long-lived cache.
 */
export interface Sha1HmacKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

export function sha1HmacKey(key: Uint8Array): Sha1HmacKey {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha1(key) : key);
  const inner = Int32Array.from(IV);
  const outer = Int32Array.from(IV);
  for (let i = 0; i < 64; i++) block[i]! ^= 0x36;
  loadBlock(block, 0);
  compress(inner, inner);
  for (let i = 0; i < 64; i++) block[i]! ^= 0x36 ^ 0x5c;
  loadBlock(block, 0);
  compress(outer, outer);
  block.fill(0);
  return { inner, outer };
}

const innerDigest = new Int32Array(5);
const macDigest = new Int32Array(5);

/**
 * HMAC-SHA1 of the 8-byte big-endian counter `high:low`, dynamically truncated (RFC 4226 §5.3)
 * to a 31-bit integer. Two compressions; the truncation offset is applied by masking every
 * candidate window rather than by indexing with a secret-derived value.
 */
export function hotpSha1(key: Sha1HmacKey, high: number, low: number): number {
  // Inner hash: 64 bytes of ipad already absorbed, then counter ‖ 0x80 ‖ zeros ‖ length (72 bytes).
  W[0] = high;
  W[1] = low;
  W[2] = 0x80000000;
  for (let i = 3; i < 15; i++) W[i] = 0;
  W[15] = (64 + 8) * 8;
  compress(key.inner, innerDigest);
  // Outer hash: opad absorbed, then the 20-byte inner digest ‖ 0x80 ‖ zeros ‖ length (84 bytes).
  for (let i = 0; i < 5; i++) W[i] = innerDigest[i]!;
  W[5] = 0x80000000;
  for (let i = 6; i < 15; i++) W[i] = 0;
  W[15] = (64 + 20) * 8;
  compress(key.outer, macDigest);
  return truncate(macDigest);
}

/** RFC 4226 §5.3 dynamic truncation over a 5-word digest, without a secret-indexed load. */
function truncate(digest: Int32Array): number {
  const offset = digest[4]! & 0xf;
  let selected = 0;
  for (let candidate = 0; candidate < 16; candidate++) {
    const word = candidate >> 2;
    const shift = (candidate & 3) * 8;
    const hi = digest[word]!;
    const lo = digest[word + 1]!;
    // `lo >>> 32` would be `lo >>> 0` in JavaScript, so shift in two steps.
    const window = (hi << shift) | ((lo >>> (31 - shift)) >>> 1);
    const mask = ((candidate ^ offset) - 1) >> 31; // -1 when candidate === offset
    selected |= window & mask;
  }
  return selected & 0x7fffffff;
}
