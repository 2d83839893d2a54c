/**
 * Trusted browsers on the SQL stores, end to end through the service: trust kept across a
 * restart, only the token's keyed hash at rest, revoked with the authenticator in its
 * transaction, and expired rows swept by the service's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEncryptionKey, type TotpStore, type TotpUser } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { SqliteStore } from '../../src/sqlite.js';
import { SWEEP_INTERVAL_MS } from '../../src/stores/sql/sweeper.js';
import { createClock, enroll, makeService } from '../support/service-fixture.js';
import { describeWithPostgres, POSTGRES_URL, uniqueName } from '../support/services.js';
import { trustedBrowserRecord } from './store-suite.js';

const ada: TotpUser = { id: 'u-ada', email: 'ada@example.com' };
const DAY_S = 86_400;

interface Backend {
  /** A store on the same database each call (a restart). */
  open(): TotpStore;
  /** The rows of the trusted-browser table, as stored. */
  rows(): Promise<Record<string, unknown>[]>;
}

function describeTrustOn(name: string, backend: () => Backend) {
  describe(`trusted browsers on ${name}`, () => {
    it('keeps trust across a restart, stores only the keyed hash, and revokes it with deactivation', async () => {
      const db = backend();
      const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };
      const clock = createClock();
      const first = makeService({ trustedBrowsers: true, keyring, now: clock.now }, { store: db.open() });
      const { code } = await enroll({ ...first, clock }, ada);
      const verified = await first.kit.verify(ada, code(), { trustBrowser: { days: 14, userAgent: 'Firefox/133.0' } });
      if (!verified.ok || !verified.trust) throw new Error('no trust');
      const { token, id } = verified.trust;
      await first.kit.close();

      const rows = await db.rows();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows[0]).toMatchObject({ id, user_id: ada.id, label: 'Firefox' });
      expect(String(rows[0]?.token_hash)).toMatch(/^k1:[A-Za-z0-9_-]{43}$/);

      clock.advance(60);
      const second = makeService({ trustedBrowsers: true, keyring, now: clock.now }, { store: db.open() });
      expect(await second.kit.isBrowserTrusted(ada, token)).toBe(true);
      expect(await second.kit.listTrustedBrowsers(ada, token)).toEqual([
        expect.objectContaining({ id, lastUsedAt: new Date(clock.now()), current: true }),
      ]);
      clock.advance(30);
      expect(await second.kit.deactivate(ada, { code: code() })).toEqual({ ok: true });
      expect(await second.kit.isBrowserTrusted(ada, token)).toBe(false);
      expect(await db.rows()).toEqual([]);
      await second.kit.close();
    });

    it('sweeps expired rows, by the clock of the service that adds one, at most once per interval', async () => {
      const db = backend();
      const store = db.open() as TotpStore & Required<Pick<TotpStore, 'addTrustedBrowser'>>;
      const fixture = makeService({ trustedBrowsers: { maxDays: 1 } }, { store });
      const { code } = await enroll(fixture, ada);
      const trust = async () => {
        const result = await fixture.kit.verify(ada, code(), { trustBrowser: { days: 1 } });
        fixture.clock.advance(30);
        if (!result.ok || !result.trust) throw new Error('no trust');
        return result.trust.id;
      };
      const first = await trust();
      fixture.clock.advance(DAY_S);
      const second = await trust();
      expect((await db.rows()).map((row) => row.id)).toEqual([second]);
      // Expires a millisecond after it is made, within the interval of the sweep that just ran.
      const brief = trustedBrowserRecord(ada.id, 'brief', {
        createdAt: new Date(fixture.clock.now()),
        expiresAt: new Date(fixture.clock.now() + 1),
      });
      expect(await store.addTrustedBrowser(brief)).toBe(true);
      const third = await trust();
      expect((await db.rows()).map((row) => row.id)).toEqual([second, brief.id, third]);
      expect((await fixture.kit.listTrustedBrowsers(ada)).map((browser) => browser.id)).toEqual([third, second]);
      fixture.clock.advance(SWEEP_INTERVAL_MS / 1000);
      const fourth = await trust();
      expect((await db.rows()).map((row) => row.id)).toEqual([second, third, fourth]);
      expect(first).not.toBe(second);
      await fixture.kit.close();
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'totpkit-trust-'));
let files = 0;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeTrustOn('SQLite', () => {
  const filename = join(dir, `trust-${++files}.db`);
  return {
    open: () => new SqliteStore({ filename }),
    async rows() {
      const db = new Database(filename, { readonly: true });
      try {
        return db.prepare('SELECT * FROM totpkit_trusted_browsers ORDER BY created_at').all() as Record<
          string,
          unknown
        >[];
      } finally {
        db.close();
      }
    },
  };
});

describeWithPostgres('PostgreSQL', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];
  beforeAll(() => {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  describeTrustOn('PostgreSQL', () => {
    const schema = uniqueName('totpkit_trust');
    schemas.push(schema);
    return {
      open: () => new PostgresStore({ connectionString: POSTGRES_URL, schema, max: 3 }),
      async rows() {
        return (await admin.query(`SELECT * FROM "${schema}".totpkit_trusted_browsers ORDER BY created_at`)).rows;
      },
    };
  });
});
