/**
 * Brings a database up to `SCHEMA_VERSION`. Each pending migration runs in its own transaction
 * together with the row that records it, so a migration is either fully applied and recorded or
 * not at all. The dialect serialises concurrent runs (two servers starting on one fresh
 * database): the second waits, then finds the work done. Running it again is a no-op.
 */
import type { SqlDatabase } from './database.js';
import { MIGRATIONS, SCHEMA_VERSION, type SqlTables } from './schema.js';

/**
 * Applies every migration above the database's recorded version and resolves the version the
 * database is at afterwards.
 * @throws Error when the database was migrated by a newer totpkit than this one, whose schema
 *   this code cannot safely write.
 */
export async function migrate(db: SqlDatabase, tables: SqlTables, now: () => number): Promise<number> {
  for (;;) {
    const outcome = await db.transaction(async (tx) => {
      await db.dialect.prepareMigrations(tx);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
          version INTEGER NOT NULL PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at BIGINT NOT NULL
        )`,
      );
      const { rows } = await tx.query<{ version: number | string | null }>(
        `SELECT MAX(version) AS version FROM ${tables.migrations}`,
      );
      const current = Number(rows[0]?.version ?? 0);
      if (current > SCHEMA_VERSION) {
        throw new Error(
          `The totpkit tables are at schema version ${current}, newer than the ${SCHEMA_VERSION} this version of ` +
            '@totpkit/server knows; upgrade @totpkit/server rather than running an older one against them.',
        );
      }
      const next = MIGRATIONS.find((migration) => migration.version === current + 1);
      if (!next) return { done: true, version: current };
      const dialect = db.dialect.name;
      const refusal = next.refuse?.(tables, dialect);
      if (refusal && (await tx.query(refusal.query)).rows.length > 0) throw new Error(refusal.message);
      for (const statement of next.statements(tables, dialect)) await tx.query(statement);
      await tx.query(`INSERT INTO ${tables.migrations} (version, name, applied_at) VALUES (?, ?, ?)`, [
        next.version,
        next.name,
        now(),
      ]);
      return { done: false, version: next.version };
    });
    if (outcome.done) return outcome.version;
  }
}
