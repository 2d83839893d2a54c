/**
 * Rows to records and back. Drivers disagree on numbers: better-sqlite3 returns BIGINT as a
 * number, node-postgres as a string (it cannot know the value fits a double), so every numeric
 * column goes through `Number`. Steps and millisecond times stay far below 2^53.
 */
import type { TotpAlgorithm } from '../../core/index.js';
import { decodeGuesses, encodeGuesses, type RateLimitRecord } from '../../ratelimit/policy.js';
import type { AuthenticatorRecord, TrustedBrowserRecord } from '../types.js';
import type { SqlValue } from './database.js';
import { recoveryCounts } from './recovery-set.js';

type Numeric = number | string;

/** A row of `totpkit_authenticators`. */
export interface AuthenticatorRow {
  user_id: string;
  encrypted_secret: string;
  algorithm: string;
  digits: Numeric;
  period: Numeric;
  last_used_step: Numeric | null;
  created_at: Numeric;
  last_used_at: Numeric | null;
  /** Read with the authenticator by `getAuthenticator`, not by `listAuthenticators`. */
  recovery_total?: Numeric;
  recovery_unused?: Numeric;
}

/** A row of `totpkit_trusted_browsers`. */
export interface TrustedBrowserRow {
  id: string;
  user_id: string;
  token_hash: string;
  label: string;
  created_at: Numeric;
  last_used_at: Numeric | null;
  expires_at: Numeric;
}

/** A row of `totpkit_rate_limits`, without its key. */
export interface RateLimitRow {
  failures: Numeric;
  window_start: Numeric;
  window_failures: Numeric;
  locks: Numeric;
  locked_until: Numeric;
  guesses: string;
  touched_at: Numeric;
}

const orNull = (value: Numeric | null): number | null => (value === null ? null : Number(value));

/** A stored authenticator as the service sees it. */
export function toAuthenticatorRecord(row: AuthenticatorRow): AuthenticatorRecord {
  const lastUsedAt = orNull(row.last_used_at);
  const record: AuthenticatorRecord = {
    userId: row.user_id,
    encryptedSecret: row.encrypted_secret,
    algorithm: row.algorithm as TotpAlgorithm,
    digits: Number(row.digits),
    period: Number(row.period),
    lastUsedStep: orNull(row.last_used_step),
    createdAt: new Date(Number(row.created_at)),
    lastUsedAt: lastUsedAt === null ? null : new Date(lastUsedAt),
  };
  if (row.recovery_total !== undefined) record.recoveryCodes = recoveryCounts(row.recovery_total, row.recovery_unused);
  return record;
}

/** Parameters in the column order of `insertAuthenticator`. */
export function authenticatorParams(record: AuthenticatorRecord): SqlValue[] {
  return [
    record.userId,
    record.encryptedSecret,
    record.algorithm,
    record.digits,
    record.period,
    record.lastUsedStep,
    record.createdAt.getTime(),
    record.lastUsedAt?.getTime() ?? null,
  ];
}

/** A stored rate-limit row as `ratelimit/policy.ts` reads it. */
export function toRateLimitRecord(row: RateLimitRow): RateLimitRecord {
  return {
    failures: Number(row.failures),
    windowStart: Number(row.window_start),
    windowFailures: Number(row.window_failures),
    locks: Number(row.locks),
    lockedUntil: Number(row.locked_until),
    guesses: decodeGuesses(row.guesses),
  };
}

/** Parameters in the order of `updateRateLimit`. */
export function rateLimitParams(key: string, record: RateLimitRecord, touchedAt: number): SqlValue[] {
  return [
    record.failures,
    record.windowStart,
    record.windowFailures,
    record.locks,
    record.lockedUntil,
    encodeGuesses(record.guesses),
    touchedAt,
    key,
  ];
}

/** A stored trusted browser as the service sees it. */
export function toTrustedBrowserRecord(row: TrustedBrowserRow): TrustedBrowserRecord {
  const lastUsedAt = orNull(row.last_used_at);
  return {
    id: row.id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    label: row.label,
    createdAt: new Date(Number(row.created_at)),
    lastUsedAt: lastUsedAt === null ? null : new Date(lastUsedAt),
    expiresAt: new Date(Number(row.expires_at)),
  };
}

/** Parameters in the column order of `insertTrustedBrowser`. */
export function trustedBrowserParams(record: TrustedBrowserRecord): SqlValue[] {
  return [
    record.id,
    record.userId,
    record.tokenHash,
    record.label,
    record.createdAt.getTime(),
    record.lastUsedAt?.getTime() ?? null,
    record.expiresAt.getTime(),
  ];
}
