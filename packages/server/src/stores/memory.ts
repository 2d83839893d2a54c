/**
 * An in-memory `TotpStore` for unit tests and examples. Everything is lost when the process ends,
 * and nothing is shared between processes: use `SqliteStore` or `PostgresStore` for anything else.
 * JavaScript runs each method to completion between awaits, which is what makes its
 * compare-and-set operations atomic here.
 */
import { addUsage, type KeyUsage, keyIdOfRecoveryCodeHash, keyIdOfSealedSecret } from './key-usage.js';
import type {
  AuthenticatorRecord,
  RecoveryCodeCounts,
  RecoveryCodeHash,
  TotpStore,
  TrustedBrowserRecord,
  TrustedBrowserStore,
} from './types.js';

interface StoredCode {
  hash: string;
  usedAt: Date | null;
}

export class MemoryStore implements TotpStore, TrustedBrowserStore {
  readonly #authenticators = new Map<string, AuthenticatorRecord>();
  readonly #recoveryCodes = new Map<string, StoredCode[]>();
  /** By token hash, the unique lookup key. Expired records are dropped when the user's list is read. */
  readonly #trustedBrowsers = new Map<string, TrustedBrowserRecord>();

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
    this.#deleteTrust(userId);
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
    this.#deleteTrust(userId);
    return true;
  }

  async addTrustedBrowser(record: TrustedBrowserRecord): Promise<boolean> {
    if (!this.#authenticators.has(record.userId) || this.#trustedBrowsers.has(record.tokenHash)) return false;
    this.#trustedBrowsers.set(record.tokenHash, { ...record });
    return true;
  }

  async getTrustedBrowser(tokenHash: string): Promise<TrustedBrowserRecord | null> {
    const record = this.#trustedBrowsers.get(tokenHash);
    return record ? { ...record } : null;
  }

  async touchTrustedBrowser(id: string, at: Date): Promise<void> {
    for (const record of this.#trustedBrowsers.values()) if (record.id === id) record.lastUsedAt = at;
  }

  async listTrustedBrowsers(userId: string, now: Date): Promise<TrustedBrowserRecord[]> {
    const list: TrustedBrowserRecord[] = [];
    for (const [hash, record] of this.#trustedBrowsers) {
      if (record.expiresAt.getTime() <= now.getTime()) this.#trustedBrowsers.delete(hash);
      else if (record.userId === userId) list.push({ ...record });
    }
    return list.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async deleteTrustedBrowsers(userId: string, id?: string): Promise<number> {
    return this.#deleteTrust(userId, id);
  }

  #deleteTrust(userId: string, id?: string): number {
    let deleted = 0;
    for (const [hash, record] of this.#trustedBrowsers) {
      if (record.userId === userId && (id === undefined || record.id === id)) {
        this.#trustedBrowsers.delete(hash);
        deleted++;
      }
    }
    return deleted;
  }
}
