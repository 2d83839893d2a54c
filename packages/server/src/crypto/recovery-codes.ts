/**
 * Recovery codes: ten by default, each 50 random bits written as ten Crockford base32
 * characters in two groups, `k7m2q-9xw4t`. Crockford's alphabet has no i, l, o or u, so a code
 * read aloud or copied by hand survives: `I`/`L` are read as 1 and `O` as 0.
 *
 * Only a keyed hash is stored: HMAC-SHA256 under a subkey of the keyring (which lives in
 * configuration, not in the database) over the user id and the normalised code. A database dump
 * alone therefore reveals no code and cannot be brute-forced offline. Hashes name their key id so
 * that codes outlive a key rotation.
 */

import { toBase64Url } from './base64url.js';
import type { Keyring } from './keyring.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_LENGTH = 10; // 10 × 5 bits = 50 bits
const GROUP = 5;
const MAC_PURPOSE = 'recovery-code';

/** `count` new codes, formatted `xxxxx-xxxxx`, all different. */
export function generateRecoveryCodes(count: number): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const random = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
    let code = '';
    // Each byte's low five bits pick a character: 256 is a multiple of 32, so there is no bias.
    for (const byte of random) code += ALPHABET[byte & 31];
    random.fill(0);
    codes.add(`${code.slice(0, GROUP)}-${code.slice(GROUP)}`);
  }
  return [...codes];
}

/**
 * The canonical form of a typed recovery code, or null: NFKC, lower case, spaces and hyphens
 * dropped, Crockford's look-alikes mapped (i, l → 1; o → 0), and exactly ten alphabet characters
 * left. Never throws, whatever the input.
 */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const compact = input.normalize('NFKC').toLowerCase().replace(/[ -]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  if (compact.length !== CODE_LENGTH) return null;
  for (const char of compact) if (!ALPHABET.includes(char)) return null;
  return compact;
}

/** The stored form of a normalised code: `<keyId>:<base64url HMAC>`. */
export async function hashRecoveryCode(
  keyring: Keyring,
  userId: string,
  normalized: string,
  keyId?: string,
): Promise<string> {
  const id = keyId ?? keyring.currentKeyId;
  const mac = await keyring.mac(MAC_PURPOSE, `${userId.length}:${userId}:${normalized}`, id);
  return `${id}:${toBase64Url(mac)}`;
}

/** The hash under every key of the keyring, current first: what a lookup must try after a rotation. */
export function recoveryCodeHashCandidates(keyring: Keyring, userId: string, normalized: string): Promise<string[]> {
  return Promise.all(keyring.keyIds.map((id) => hashRecoveryCode(keyring, userId, normalized, id)));
}

/**
 * How many characters of a hash's base64url MAC a store must keep (66 bits): the SQL stores keep
 * only these (stores/sql/recovery-set.ts). Shorter is safe because the MAC is keyed: without the
 * key nobody can compute one, so the prefix only has to tell codes apart.
 * - A guess is a random 50-bit code: it is right with odds n·2⁻⁵⁰ for n unused codes, and by a
 *   prefix collision with n·2⁻⁶⁶ more, a 2⁻¹⁶ (0.0015 %) increase, under the same rate limit.
 * - Two codes of one set (at most 50) share a prefix with odds under C(50,2)·2⁻⁶⁶ ≈ 2⁻⁵⁶, and even
 *   then both work: each use removes one matching entry.
 * - With the key (a leaked keyring) the 2⁵⁰ codes can be searched offline with or without the cut.
 */
export const STORED_MAC_LENGTH = 11;
