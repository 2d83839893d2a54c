/**
 * Which key protects each stored record, for key rotation: a sealed secret names its key as
 * `v1.<keyId>.…` (crypto/keyring.ts) and a recovery-code hash as `<keyId>:…`
 * (crypto/recovery-codes.ts). The stores count by these prefixes, so the service can refuse to
 * lose a key that still protects something, and can say how much.
 */

/** Records per key id: sealed secrets, and unused recovery codes (used ones protect nothing). */
export type KeyUsage = Record<string, { secrets: number; recoveryCodes: number }>;

/** The key id a sealed secret names, or null for another format (an adapter's own `encrypt`). */
export function keyIdOfSealedSecret(sealed: string): string | null {
  const match = /^v1\.([A-Za-z0-9_-]{1,32})\./.exec(sealed);
  return match ? (match[1] as string) : null;
}

/** The key id a recovery-code hash names. */
export function keyIdOfRecoveryCodeHash(hash: string): string | null {
  const colon = hash.indexOf(':');
  return colon > 0 ? hash.slice(0, colon) : null;
}

/** Adds `count` records of `kind` under `keyId` to `usage`. */
export function addUsage(usage: KeyUsage, keyId: string | null, kind: 'secrets' | 'recoveryCodes', count = 1): void {
  if (keyId === null || count === 0) return;
  usage[keyId] ??= { secrets: 0, recoveryCodes: 0 };
  usage[keyId][kind] += count;
}
