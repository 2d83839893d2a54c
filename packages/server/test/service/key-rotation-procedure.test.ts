/**
 * The key rotation procedure of docs/security.md §2.8, step by step as written there, on each
 * store (issue 11, item 8): secrets move by `rekey()` in batches, recovery codes by regeneration,
 * and a key that still protects anything cannot be removed silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type Totpkit,
  type TotpStore,
  type TotpUser,
  totpCode,
} from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { SqliteStore } from '../../src/sqlite.js';
import { createClock } from '../support/service-fixture.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';

const k1 = generateEncryptionKey();
const k2 = generateEncryptionKey();
const USERS: TotpUser[] = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'].map((id) => ({ id }));

function procedure(
  name: string,
  openStore: () => TotpStore,
  cleanup: () => Promise<void> = async () => {},
  suite: (name: string, body: () => void) => unknown = describe,
) {
  /** Services over one store and one clock, differing only in their keyring, as instances would. */
  function setting() {
    const clock = createClock();
    const store = openStore();
    const service = (keyring: { current: string; keys: Record<string, string> }): Totpkit =>
      createTotpkit({ issuer: 'ACME', keyring, store, now: clock.now, logger: { warn: () => {}, error: () => {} } });
    const secrets = new Map<string, string>();
    const code = (user: TotpUser) => {
      clock.advance(30); // each code of a fresh step, never a replay
      return totpCode(secrets.get(user.id) as string, { time: clock.now() / 1000 });
    };
    const enrollAll = async (kit: Totpkit) => {
      const codes = new Map<string, string[]>();
      for (const user of USERS) {
        const setup = await kit.beginSetup(user);
        secrets.set(user.id, setup.secret);
        const activated = await kit.activate(user, {
          enrollmentToken: setup.enrollmentToken,
          code: totpCode(setup.secret, { time: clock.now() / 1000 }),
        });
        if (!activated.ok) throw new Error(activated.error);
        codes.set(user.id, activated.recoveryCodes);
      }
      return codes;
    };
    return { store, service, code, enrollAll };
  }

  suite(`the key rotation procedure of docs/security.md on ${name}`, () => {
    afterAll(cleanup);

    it('moves every secret and every recovery code to the new key, and only then lets the old key go', async () => {
      const { store, service, code, enrollAll } = setting();
      const before = service({ current: 'k1', keys: { k1 } });
      await enrollAll(before);
      expect(await before.keyUsage()).toEqual({ k1: { secrets: 5, recoveryCodes: 50 } });

      // Step 1: add the new key and make it current; keep the old one.
      const rotating = service({ current: 'k2', keys: { k1, k2 } });
      // Step 2: re-key the secrets, in batches (2 per query here, so three batches for five users).
      const { secretsMoved, usage } = await rotating.rekey({ batchSize: 2 });
      expect(secretsMoved).toBe(5);
      expect(usage).toEqual({ k1: { secrets: 0, recoveryCodes: 50 }, k2: { secrets: 5, recoveryCodes: 0 } });
      for (const user of USERS) {
        expect((await store.getAuthenticator(user.id))?.encryptedSecret).toMatch(/^v1\.k2\./);
      }
      // A second run finds nothing left to move.
      expect((await rotating.rekey({ batchSize: 2 })).secretsMoved).toBe(0);

      // Step 3: move the recovery codes by regeneration.
      const newCodes = new Map<string, string[]>();
      for (const user of USERS) {
        const regenerated = await rotating.regenerateRecoveryCodes(user, { code: code(user) });
        if (!regenerated.ok) throw new Error(regenerated.error);
        newCodes.set(user.id, regenerated.recoveryCodes);
      }

      // Step 4: check, then remove.
      expect(await rotating.keyUsage()).toEqual({ k2: { secrets: 5, recoveryCodes: 50 } });
      const after = service({ current: 'k2', keys: { k2 } });
      expect(await after.checkKeyring()).toEqual({ k2: { secrets: 5, recoveryCodes: 50 } });
      for (const user of USERS) {
        expect(await after.verify(user, code(user))).toMatchObject({ ok: true, method: 'totp' });
        expect(await after.verify(user, newCodes.get(user.id)?.[0])).toMatchObject({
          ok: true,
          method: 'recovery_code',
        });
      }
      await store.close?.();
    });

    it('refuses to lose a key that still protects recovery codes: checkKeyring names the count, and a code fails loudly', async () => {
      const { store, service, code, enrollAll } = setting();
      const codes = await enrollAll(service({ current: 'k1', keys: { k1 } }));
      // Steps 1 and 2 done, step 3 skipped: k1 is removed too early.
      await service({ current: 'k2', keys: { k1, k2 } }).rekey({ batchSize: 2 });
      const early = service({ current: 'k2', keys: { k2 } });

      await expect(early.checkKeyring()).rejects.toMatchObject({
        code: 'invalid_configuration',
        message: expect.stringContaining('key "k1" still protects 50 unused recovery codes'),
      });
      const [user] = USERS as [TotpUser];
      // The secret moved, so TOTP works; the recovery code is not passed off as a wrong one.
      expect(await early.verify(user, code(user))).toMatchObject({ ok: true });
      await expect(early.verify(user, codes.get(user.id)?.[0])).rejects.toMatchObject({
        code: 'decryption_failed',
        message: expect.stringContaining('key "k1" still protects 10 unused recovery codes'),
      });
      // Nothing was consumed: with k1 back, the same code works.
      expect(await service({ current: 'k2', keys: { k1, k2 } }).verify(user, codes.get(user.id)?.[0])).toMatchObject({
        ok: true,
        method: 'recovery_code',
      });
      await store.close?.();
    });
  });
}

procedure('memory', () => new MemoryStore());

const dir = mkdtempSync(join(tmpdir(), 'totpkit-rotation-'));
let files = 0;
procedure(
  'SQLite',
  () => new SqliteStore({ filename: join(dir, `rotation-${files++}.db`) }),
  async () => rmSync(dir, { recursive: true, force: true }),
);

const schemas: string[] = [];
procedure(
  'PostgreSQL',
  () => {
    const schema = uniqueName('totpkit_rotation');
    schemas.push(schema);
    return new PostgresStore({ connectionString: POSTGRES_URL, schema });
  },
  async () => {
    const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  },
  describeWithPostgres,
);
