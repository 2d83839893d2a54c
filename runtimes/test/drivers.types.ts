/// <reference types="bun-types" />
/**
 * Compile-time only (runtimes' typecheck): the connection classes of `node:sqlite` (Node 22's
 * types) and `bun:sqlite` (Bun's) fit `SqliteConnection` as they are, which is what
 * docs/runtimes.md shows: `new SqliteStore({ database: new DatabaseSync(file) })`. The runtime
 * matrix runs both; this keeps a driver's type change from going unnoticed until a user's build.
 */
import type { Database as BunDatabase } from 'bun:sqlite';
import type { DatabaseSync } from 'node:sqlite';
import type { SqliteConnection, SqliteStoreOptions } from '@totpkit/server/sqlite';

export type NodeSqliteFits = DatabaseSync extends SqliteConnection ? true : never;
export type BunSqliteFits = BunDatabase extends SqliteConnection ? true : never;
export const fits: [NodeSqliteFits, BunSqliteFits] = [true, true];

export function options(nodeDatabase: DatabaseSync, bunDatabase: BunDatabase): SqliteStoreOptions[] {
  return [{ database: nodeDatabase }, { database: bunDatabase }];
}
