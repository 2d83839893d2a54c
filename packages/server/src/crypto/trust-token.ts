/**
 * Trusted-browser tokens: 32 random bytes in base64url (43 characters), handed to the browser in
 * a cookie and never stored. The store keeps only `<keyId>:<HMAC-SHA256>` under a subkey of the
 * keyring's current key derived for 'trusted-browser', over the user id and the token, so:
 * - a database dump reveals no usable token, and a token cannot be guessed offline without the key;
 * - a token presented for another user hashes to something else and finds no record;
 * - a new current key makes every earlier trust unmatched (lookups hash under the current key
 *   only): rotating the key revokes trusted browsers, as changing allauth's secret does.
 */
import { toBase64Url } from './base64url.js';
import type { Keyring } from './keyring.js';

const MAC_PURPOSE = 'trusted-browser';
const TOKEN_BYTES = 32;
/** base64url of 32 bytes, without padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new token for the browser's cookie. */
export function newTrustToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  const token = toBase64Url(bytes);
  bytes.fill(0);
  return token;
}

/** Whether `value` has a token's shape: checked before any crypto or storage work. */
export function isTrustToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_SHAPE.test(value);
}

/** The stored form of a token for `userId`, under the keyring's current key. */
export async function hashTrustToken(keyring: Keyring, userId: string, token: string): Promise<string> {
  const id = keyring.currentKeyId;
  const mac = await keyring.mac(MAC_PURPOSE, `${userId.length}:${userId}:${token}`, id);
  return `${id}:${toBase64Url(mac)}`;
}

/** Whether a stored hash was made under the keyring's current key (only those can match). */
export function isUnderCurrentKey(keyring: Keyring, tokenHash: string): boolean {
  return tokenHash.startsWith(`${keyring.currentKeyId}:`);
}

/** A record id: public, random, so ids say nothing about users or order. */
export function newTrustedBrowserId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
