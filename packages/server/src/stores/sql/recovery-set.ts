/**
 * A user's recovery codes as the SQL stores keep them: three columns of the authenticator row
 * rather than a row per code (1,433 bytes per user in SQLite for ten codes), since the set is
 * always written whole and each code is only ever looked up by its hash.
 *
 * - `recovery_key_id`: the key id every hash of the set names (`<keyId>:<MAC>`, crypto/recovery-codes.ts).
 * - `recovery_macs`: the first `STORED_MAC_LENGTH` characters of each unused code's MAC, one after
 *   the other. Using a code removes its entry, so the string is exactly the set of unused codes,
 *   and consuming one is a compare-and-set on the whole string: of any number of racers that read
 *   the same string, the first UPDATE changes it and every other one finds it changed.
 * - `recovery_total`: how many codes the set had, used ones included.
 */
import { STORED_MAC_LENGTH } from '../../crypto/recovery-codes.js';
import type { RecoveryCodeCounts, RecoveryCodeHash } from '../types.js';

/** The three columns, in the order the statements take them. */
export interface StoredRecoverySet {
  keyId: string | null;
  macs: string;
  total: number;
}

/** `<keyId>:<MAC>`, as `hashRecoveryCode` makes them: a keyring key id and a base64url MAC. */
const HASH = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$/;

function parse(hash: string): { keyId: string; mac: string } | null {
  const match = HASH.exec(hash);
  if (!match || (match[2] as string).length < STORED_MAC_LENGTH) return null;
  return { keyId: match[1] as string, mac: (match[2] as string).slice(0, STORED_MAC_LENGTH) };
}

/**
 * The columns for a new set.
 * @throws TypeError for a hash not made by `hashRecoveryCode`, or a set under two key ids: the
 *   service never writes one, and storing it would lose codes.
 */
export function packRecoverySet(codes: readonly RecoveryCodeHash[]): StoredRecoverySet {
  let keyId: string | null = null;
  let macs = '';
  for (const { hash } of codes) {
    const parsed = parse(hash);
    if (!parsed || (keyId !== null && parsed.keyId !== keyId)) {
      throw new TypeError(
        `A SQL store keeps recovery-code hashes of the form <keyId>:<base64url MAC of ${STORED_MAC_LENGTH}+ characters>, ` +
          'one key id per set, as hashRecoveryCode makes them.',
      );
    }
    keyId = parsed.keyId;
    macs += parsed.mac;
  }
  return { keyId, macs, total: codes.length };
}

/** The set's `macs` without the unused code `hash` names, or null when it holds no such code. */
export function withoutCode(keyId: string | null, macs: string, hash: string): string | null {
  const parsed = parse(hash);
  if (!parsed || parsed.keyId !== keyId) return null;
  for (let at = 0; at + STORED_MAC_LENGTH <= macs.length; at += STORED_MAC_LENGTH) {
    if (macs.slice(at, at + STORED_MAC_LENGTH) === parsed.mac) {
      return macs.slice(0, at) + macs.slice(at + STORED_MAC_LENGTH);
    }
  }
  return null;
}

/** The counts as `TotpStore` reports them: null for a user without codes. */
export function recoveryCounts(total: number | string | null | undefined, unused: number | string | null | undefined) {
  const all = Number(total ?? 0);
  return all === 0 ? null : ({ total: all, unused: Number(unused ?? 0) } satisfies RecoveryCodeCounts);
}

/** The unused count in SQL, from the string of prefixes (integer division in both engines). */
export const UNUSED_RECOVERY_CODES = `length(recovery_macs) / ${STORED_MAC_LENGTH}`;
