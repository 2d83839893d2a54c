/**
 * Encryption at rest (DESIGN.md "Secrets at rest", "Recovery codes"; checklist: secrets encrypted,
 * recovery codes hashed): after a real activation through the service, neither the bytes of the
 * SQLite file nor any row of the PostgreSQL tables holds the secret, a recovery code or the
 * otpauth URL, in any spelling. A database dump alone gives an attacker nothing to log in with.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { base32Decode, type SetupResult } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { SqliteStore } from '../../src/sqlite.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';
import { enrolThrough, sqlStoreService } from './support/sql-service.js';

const user = { id: 'ada-lovelace-1815', email: 'ada@example.com' };

/** Activates TOTP for `user` through the real service, uses one recovery code, and closes the service. */
async function activateThrough(
  store: SqliteStore | PostgresStore,
): Promise<{ setup: SetupResult; recoveryCodes: string[] }> {
  const totpkit = sqlStoreService(store);
  const { setup, recoveryCodes } = await enrolThrough(totpkit, user);
  // Use one code: the store then holds a set with a code removed; no state of it may be more readable than the rest.
  expect(await totpkit.verify(user, recoveryCodes[0])).toMatchObject({ ok: true, method: 'recovery_code' });
  await totpkit.close();
  return { setup, recoveryCodes };
}

/** Every spelling of a secret a dump could give away. */
function forbiddenStrings({ setup, recoveryCodes }: { setup: SetupResult; recoveryCodes: string[] }): string[] {
  const secretBytes = Buffer.from(base32Decode(setup.secret));
  const forbidden = [
    setup.secret,
    setup.secret.toLowerCase(),
    secretBytes.toString('hex'),
    secretBytes.toString('base64'),
    setup.otpauthUrl,
    decodeURIComponent(setup.otpauthUrl),
  ];
  for (const code of recoveryCodes) {
    const compact = code.replace(/-/g, '');
    forbidden.push(code, code.toUpperCase(), compact, compact.toUpperCase());
  }
  return forbidden;
}

describe('at rest in SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-at-rest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves no secret, recovery code or otpauth URL in the database file', async () => {
    const filename = join(dir, 'totpkit.db');
    const activation = await activateThrough(new SqliteStore({ filename }));
    // Closing the last connection checkpoints the WAL into the main file; read every file anyway.
    const bytes = Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir, name))));
    const text = bytes.toString('latin1');

    // The scan sees the data: the user's row is there.
    expect(text).toContain(user.id);
    const secretBytes = Buffer.from(base32Decode(activation.setup.secret));
    expect(bytes.includes(secretBytes)).toBe(false);
    for (const forbidden of forbiddenStrings(activation)) expect(text).not.toContain(forbidden);
  });
});

describeWithPostgres('at rest in PostgreSQL', () => {
  const schema = uniqueName('totpkit_at_rest');
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('leaves no secret, recovery code or otpauth URL in any row of the totpkit tables', async () => {
    const activation = await activateThrough(new PostgresStore({ connectionString: POSTGRES_URL, schema }));
    const tables = await admin.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    expect(tables.rows.length).toBeGreaterThanOrEqual(4);
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = await admin.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${table_name}" t`);
      dump += rows.rows.map((r) => r.row).join('\n');
    }

    expect(dump).toContain(user.id);
    for (const forbidden of forbiddenStrings(activation)) expect(dump).not.toContain(forbidden);
  });
});
