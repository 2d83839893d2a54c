/**
 * Bytes per enrolled account, as the service writes one: a 36-character user id, a secret sealed
 * by the keyring, ten recovery codes hashed under it, the activation's step and time. Measured
 * over 1,000 accounts inserted in random user-id order (as UUIDs arrive), so B-tree pages are as
 * full as they really get. Storage is deterministic, so SQLite's figure is asserted (≤ 500 B, issue
 * 15); PostgreSQL's (pg_total_relation_size of its tables, indexes and TOAST) is printed, and
 * docs/reliability.md records both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from '../../src/crypto/recovery-codes.js';
import { createKeyring, generateEncryptionKey, generateTotpSecret } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { SqliteStore } from '../../src/sqlite.js';
import { authenticatorParams } from '../../src/stores/sql/rows.js';
import { MIGRATIONS, sqlTables } from '../../src/stores/sql/schema.js';
import type { TotpStore } from '../../src/stores/types.js';
import { authenticatorRecord } from '../../src/testing/store.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';

const ACCOUNTS = 1000;
const keyring = createKeyring({ current: 'k1', keys: { k1: generateEncryptionKey() } });

/** Enrols `ACCOUNTS` users as activation does. */
async function enrol(store: Pick<TotpStore, 'createAuthenticator'>): Promise<void> {
  for (let i = 0; i < ACCOUNTS; i++) {
    const userId = crypto.randomUUID();
    const codes = generateRecoveryCodes(10);
    const hashes = await Promise.all(
      codes.map(async (code) => ({ hash: await hashRecoveryCode(keyring, userId, normalizeRecoveryCode(code)!) })),
    );
    const record = authenticatorRecord(userId, {
      encryptedSecret: await keyring.seal(generateTotpSecret(), 'totp-secret', userId),
      lastUsedStep: 63_140_000 + i,
      lastUsedAt: new Date(Date.UTC(2030, 0, 1) + i),
      createdAt: new Date(Date.UTC(2030, 0, 1) + i),
    });
    expect(await store.createAuthenticator(record, hashes)).toBe(true);
  }
}

describe('bytes per enrolled account in SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-footprint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Bytes of the pages of every totpkit table and index (dbstat), after a checkpoint. */
  function tableBytes(file: string): number {
    const db = new Database(file);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const { bytes } = db
        .prepare(
          "SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'totpkit_%' OR name LIKE 'sqlite_autoindex_totpkit_%'",
        )
        .get() as { bytes: number };
      return bytes;
    } finally {
      db.close();
    }
  }

  it(`stays within 500 bytes per account over ${ACCOUNTS} accounts`, async () => {
    const file = join(dir, 'footprint.db');
    const store = new SqliteStore({ filename: file });
    await store.migrate();
    await store.close();
    const empty = tableBytes(file);
    const filled = new SqliteStore({ filename: file });
    await enrol(filled);
    await filled.close();
    const perAccount = (tableBytes(file) - empty) / ACCOUNTS;

    // The same accounts in a schema-3 file, a row per recovery code, for comparison.
    const oldFile = join(dir, 'schema-3.db');
    const old = new Database(oldFile);
    old.pragma('journal_mode = WAL');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
      for (const statement of migration.statements(sqlTables(), 'sqlite')) old.exec(statement);
    }
    old.close();
    const oldEmpty = tableBytes(oldFile);
    const db = new Database(oldFile);
    await enrol({
      async createAuthenticator(record, codes) {
        db.prepare('INSERT INTO totpkit_authenticators VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          ...authenticatorParams(record),
        );
        for (const { hash } of codes)
          db.prepare('INSERT INTO totpkit_recovery_codes VALUES (?, ?, NULL)').run(record.userId, hash);
        return true;
      },
    });
    db.close();
    const oldPerAccount = (tableBytes(oldFile) - oldEmpty) / ACCOUNTS;

    console.log(
      `SQLite: ${perAccount.toFixed(0)} bytes per enrolled account (dbstat, ${ACCOUNTS} accounts); ` +
        `${oldPerAccount.toFixed(0)} with schema 3's row per recovery code`,
    );
    expect(perAccount).toBeLessThanOrEqual(500);
    expect(oldPerAccount).toBeGreaterThan(perAccount);
  }, 120_000);
});

describeWithPostgres('bytes per enrolled account in PostgreSQL', () => {
  const schema = uniqueName('totpkit_footprint');
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** pg_total_relation_size of every totpkit table in the schema (heap, indexes, TOAST). */
  async function tableBytes(): Promise<number> {
    const { rows } = await admin.query<{ bytes: string }>(
      `SELECT SUM(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  it(`prints the bytes per account over ${ACCOUNTS} accounts`, async () => {
    const store = new PostgresStore({ connectionString: POSTGRES_URL, schema, max: 2 });
    await store.migrate();
    const empty = await tableBytes();
    await enrol(store);
    await store.close();
    const perAccount = (await tableBytes()) - empty;
    console.log(
      `PostgreSQL: ${(perAccount / ACCOUNTS).toFixed(0)} bytes per enrolled account (pg_total_relation_size, ${ACCOUNTS} accounts)`,
    );
    expect(perAccount).toBeGreaterThan(0);
  }, 120_000);
});
