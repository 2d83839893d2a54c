/**
 * What a SQL store shares with the replay cache and rate limiter it hands out: one database, one
 * set of statements, one clock, and one migration that all three wait for.
 */
import type { SqlDatabase } from './database.js';
import type { SqlStatements } from './statements.js';

/** Handed by a SQL store to its replay cache and rate limiter. */
export interface SqlContext {
  readonly db: SqlDatabase;
  readonly sql: SqlStatements;
  /** Clock in milliseconds. */
  readonly now: () => number;
  /** Resolves once the tables are migrated; rejects (and is retried on the next call) when that fails. */
  ready(): Promise<unknown>;
}
