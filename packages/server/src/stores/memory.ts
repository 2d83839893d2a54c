/**
 * An in-memory `TotpStore` for unit tests and examples. Everything is lost when the process ends,
 * and nothing is shared between processes: use `SqliteStore` or `PostgresStore` for anything else.
 * JavaScript runs each method to completion between awaits, which is what makes its
 * compare-and-set operations atomic here.
 */
import { addUsage, type KeyUsage, keyIdOfRecoveryCodeHash, keyIdOfSealedSecret } from './key-usage.js';
import type { AuthenticatorRecord, RecoveryCodeCounts, RecoveryCodeHash, TotpStore } from './types.js';

interface StoredCode {
  hash: string;
  usedAt: Date | null;
}

export class MemoryStore implements TotpStore {
  readonly #authenticators = new Map<string, AuthenticatorRecord>();
  readonly #recoveryCodes = new Map<string, StoredCode[]>();

  async getAuthenticator(userId: string): Promise<AuthenticatorRecord | null> {
    const record = this.#authenticators.get(userId);
    return record ? { ...record, recoveryCodes: this.#counts(userId) } : null;
  }

  async createAuthenticator(record: AuthenticatorRecord, recoveryCodes: RecoveryCodeHash[]): Promise<boolean> {
    if (this.#authenticators.has(record.userId)) return false;
    const { recoveryCodes: _counts, ...stored } = record;
    this.#authenticators.set(record.userId, stored);
    this.#recoveryCodes.set(
      record.userId,
      recoveryCodes.map(({ hash }) => ({ hash, usedAt: null })),
    );
    return true;
  }

  async advanceLastUsedStep(userId: string, step: number, at: Date): Promise<boolean> {
    const record = this.#authenticators.get(userId);
    if (!record || (record.lastUsedStep !== null && record.lastUsedStep >= step)) return false;
    record.lastUsedStep = step;
    record.lastUsedAt = at;
    return true;
  }

  async replaceEncryptedSecret(userId: string, expected: string, next: string): Promise<boolean> {
    const record = this.#authenticators.get(userId);
    if (!record || record.encryptedSecret !== expected) return false;
    record.encryptedSecret = next;
    return true;
  }

  async deleteAuthenticator(userId: string): Promise<boolean> {
    this.#recoveryCodes.delete(userId);
    return this.#authenticators.delete(userId);
  }

  async getRecoveryCodeCounts(userId: string): Promise<RecoveryCodeCounts | null> {
    return this.#counts(userId);
  }

  #counts(userId: string): RecoveryCodeCounts | null {
    const codes = this.#recoveryCodes.get(userId);
    if (!codes || codes.length === 0) return null;
    return { total: codes.length, unused: codes.filter((code) => code.usedAt === null).length };
  }

  async consumeRecoveryCode(userId: string, hash: string, at: Date): Promise<boolean> {
    const code = this.#recoveryCodes.get(userId)?.find((c) => c.hash === hash && c.usedAt === null);
    if (!code) return false;
    code.usedAt = at;
    const record = this.#authenticators.get(userId);
    if (record) record.lastUsedAt = at;
    return true;
  }

  async keyUsage({ userId }: { userId?: string } = {}): Promise<KeyUsage> {
    const usage: KeyUsage = {};
    for (const [id, record] of this.#authenticators) {
      if (userId === undefined || id === userId)
        addUsage(usage, keyIdOfSealedSecret(record.encryptedSecret), 'secrets');
    }
    for (const [id, codes] of this.#recoveryCodes) {
      if (userId !== undefined && id !== userId) continue;
      for (const code of codes)
        if (code.usedAt === null) addUsage(usage, keyIdOfRecoveryCodeHash(code.hash), 'recoveryCodes');
    }
    return usage;
  }

  async listAuthenticators({ after, limit }: { after: string | null; limit: number }): Promise<AuthenticatorRecord[]> {
    return [...this.#authenticators.values()]
      .filter((record) => after === null || record.userId > after)
      .sort((a, b) => (a.userId < b.userId ? -1 : 1))
      .slice(0, limit)
      .map((record) => ({ ...record }));
  }

  async replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodeHash[]): Promise<boolean> {
    if (!this.#authenticators.has(userId)) return false;
    this.#recoveryCodes.set(
      userId,
      recoveryCodes.map(({ hash }) => ({ hash, usedAt: null })),
    );
    return true;
  }
}
