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

const IV = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);

/** One 64-byte block as 16 big-endian words. Module-level so the hot path never allocates. */
const BLOCK = new Int32Array(16);

/**
 * Compresses BLOCK into the five words of `state` from `from`, writing the new state to `out`
 * from `to` (it may be the same place).
 *
 * Unrolled by hand, one line per round: V8 keeps the sixteen schedule words and the five
 * registers in machine registers, which makes it about twice as fast as the textbook loop over
 * an 80-word array. Registers are renamed from line to line instead of being shifted, so each
 * round is the FIPS 180-4 formula with its letters rotated:
 *   T = ROTL5(a) + f(b, c, d) + e + K + W[t]; e = d; d = c; c = ROTL30(b); b = a; a = T.
 */
// biome-ignore format: one round per line is the readable shape of an unrolled hash
function compress(state: Int32Array, from: number, out: Int32Array, to: number): void {
  let a = state[from]!, b = state[from + 1]!, c = state[from + 2]!, d = state[from + 3]!, e = state[from + 4]!;
  let w0 = BLOCK[0]!, w1 = BLOCK[1]!, w2 = BLOCK[2]!, w3 = BLOCK[3]!, w4 = BLOCK[4]!, w5 = BLOCK[5]!, w6 = BLOCK[6]!, w7 = BLOCK[7]!;
  let w8 = BLOCK[8]!, w9 = BLOCK[9]!, w10 = BLOCK[10]!, w11 = BLOCK[11]!, w12 = BLOCK[12]!, w13 = BLOCK[13]!, w14 = BLOCK[14]!, w15 = BLOCK[15]!;
  let x = 0;
  // Rounds 0–19: Ch, K = 0x5a827999. From round 16 each line first extends the schedule in place.
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + 0x5a827999 + w0) | 0; b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + 0x5a827999 + w1) | 0; a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + 0x5a827999 + w2) | 0; e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + 0x5a827999 + w3) | 0; d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + 0x5a827999 + w4) | 0; c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + 0x5a827999 + w5) | 0; b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + 0x5a827999 + w6) | 0; a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + 0x5a827999 + w7) | 0; e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + 0x5a827999 + w8) | 0; d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + 0x5a827999 + w9) | 0; c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + 0x5a827999 + w10) | 0; b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + 0x5a827999 + w11) | 0; a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + 0x5a827999 + w12) | 0; e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + 0x5a827999 + w13) | 0; d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + 0x5a827999 + w14) | 0; c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + 0x5a827999 + w15) | 0; b = (b << 30) | (b >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + 0x5a827999 + w0) | 0; a = (a << 30) | (a >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + 0x5a827999 + w1) | 0; e = (e << 30) | (e >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + 0x5a827999 + w2) | 0; d = (d << 30) | (d >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + 0x5a827999 + w3) | 0; c = (c << 30) | (c >>> 2);
  // Rounds 20–39: Parity, K = 0x6ed9eba1.
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w4) | 0; b = (b << 30) | (b >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w5) | 0; a = (a << 30) | (a >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w6) | 0; e = (e << 30) | (e >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w7) | 0; d = (d << 30) | (d >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w8) | 0; c = (c << 30) | (c >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w9) | 0; b = (b << 30) | (b >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w10) | 0; a = (a << 30) | (a >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w11) | 0; e = (e << 30) | (e >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w12) | 0; d = (d << 30) | (d >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w13) | 0; c = (c << 30) | (c >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w14) | 0; b = (b << 30) | (b >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w15) | 0; a = (a << 30) | (a >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w0) | 0; e = (e << 30) | (e >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w1) | 0; d = (d << 30) | (d >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w2) | 0; c = (c << 30) | (c >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w3) | 0; b = (b << 30) | (b >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w4) | 0; a = (a << 30) | (a >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w5) | 0; e = (e << 30) | (e >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w6) | 0; d = (d << 30) | (d >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w7) | 0; c = (c << 30) | (c >>> 2);
  // Rounds 40–59: Maj, K = 0x8f1bbcdc.
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc + w8) | 0; b = (b << 30) | (b >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + 0x8f1bbcdc + w9) | 0; a = (a << 30) | (a >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + 0x8f1bbcdc + w10) | 0; e = (e << 30) | (e >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + 0x8f1bbcdc + w11) | 0; d = (d << 30) | (d >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + 0x8f1bbcdc + w12) | 0; c = (c << 30) | (c >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc + w13) | 0; b = (b << 30) | (b >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + 0x8f1bbcdc + w14) | 0; a = (a << 30) | (a >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + 0x8f1bbcdc + w15) | 0; e = (e << 30) | (e >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + 0x8f1bbcdc + w0) | 0; d = (d << 30) | (d >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + 0x8f1bbcdc + w1) | 0; c = (c << 30) | (c >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc + w2) | 0; b = (b << 30) | (b >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + 0x8f1bbcdc + w3) | 0; a = (a << 30) | (a >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + 0x8f1bbcdc + w4) | 0; e = (e << 30) | (e >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + 0x8f1bbcdc + w5) | 0; d = (d << 30) | (d >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + 0x8f1bbcdc + w6) | 0; c = (c << 30) | (c >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc + w7) | 0; b = (b << 30) | (b >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + 0x8f1bbcdc + w8) | 0; a = (a << 30) | (a >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + 0x8f1bbcdc + w9) | 0; e = (e << 30) | (e >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + 0x8f1bbcdc + w10) | 0; d = (d << 30) | (d >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + 0x8f1bbcdc + w11) | 0; c = (c << 30) | (c >>> 2);
  // Rounds 60–79: Parity, K = 0xca62c1d6.
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0xca62c1d6 + w12) | 0; b = (b << 30) | (b >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0xca62c1d6 + w13) | 0; a = (a << 30) | (a >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0xca62c1d6 + w14) | 0; e = (e << 30) | (e >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0xca62c1d6 + w15) | 0; d = (d << 30) | (d >>> 2);
  x = w13 ^ w8 ^ w2 ^ w0; w0 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0xca62c1d6 + w0) | 0; c = (c << 30) | (c >>> 2);
  x = w14 ^ w9 ^ w3 ^ w1; w1 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0xca62c1d6 + w1) | 0; b = (b << 30) | (b >>> 2);
  x = w15 ^ w10 ^ w4 ^ w2; w2 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0xca62c1d6 + w2) | 0; a = (a << 30) | (a >>> 2);
  x = w0 ^ w11 ^ w5 ^ w3; w3 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0xca62c1d6 + w3) | 0; e = (e << 30) | (e >>> 2);
  x = w1 ^ w12 ^ w6 ^ w4; w4 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0xca62c1d6 + w4) | 0; d = (d << 30) | (d >>> 2);
  x = w2 ^ w13 ^ w7 ^ w5; w5 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0xca62c1d6 + w5) | 0; c = (c << 30) | (c >>> 2);
  x = w3 ^ w14 ^ w8 ^ w6; w6 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0xca62c1d6 + w6) | 0; b = (b << 30) | (b >>> 2);
  x = w4 ^ w15 ^ w9 ^ w7; w7 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0xca62c1d6 + w7) | 0; a = (a << 30) | (a >>> 2);
  x = w5 ^ w0 ^ w10 ^ w8; w8 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0xca62c1d6 + w8) | 0; e = (e << 30) | (e >>> 2);
  x = w6 ^ w1 ^ w11 ^ w9; w9 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0xca62c1d6 + w9) | 0; d = (d << 30) | (d >>> 2);
  x = w7 ^ w2 ^ w12 ^ w10; w10 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0xca62c1d6 + w10) | 0; c = (c << 30) | (c >>> 2);
  x = w8 ^ w3 ^ w13 ^ w11; w11 = (x << 1) | (x >>> 31); e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0xca62c1d6 + w11) | 0; b = (b << 30) | (b >>> 2);
  x = w9 ^ w4 ^ w14 ^ w12; w12 = (x << 1) | (x >>> 31); d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0xca62c1d6 + w12) | 0; a = (a << 30) | (a >>> 2);
  x = w10 ^ w5 ^ w15 ^ w13; w13 = (x << 1) | (x >>> 31); c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0xca62c1d6 + w13) | 0; e = (e << 30) | (e >>> 2);
  x = w11 ^ w6 ^ w0 ^ w14; w14 = (x << 1) | (x >>> 31); b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0xca62c1d6 + w14) | 0; d = (d << 30) | (d >>> 2);
  x = w12 ^ w7 ^ w1 ^ w15; w15 = (x << 1) | (x >>> 31); a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0xca62c1d6 + w15) | 0; c = (c << 30) | (c >>> 2);
  out[to] = (state[from]! + a) | 0;
  out[to + 1] = (state[from + 1]! + b) | 0;
  out[to + 2] = (state[from + 2]! + c) | 0;
  out[to + 3] = (state[from + 3]! + d) | 0;
  out[to + 4] = (state[from + 4]! + e) | 0;
}

/** Loads 64 bytes of `bytes` from `offset` into BLOCK, big-endian. */
function loadBlock(bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    BLOCK[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
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
  const state = IV.slice();
  for (let offset = 0; offset < end; offset += 64) {
    loadBlock(padded, offset);
    compress(state, 0, state, 0);
  }
  return stateToBytes(state);
}

const IPAD = 0x36363636;
const OPAD = 0x5c5c5c5c;

/**
 * The HMAC-SHA1 key state (RFC 2104 §4): the inner and outer padded keys, each compressed once.
 * Words 0–4 continue the inner hash, words 5–9 the outer one. It is derived from the key, so
 * keep it for one verification rather than in a long-lived cache.
 *
 * @param keyWords the key as 16 big-endian words, zero-padded; a key longer than 64 bytes must
 *   be hashed first (see `sha1HmacStateFromBytes`).
 */
export function sha1HmacState(keyWords: Int32Array): Int32Array {
  const state = new Int32Array(10);
  for (let i = 0; i < 16; i++) BLOCK[i] = keyWords[i]! ^ IPAD;
  compress(IV, 0, state, 0);
  for (let i = 0; i < 16; i++) BLOCK[i] = keyWords[i]! ^ OPAD;
  compress(IV, 0, state, 5);
  for (let i = 0; i < 16; i++) BLOCK[i] = 0; // leave no key material in the shared block
  return state;
}

/** The key state for key bytes of any length; keys over one block are hashed (RFC 2104 §2). */
export function sha1HmacStateFromBytes(key: Uint8Array): Sha1HmacState {
  const material = key.length > 64 ? sha1(key) : key;
  const words = new Int32Array(16);
  for (let i = 0; i < material.length; i++) words[i >> 2]! |= material[i]! << (24 - (i & 3) * 8);
  const state = sha1HmacState(words);
  words.fill(0);
  return state;
}

export type Sha1HmacState = Int32Array;

const innerDigest = new Int32Array(5);
const macDigest = new Int32Array(5);

/**
 * HMAC-SHA1 of the 8-byte big-endian counter `high:low`, dynamically truncated (RFC 4226 §5.3)
 * to a 31-bit integer. Two compressions; the truncation offset is applied by masking every
 * candidate window rather than by indexing with a secret-derived value.
 */
export function hotpSha1(state: Sha1HmacState, high: number, low: number): number {
  // Inner hash: 64 bytes of ipad already absorbed, then counter ‖ 0x80 ‖ zeros ‖ length (72 bytes).
  BLOCK[0] = high;
  BLOCK[1] = low;
  BLOCK[2] = 0x80000000;
  for (let i = 3; i < 15; i++) BLOCK[i] = 0;
  BLOCK[15] = (64 + 8) * 8;
  compress(state, 0, innerDigest, 0);
  // Outer hash: opad absorbed, then the 20-byte inner digest ‖ 0x80 ‖ zeros ‖ length (84 bytes).
  for (let i = 0; i < 5; i++) BLOCK[i] = innerDigest[i]!;
  BLOCK[5] = 0x80000000;
  for (let i = 6; i < 15; i++) BLOCK[i] = 0;
  BLOCK[15] = (64 + 20) * 8;
  compress(state, 5, macDigest, 0);
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
