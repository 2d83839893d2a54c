/**
 * The contract every `TotpStore` must honour (src/stores/types.ts), as one suite that runs against
 * each store: MemoryStore, SqliteStore, PostgresStore, and yours (DynamoDB, Prisma, your ORM).
 * Call it from a test file with your runner and a function that returns your store connected to
 * a test database:
 *
 *     import * as vitest from 'vitest'; // or: import * as test from 'node:test';
 *     import { describeStoreContract } from '@totpkit/server/testing';
 *     describeStoreContract(vitest, 'MyStore', () => new MyStore({ url: process.env.TEST_DATABASE_URL }));
 *
 * The suite calls `makeStore` once, uses a fresh user id in every test (so the database may
 * hold other data), and closes the store at the end. The race tests are the ones that matter:
 * a store that reads and then writes in JavaScript passes every other test and fails those, and
 * with it every TOTP and recovery code could be used twice (RFC 6238 §5.2; checklist items 7, 8).
 */
import {
  type AuthenticatorRecord,
  hasTrustedBrowsers,
  type RecoveryCodeHash,
  type TotpStore,
  TRUSTED_BROWSER_STORE_METHODS,
  type TrustedBrowserRecord,
  type TrustedBrowserStore,
} from '../stores/types.js';
import { expect } from './expect.js';
import { type TestRunner, useRunner } from './runner.js';

/** A freshly created authenticator's record, with `overrides`. */
export function authenticatorRecord(userId: string, overrides: Partial<AuthenticatorRecord> = {}): AuthenticatorRecord {
  return {
    userId,
    encryptedSecret: `v1.k1.sealed-for-${userId}`,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    lastUsedStep: null,
    createdAt: new Date(Date.UTC(2030, 0, 1, 12, 0, 0, 123)),
    lastUsedAt: null,
    ...overrides,
  };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A stored recovery-code hash standing for the code `name`, in the form `hashRecoveryCode` gives:
 * `<keyId>:` and 43 base64url characters (an HMAC-SHA256). Deterministic, and different names
 * differ from the first characters on, as real MACs do (a store may keep only a prefix of the MAC).
 */
export function hash(name: string, keyId = 'k1'): string {
  let state = 0x811c9dc5;
  for (const char of name) state = Math.imul(state ^ (char.codePointAt(0) as number), 0x01000193) >>> 0;
  let mac = '';
  for (let i = 0; i < 43; i++) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) >>> 0;
    state = (state ^ (state >>> 12) ^ i) >>> 0;
    mac += BASE64URL[state & 63];
  }
  return `${keyId}:${mac}`;
}

/** Stored recovery-code hashes, one per name (see `hash`). */
export function hashes(...names: string[]): RecoveryCodeHash[] {
  return names.map((name) => ({ hash: hash(name) }));
}

/** A trusted browser's record for `userId`, created at `createdAt`, with `overrides`; `name` makes its id and hash. */
export function trustedBrowserRecord(
  userId: string,
  name: string,
  overrides: Partial<TrustedBrowserRecord> = {},
): TrustedBrowserRecord {
  const createdAt = overrides.createdAt ?? new Date(Date.UTC(2030, 0, 2, 8, 0, 0, 789));
  return {
    id: `tb-${name}-${crypto.randomUUID()}`,
    userId,
    tokenHash: hash(`trust:${name}:${crypto.randomUUID()}`),
    label: 'Firefox on Windows',
    createdAt,
    lastUsedAt: null,
    expiresAt: new Date(createdAt.getTime() + 14 * 86_400_000),
    ...overrides,
  };
}

/** A read record without the recovery-code counts a store may read with it. */
function withoutCounts(record: AuthenticatorRecord | null): AuthenticatorRecord | null {
  if (!record) return record;
  const { recoveryCodes: _counts, ...rest } = record;
  return rest;
}

const AT = new Date(Date.UTC(2030, 0, 2, 8, 30, 0, 456));
const LATER = new Date(AT.getTime() + 30_000);
const STEP = 63_140_000;

/** Registers the store contract for one implementation. */
export function describeStoreContract(
  runner: TestRunner,
  name: string,
  makeStore: () => TotpStore | Promise<TotpStore>,
): void {
  const { describe, it, beforeAll, afterAll } = useRunner(runner);
  describe(`TotpStore contract: ${name}`, () => {
    let store: TotpStore;
    /** A user id no other test (or run) uses, with characters a careless store might mangle. */
    const newUser = (label = 'user') => `${label}-ß@例:${crypto.randomUUID()}`;

    beforeAll(async () => {
      store = await makeStore();
    });

    afterAll(async () => {
      await store?.close?.();
    });

    /** A user with an authenticator and recovery codes a, b, c. */
    async function enrolled(overrides: Partial<AuthenticatorRecord> = {}): Promise<string> {
      const userId = newUser();
      expect(await store.createAuthenticator(authenticatorRecord(userId, overrides), hashes('a', 'b', 'c'))).toBe(true);
      return userId;
    }

    describe('authenticators', () => {
      it('has no authenticator and no recovery codes for an unknown user', async () => {
        const userId = newUser();
        expect(await store.getAuthenticator(userId)).toBeNull();
        expect(await store.getRecoveryCodeCounts(userId)).toBeNull();
      });

      it('returns the created record field for field, dates included', async () => {
        const userId = newUser();
        const record = authenticatorRecord(userId, { algorithm: 'SHA512', digits: 8, period: 60 });
        expect(await store.createAuthenticator(record, hashes('a'))).toBe(true);
        const stored = await store.getAuthenticator(userId);
        expect(withoutCounts(stored)).toEqual(record);
        expect(stored?.createdAt).toBeInstanceOf(Date);
      });

      it('reads the recovery-code counts with the authenticator, if at all, as getRecoveryCodeCounts has them', async () => {
        const userId = await enrolled();
        const bare = newUser();
        await store.createAuthenticator(authenticatorRecord(bare), []);
        await store.consumeRecoveryCode(userId, hash('a'), AT);
        for (const id of [userId, bare]) {
          const { recoveryCodes } = (await store.getAuthenticator(id)) as AuthenticatorRecord;
          if (recoveryCodes !== undefined) expect(recoveryCodes).toEqual(await store.getRecoveryCodeCounts(id));
        }
      });

      it('keeps a lastUsedStep and lastUsedAt given at creation (the activation code counts as used)', async () => {
        const userId = newUser();
        const record = authenticatorRecord(userId, { lastUsedStep: STEP, lastUsedAt: AT });
        await store.createAuthenticator(record, []);
        expect(withoutCounts(await store.getAuthenticator(userId))).toEqual(record);
      });

      it('hands out copies: changing a returned record changes nothing stored', async () => {
        const userId = await enrolled();
        const first = await store.getAuthenticator(userId);
        if (first) first.lastUsedStep = STEP;
        expect((await store.getAuthenticator(userId))?.lastUsedStep).toBeNull();
      });

      it('refuses a second authenticator for the same user, and writes nothing of it', async () => {
        const userId = await enrolled();
        const second = authenticatorRecord(userId, { encryptedSecret: 'v1.k1.other', lastUsedStep: STEP });
        expect(await store.createAuthenticator(second, hashes('x', 'y', 'z', 'w'))).toBe(false);
        expect(withoutCounts(await store.getAuthenticator(userId))).toEqual(authenticatorRecord(userId));
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 3, unused: 3 });
        expect(await store.consumeRecoveryCode(userId, hash('x'), AT)).toBe(false);
      });

      it('deletes the authenticator with all its recovery codes, once', async () => {
        const userId = await enrolled();
        expect(await store.deleteAuthenticator(userId)).toBe(true);
        expect(await store.getAuthenticator(userId)).toBeNull();
        expect(await store.getRecoveryCodeCounts(userId)).toBeNull();
        expect(await store.consumeRecoveryCode(userId, hash('a'), AT)).toBe(false);
        expect(await store.deleteAuthenticator(userId)).toBe(false);
      });

      it('lets a user enrol again after deactivation, with none of the old codes', async () => {
        const userId = await enrolled();
        await store.consumeRecoveryCode(userId, hash('a'), AT);
        await store.deleteAuthenticator(userId);
        expect(await store.createAuthenticator(authenticatorRecord(userId), hashes('d', 'e'))).toBe(true);
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 2, unused: 2 });
        expect(await store.consumeRecoveryCode(userId, hash('b'), AT)).toBe(false);
      });
    });

    describe('advanceLastUsedStep (compare-and-set)', () => {
      it('advances from no step, and records when', async () => {
        const userId = await enrolled();
        expect(await store.advanceLastUsedStep(userId, STEP, AT)).toBe(true);
        expect(await store.getAuthenticator(userId)).toMatchObject({ lastUsedStep: STEP, lastUsedAt: AT });
      });

      it('refuses the same step and any lower one, and leaves the record as it was', async () => {
        const userId = await enrolled();
        await store.advanceLastUsedStep(userId, STEP, AT);
        expect(await store.advanceLastUsedStep(userId, STEP, LATER)).toBe(false);
        expect(await store.advanceLastUsedStep(userId, STEP - 1, LATER)).toBe(false);
        expect(await store.advanceLastUsedStep(userId, 0, LATER)).toBe(false);
        expect(await store.getAuthenticator(userId)).toMatchObject({ lastUsedStep: STEP, lastUsedAt: AT });
      });

      it('advances to any higher step', async () => {
        const userId = await enrolled({ lastUsedStep: STEP });
        expect(await store.advanceLastUsedStep(userId, STEP + 1, AT)).toBe(true);
        expect(await store.advanceLastUsedStep(userId, STEP + 10, LATER)).toBe(true);
        expect(await store.getAuthenticator(userId)).toMatchObject({ lastUsedStep: STEP + 10, lastUsedAt: LATER });
      });

      it('refuses a user without an authenticator', async () => {
        expect(await store.advanceLastUsedStep(newUser(), STEP, AT)).toBe(false);
      });
    });

    describe('replaceEncryptedSecret (compare-and-set, for key rotation)', () => {
      it('replaces the secret only while it still equals the expected one', async () => {
        const userId = await enrolled();
        const original = authenticatorRecord(userId).encryptedSecret;
        expect(await store.replaceEncryptedSecret(userId, 'v1.k0.stale', 'v1.k2.new')).toBe(false);
        expect((await store.getAuthenticator(userId))?.encryptedSecret).toBe(original);

        expect(await store.replaceEncryptedSecret(userId, original, 'v1.k2.new')).toBe(true);
        expect((await store.getAuthenticator(userId))?.encryptedSecret).toBe('v1.k2.new');
        // A second rotation that read the old value loses.
        expect(await store.replaceEncryptedSecret(userId, original, 'v1.k2.other')).toBe(false);
        expect((await store.getAuthenticator(userId))?.encryptedSecret).toBe('v1.k2.new');
      });

      it('refuses a user without an authenticator', async () => {
        expect(await store.replaceEncryptedSecret(newUser(), 'a', 'b')).toBe(false);
      });
    });

    describe('recovery codes', () => {
      it('counts the codes; none given means none stored', async () => {
        expect(await store.getRecoveryCodeCounts(await enrolled())).toEqual({ total: 3, unused: 3 });
        const bare = newUser();
        await store.createAuthenticator(authenticatorRecord(bare), []);
        expect(await store.getRecoveryCodeCounts(bare)).toBeNull();
      });

      it('consumes each code once, counts it used, and records the use on the authenticator', async () => {
        const userId = await enrolled();
        expect(await store.consumeRecoveryCode(userId, hash('b'), AT)).toBe(true);
        expect(await store.consumeRecoveryCode(userId, hash('b'), LATER)).toBe(false);
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 3, unused: 2 });
        expect(await store.getAuthenticator(userId)).toMatchObject({ lastUsedAt: AT, lastUsedStep: null });
      });

      it('refuses a hash that is not one of the user’s codes', async () => {
        const userId = await enrolled();
        expect(await store.consumeRecoveryCode(userId, hash('b', 'k2'), AT)).toBe(false);
        expect(await store.consumeRecoveryCode(userId, hash('nope'), AT)).toBe(false);
        expect(await store.consumeRecoveryCode(userId, hash('A'), AT)).toBe(false);
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 3, unused: 3 });
      });

      it('replaces the whole set: old codes stop working, new ones start unused', async () => {
        const userId = await enrolled();
        await store.consumeRecoveryCode(userId, hash('a'), AT);
        expect(await store.replaceRecoveryCodes(userId, hashes('a', 'n1', 'n2', 'n3', 'n4'))).toBe(true);
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 5, unused: 5 });
        expect(await store.consumeRecoveryCode(userId, hash('b'), AT)).toBe(false);
        // A new code equal to a used old one is a new, unused code.
        expect(await store.consumeRecoveryCode(userId, hash('a'), LATER)).toBe(true);
        expect(await store.consumeRecoveryCode(userId, hash('n4'), LATER)).toBe(true);
      });

      it('replaces nothing, and stores nothing, for a user without an authenticator', async () => {
        const userId = newUser();
        expect(await store.replaceRecoveryCodes(userId, hashes('a'))).toBe(false);
        expect(await store.getRecoveryCodeCounts(userId)).toBeNull();
        expect(await store.consumeRecoveryCode(userId, hash('a'), AT)).toBe(false);
      });
    });

    describe('users are isolated', () => {
      it('never lets one user’s state or codes act on another’s', async () => {
        const ada = await enrolled();
        const bob = await enrolled();
        // Both hold a code with the same stored hash: consuming Ada's leaves Bob's.
        expect(await store.consumeRecoveryCode(ada, hash('a'), AT)).toBe(true);
        expect(await store.consumeRecoveryCode(bob, hash('a'), AT)).toBe(true);
        expect(await store.advanceLastUsedStep(ada, STEP, AT)).toBe(true);
        expect((await store.getAuthenticator(bob))?.lastUsedStep).toBeNull();
        await store.replaceRecoveryCodes(ada, hashes('z'));
        expect(await store.getRecoveryCodeCounts(bob)).toEqual({ total: 3, unused: 2 });
        await store.deleteAuthenticator(ada);
        expect(await store.getAuthenticator(bob)).not.toBeNull();
        expect(await store.consumeRecoveryCode(bob, hash('c'), AT)).toBe(true);
      });

      it('treats user ids as exact strings: no case folding, no trimming, no prefix match', async () => {
        const userId = await enrolled();
        for (const other of [userId.toUpperCase(), ` ${userId}`, `${userId} `, userId.slice(0, -1)]) {
          expect(await store.getAuthenticator(other)).toBeNull();
          expect(await store.advanceLastUsedStep(other, STEP, AT)).toBe(false);
          expect(await store.consumeRecoveryCode(other, hash('a'), AT)).toBe(false);
        }
      });
    });

    describe('under concurrency', () => {
      it('lets exactly one of 50 parallel advances to the same step win', async () => {
        const userId = await enrolled();
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.advanceLastUsedStep(userId, STEP, AT)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.getAuthenticator(userId))?.lastUsedStep).toBe(STEP);
      });

      it('never moves the step backwards when 50 different steps race', async () => {
        const userId = await enrolled();
        const steps = Array.from({ length: 50 }, (_, i) => STEP + ((i * 17) % 50));
        const results = await Promise.all(steps.map((step) => store.advanceLastUsedStep(userId, step, AT)));
        expect(results[steps.indexOf(STEP + 49)]).toBe(true);
        expect((await store.getAuthenticator(userId))?.lastUsedStep).toBe(STEP + 49);
      });

      it('lets exactly one of 50 parallel uses of one recovery code win', async () => {
        const userId = await enrolled();
        const results = await Promise.all(
          Array.from({ length: 50 }, () => store.consumeRecoveryCode(userId, hash('b'), AT)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 3, unused: 2 });
      });

      it('lets every code of a set be used once when 50 uses of its 10 codes race', async () => {
        const userId = newUser();
        const names = Array.from({ length: 10 }, (_, i) => `code-${i}`);
        await store.createAuthenticator(authenticatorRecord(userId), hashes(...names));
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.consumeRecoveryCode(userId, hash(names[i % 10] as string), AT)),
        );
        expect(results.filter(Boolean)).toHaveLength(10);
        names.forEach((_, code) => {
          expect(results.filter((won, i) => won && i % 10 === code)).toHaveLength(1);
        });
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: 10, unused: 0 });
      });

      it('lets exactly one of two racing activations win, with its own codes only', async () => {
        const userId = newUser();
        const first = authenticatorRecord(userId, { encryptedSecret: 'v1.k1.first' });
        const second = authenticatorRecord(userId, { encryptedSecret: 'v1.k1.second' });
        const results = await Promise.all([
          store.createAuthenticator(first, hashes('f1', 'f2')),
          store.createAuthenticator(second, hashes('s1', 's2', 's3')),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const won = results[0]
          ? { secret: 'v1.k1.first', codes: 2, lost: hash('s1') }
          : { secret: 'v1.k1.second', codes: 3, lost: hash('f1') };
        expect((await store.getAuthenticator(userId))?.encryptedSecret).toBe(won.secret);
        expect(await store.getRecoveryCodeCounts(userId)).toEqual({ total: won.codes, unused: won.codes });
        expect(await store.consumeRecoveryCode(userId, won.lost, AT)).toBe(false);
      });

      it('leaves no codes behind when regeneration races deactivation', async () => {
        const userId = await enrolled();
        const [replaced, deleted] = await Promise.all([
          store.replaceRecoveryCodes(userId, hashes('r1', 'r2')),
          store.deleteAuthenticator(userId),
        ]);
        expect(deleted).toBe(true);
        expect(typeof replaced).toBe('boolean');
        expect(await store.getAuthenticator(userId)).toBeNull();
        expect(await store.getRecoveryCodeCounts(userId)).toBeNull();
      });

      it('neither deadlocks nor leaves codes when recovery-code logins race deactivation', async () => {
        for (let round = 0; round < 5; round++) {
          const userId = await enrolled();
          const uses = ['a', 'b', 'c'].map((code) => store.consumeRecoveryCode(userId, hash(code), AT));
          const [deleted] = await Promise.all([store.deleteAuthenticator(userId), ...uses]);
          expect(deleted).toBe(true);
          expect(await store.getRecoveryCodeCounts(userId)).toBeNull();
        }
      });
    });

    describe('trusted browsers (when the store has them)', () => {
      /** The store with the group, or null: the cases below then have nothing to check. */
      const trusting = () => (hasTrustedBrowsers(store) ? (store as TotpStore & TrustedBrowserStore) : null);
      const DAY = 86_400_000;

      it('has all of the trusted-browser methods or none', () => {
        const present = TRUSTED_BROWSER_STORE_METHODS.filter((method) => typeof store[method] === 'function');
        expect([0, TRUSTED_BROWSER_STORE_METHODS.length].includes(present.length)).toBe(true);
      });

      it('adds a trusted browser and finds it by its token hash, field for field', async () => {
        const s = trusting();
        if (!s) return;
        const userId = await enrolled();
        const record = trustedBrowserRecord(userId, 'a');
        expect(await s.addTrustedBrowser(record)).toBe(true);
        const stored = await s.getTrustedBrowser(record.tokenHash);
        expect(stored).toEqual(record);
        expect(stored?.expiresAt).toBeInstanceOf(Date);
        expect(await s.getTrustedBrowser(hash('no such token'))).toBeNull();
      });

      it('adds nothing for a user without an authenticator', async () => {
        const s = trusting();
        if (!s) return;
        const userId = newUser();
        const record = trustedBrowserRecord(userId, 'a');
        expect(await s.addTrustedBrowser(record)).toBe(false);
        expect(await s.getTrustedBrowser(record.tokenHash)).toBeNull();
        expect(await s.listTrustedBrowsers(userId, AT)).toEqual([]);
      });

      it('records the last use with touch; touching an unknown id changes nothing', async () => {
        const s = trusting();
        if (!s) return;
        const userId = await enrolled();
        const record = trustedBrowserRecord(userId, 'a');
        await s.addTrustedBrowser(record);
        await s.touchTrustedBrowser(record.id, LATER);
        expect((await s.getTrustedBrowser(record.tokenHash))?.lastUsedAt).toEqual(LATER);
        await s.touchTrustedBrowser('tb-unknown', LATER);
      });

      it("lists the user's unexpired browsers only, newest first", async () => {
        const s = trusting();
        if (!s) return;
        const userId = await enrolled();
        const other = await enrolled();
        const now = new Date(Date.UTC(2030, 0, 10));
        const old = trustedBrowserRecord(userId, 'old', { createdAt: new Date(now.getTime() - 3 * DAY) });
        const recent = trustedBrowserRecord(userId, 'recent', { createdAt: new Date(now.getTime() - DAY) });
        const expired = trustedBrowserRecord(userId, 'expired', {
          createdAt: new Date(now.getTime() - 15 * DAY),
          expiresAt: new Date(now.getTime() - 1),
        });
        const endsNow = trustedBrowserRecord(userId, 'ends-now', { expiresAt: now });
        const theirs = trustedBrowserRecord(other, 'theirs', { createdAt: now });
        for (const record of [old, recent, expired, endsNow, theirs])
          expect(await s.addTrustedBrowser(record)).toBe(true);
        expect(await s.listTrustedBrowsers(userId, now)).toEqual([recent, old]);
        expect(await s.listTrustedBrowsers(other, now)).toEqual([theirs]);
      });

      it("deletes one by id, or all, and counts them; never another user's", async () => {
        const s = trusting();
        if (!s) return;
        const userId = await enrolled();
        const other = await enrolled();
        const [a, b, c] = ['a', 'b', 'c'].map((name) => trustedBrowserRecord(userId, name)) as [
          TrustedBrowserRecord,
          TrustedBrowserRecord,
          TrustedBrowserRecord,
        ];
        const theirs = trustedBrowserRecord(other, 'theirs');
        for (const record of [a, b, c, theirs]) await s.addTrustedBrowser(record);
        expect(await s.deleteTrustedBrowsers(userId, theirs.id)).toBe(0);
        expect(await s.getTrustedBrowser(theirs.tokenHash)).toEqual(theirs);
        expect(await s.deleteTrustedBrowsers(userId, a.id)).toBe(1);
        expect(await s.deleteTrustedBrowsers(userId, a.id)).toBe(0);
        expect(await s.getTrustedBrowser(a.tokenHash)).toBeNull();
        expect(await s.deleteTrustedBrowsers(userId)).toBe(2);
        expect(await s.listTrustedBrowsers(userId, AT)).toEqual([]);
        expect(await s.listTrustedBrowsers(other, AT)).toEqual([theirs]);
      });

      it('deletes them with the authenticator: none come back when the user enrols again', async () => {
        const s = trusting();
        if (!s) return;
        const userId = await enrolled();
        const other = await enrolled();
        const record = trustedBrowserRecord(userId, 'a');
        const theirs = trustedBrowserRecord(other, 'theirs');
        await s.addTrustedBrowser(record);
        await s.addTrustedBrowser(theirs);
        expect(await s.deleteAuthenticator(userId)).toBe(true);
        expect(await s.getTrustedBrowser(record.tokenHash)).toBeNull();
        expect(await s.createAuthenticator(authenticatorRecord(userId), hashes('n'))).toBe(true);
        expect(await s.listTrustedBrowsers(userId, AT)).toEqual([]);
        expect(await s.getTrustedBrowser(theirs.tokenHash)).toEqual(theirs);
      });

      it('deletes them when the recovery codes are replaced', async () => {
        const s = trusting();
        if (!s) return;
        const userId = await enrolled();
        const record = trustedBrowserRecord(userId, 'a');
        await s.addTrustedBrowser(record);
        expect(await s.replaceRecoveryCodes(userId, hashes('r1'))).toBe(true);
        expect(await s.getTrustedBrowser(record.tokenHash)).toBeNull();
        expect(await s.listTrustedBrowsers(userId, AT)).toEqual([]);
      });

      it('leaves no trust behind when adding races deactivation', async () => {
        const s = trusting();
        if (!s) return;
        for (let round = 0; round < 5; round++) {
          const userId = await enrolled();
          const records = ['a', 'b', 'c'].map((name) => trustedBrowserRecord(userId, name));
          const [deleted] = await Promise.all([
            s.deleteAuthenticator(userId),
            ...records.map((record) => s.addTrustedBrowser(record)),
          ]);
          expect(deleted).toBe(true);
          for (const record of records) expect(await s.getTrustedBrowser(record.tokenHash)).toBeNull();
        }
      });
    });
  });
}
