// A store of one's own passing the store contract from @totpkit/server/testing under node:test:
// `node --test custom-store.test.mjs`. Shown in docs/server.md ("Writing your own store") and run
// from the packed tarballs by packaging/test/install-from-tarballs.test.ts.
import * as test from 'node:test';
import { describeStoreContract } from '@totpkit/server/testing';

/**
 * One process's memory: each method reads and writes with no `await` in between, which is what
 * makes its compare-and-sets atomic here. A database store needs the same in one statement.
 */
class MapStore {
  #authenticators = new Map(); // userId → AuthenticatorRecord
  #codes = new Map(); // userId → [{ hash, usedAt }]

  async getAuthenticator(userId) {
    const record = this.#authenticators.get(userId);
    return record ? structuredClone(record) : null;
  }
  async createAuthenticator(record, recoveryCodes) {
    if (this.#authenticators.has(record.userId)) return false;
    this.#authenticators.set(record.userId, structuredClone(record));
    if (recoveryCodes.length > 0) {
      this.#codes.set(
        record.userId,
        recoveryCodes.map(({ hash }) => ({ hash, usedAt: null })),
      );
    }
    return true;
  }
  async advanceLastUsedStep(userId, step, at) {
    const record = this.#authenticators.get(userId);
    if (!record || (record.lastUsedStep !== null && record.lastUsedStep >= step)) return false;
    Object.assign(record, { lastUsedStep: step, lastUsedAt: new Date(at) });
    return true;
  }
  async replaceEncryptedSecret(userId, expected, next) {
    const record = this.#authenticators.get(userId);
    if (record?.encryptedSecret !== expected) return false;
    record.encryptedSecret = next;
    return true;
  }
  async deleteAuthenticator(userId) {
    this.#codes.delete(userId);
    return this.#authenticators.delete(userId);
  }
  async getRecoveryCodeCounts(userId) {
    const codes = this.#codes.get(userId);
    return codes ? { total: codes.length, unused: codes.filter((code) => !code.usedAt).length } : null;
  }
  async consumeRecoveryCode(userId, hash, at) {
    const code = this.#codes.get(userId)?.find((candidate) => candidate.hash === hash && !candidate.usedAt);
    if (!code) return false;
    code.usedAt = new Date(at);
    this.#authenticators.get(userId).lastUsedAt = new Date(at);
    return true;
  }
  async replaceRecoveryCodes(userId, recoveryCodes) {
    if (!this.#authenticators.has(userId)) return false;
    this.#codes.set(
      userId,
      recoveryCodes.map(({ hash }) => ({ hash, usedAt: null })),
    );
    return true;
  }
}

describeStoreContract(test, 'MapStore', () => new MapStore());
