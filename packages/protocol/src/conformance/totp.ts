/**
 * The conformance kit's own TOTP, on node:crypto, so that it depends on nothing from a totpkit
 * backend: it reads the otpauth URL a backend returns and computes codes as an authenticator app
 * would (RFC 4226 §5.3, RFC 6238 §4; Key Uri Format). It is a test client, so it may be simple:
 * no constant-time comparisons are needed, because it never checks a code.
 */
import { createHmac } from 'node:crypto';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface TotpParameters {
  /** The raw key. */
  key: Uint8Array;
  /** The key as canonical base32: upper case, no padding. */
  secret: string;
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32, case-insensitive, padding optional. Throws on any other character. */
export function base32ToBytes(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/=+$/, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error('the secret is not base32');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * Reads `otpauth://totp/…?secret=…` with the Key Uri Format defaults (SHA1, 6 digits, 30 s).
 * Throws with a message that names the problem, never the secret.
 */
export function parseOtpauthUrl(text: string): TotpParameters {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('otpauthUrl is not a URL');
  }
  if (url.protocol !== 'otpauth:' || url.host !== 'totp')
    throw new Error('otpauthUrl does not start with otpauth://totp/');
  const secretParameter = url.searchParams.get('secret');
  if (!secretParameter) throw new Error('otpauthUrl has no secret parameter');
  const key = base32ToBytes(secretParameter);
  const algorithm = (url.searchParams.get('algorithm') ?? 'SHA1').toUpperCase();
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new Error('otpauthUrl has an unknown algorithm');
  }
  const digits = Number(url.searchParams.get('digits') ?? 6);
  const period = Number(url.searchParams.get('period') ?? 30);
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new Error('otpauthUrl has digits outside 6..8');
  if (!Number.isInteger(period) || period < 1 || period > 120)
    throw new Error('otpauthUrl has a period outside 1..120');
  return { key, secret: secretParameter.toUpperCase().replace(/=+$/, ''), algorithm, digits, period };
}

/** RFC 4226 §5.3 HOTP with dynamic truncation, over a 64-bit big-endian counter. */
export function hotp(key: Uint8Array, counter: number, algorithm: TotpAlgorithm, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm.replace('SHA', 'sha'), key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step of `timeMs` (RFC 6238 §4.2, T0 = 0). */
export function stepAt(timeMs: number, period: number): number {
  return Math.floor(timeMs / 1000 / period);
}

/** The code of time step `step`. */
export function totpAt(parameters: TotpParameters, step: number): string {
  return hotp(parameters.key, step, parameters.algorithm, parameters.digits);
}
