/**
 * Key rotation that cannot silently lose anything (docs/security.md, "Key rotation").
 *
 * - Sealed secrets can move: `rekey` re-seals every one under the current key, in batches.
 * - Recovery codes cannot: they are stored as keyed hashes, one-way, so a code hashed under a key
 *   can only ever be checked with that key. They move to the current key when the user gets a new
 *   set; until then the old key must stay in the keyring.
 * - So removing a key that still protects anything is refused, by count: `checkKeyring` at start,
 *   and at use a recovery code whose set is under a missing key fails with `decryption_failed`
 *   instead of looking like a wrong code (a sealed secret under a missing key already does).
 */
import { TotpkitError } from '../errors.js';
import type { KeyUsage } from '../stores/key-usage.js';
import type { AuthenticatorRecord } from '../stores/types.js';
import { infrastructure, type ServiceContext } from './context.js';

/** What `rekey` did. */
export interface RekeyResult {
  /** Secrets re-sealed under the current key by this run. */
  secretsMoved: number;
  /** Records per key id afterwards: recovery codes under older keys stay until they are regenerated. */
  usage: KeyUsage;
}

function describe(counts: { secrets: number; recoveryCodes: number }): string {
  const parts = [];
  if (counts.secrets > 0) parts.push(`${counts.secrets} secret${counts.secrets === 1 ? '' : 's'}`);
  if (counts.recoveryCodes > 0) {
    parts.push(`${counts.recoveryCodes} unused recovery code${counts.recoveryCodes === 1 ? '' : 's'}`);
  }
  return parts.join(' and ');
}

/** Key ids in `usage` that protect something and are not in the keyring, with what they protect. */
function missingKeys(context: ServiceContext, usage: KeyUsage): string[] {
  return Object.entries(usage)
    .filter(([id, counts]) => !context.keyring.keyIds.includes(id) && counts.secrets + counts.recoveryCodes > 0)
    .map(([id, counts]) => `key "${id}" still protects ${describe(counts)}`);
}

export function createKeyRotation(context: ServiceContext) {
  const { store, keyring, adapter } = context;

  async function keyUsage(userId?: string): Promise<KeyUsage> {
    if (!store.keyUsage) {
      throw new TotpkitError('invalid_configuration', 'This store has no keyUsage(); key rotation cannot be checked.');
    }
    const read = store.keyUsage.bind(store);
    return infrastructure('store', () => read(userId === undefined ? {} : { userId }));
  }

  return {
    keyUsage: () => keyUsage(),

    /** Refuses a keyring that lacks a key some record still needs, naming the key and the counts. */
    async checkKeyring(): Promise<KeyUsage> {
      const usage = await keyUsage();
      const missing = missingKeys(context, usage);
      if (missing.length > 0) {
        throw new TotpkitError(
          'invalid_configuration',
          `The keyring lacks keys that stored records need: ${missing.join('; ')}. Put them back, run rekey(), and ` +
            'remove a key only when keyUsage() shows nothing under it.',
        );
      }
      return usage;
    },

    /** Re-seals every secret under the current key, `batchSize` authenticators at a time. */
    async rekey({ batchSize = 100 }: { batchSize?: number } = {}): Promise<RekeyResult> {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new TotpkitError('invalid_configuration', 'rekey: batchSize must be a positive integer.');
      }
      if (!adapter.usesKeyring) {
        throw new TotpkitError(
          'invalid_configuration',
          'rekey() moves secrets sealed by the keyring; with your own encrypt/decrypt hooks, re-encrypt them there.',
        );
      }
      const list = store.listAuthenticators?.bind(store);
      if (!list)
        throw new TotpkitError('invalid_configuration', 'This store has no listAuthenticators(); rekey needs it.');
      let after: string | null = null;
      let secretsMoved = 0;
      for (;;) {
        const from: string | null = after;
        const page: AuthenticatorRecord[] = await infrastructure('store', () =>
          list({ after: from, limit: batchSize }),
        );
        for (const { userId, encryptedSecret } of page) {
          if (keyring.keyIdOf(encryptedSecret) === keyring.currentKeyId) continue;
          // Throws decryption_failed when the sealing key is gone: nothing is skipped silently.
          const next = await keyring.rotate(encryptedSecret, 'totp-secret', userId);
          // Compare-and-set: a secret moved meanwhile by a login, or deleted, is left as it is.
          if (await infrastructure('store', () => store.replaceEncryptedSecret(userId, encryptedSecret, next))) {
            secretsMoved++;
          }
        }
        if (page.length < batchSize) break;
        after = page[page.length - 1]?.userId ?? null;
      }
      return { secretsMoved, usage: await keyUsage() };
    },

    /**
     * Called when no recovery-code hash matched: if the user's unused codes are keyed under a key
     * the keyring no longer has, that is a missing key, not a wrong code, and it is said so.
     */
    async assertRecoveryCodesCheckable(userId: string): Promise<void> {
      if (!store.keyUsage) return;
      const missing = missingKeys(context, await keyUsage(userId));
      if (missing.length > 0) {
        throw new TotpkitError(
          'decryption_failed',
          `This user's recovery codes cannot be checked: ${missing.join('; ')}.`,
        );
      }
    },
  };
}

export type KeyRotation = ReturnType<typeof createKeyRotation>;
