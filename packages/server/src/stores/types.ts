/**
 * What a store holds and the operations the service needs. Write your own store by implementing
 * `TotpStore`; run it through the store contract suite (`@totpkit/server/testing`) to check it.
 *
 * Two operations must be atomic compare-and-set in the database itself, never read-then-write
 * in JavaScript, because they are what makes every code single-use under concurrency:
 * `advanceLastUsedStep` and `consumeRecoveryCode`.
 */
import type { TotpAlgorithm } from '../core/index.js';
import type { RateLimitAttempt, RateLimiter } from '../ratelimit/types.js';
import type { KeyUsage } from './key-usage.js';

export type { KeyUsage } from './key-usage.js';

/** A user's active TOTP authenticator. One per user, as in allauth. */
export interface AuthenticatorRecord {
  userId: string;
  /** The secret as sealed by the keyring or the adapter's `encrypt`; never plaintext. */
  encryptedSecret: string;
  /** Settings at activation time, so a later config change does not break enrolled apps. */
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
  /** The highest time step ever accepted; codes at or below it are refused. Null until first use. */
  lastUsedStep: number | null;
  createdAt: Date;
  /** When a code was last accepted (TOTP or recovery code); null until then. */
  lastUsedAt: Date | null;
  /**
   * The user's recovery-code counts, when the store reads them with the authenticator at no extra
   * cost (null: no codes). Left undefined, the service asks `getRecoveryCodeCounts`.
   */
  recoveryCodes?: RecoveryCodeCounts | null;
}

/** A TOTP code the service has checked, to settle in the store together with the rate limit. */
export interface TotpSettlement {
  userId: string;
  /** The rate-limit key the attempt counts under (`totp:<userId>`). */
  limitKey: string;
  /** The step the code matched, to claim with `advanceLastUsedStep`'s compare-and-set; null for a wrong code. */
  step: number | null;
  at: Date;
}

/** What `settleTotp` did. */
export interface SettledTotp {
  /** The limiter's decision, exactly as `RateLimiter.settle` reports it. */
  limit: RateLimitAttempt;
  /** True when the attempt was allowed, right, and won the step's compare-and-set. */
  advanced: boolean;
  /** When `advanced`, the recovery-code counts read in the same statement or transaction (null: no codes); null otherwise. */
  recoveryCodes: RecoveryCodeCounts | null;
}

/** A recovery code as stored: only its keyed hash. */
export interface RecoveryCodeHash {
  /** The keyed hash of the normalised code (see crypto/recovery-codes.ts). */
  hash: string;
}

export interface RecoveryCodeCounts {
  total: number;
  unused: number;
}

/**
 * A browser the user chose to trust after a successful verification, so the host's login may skip
 * the challenge until `expiresAt`. The token itself is never stored: only its keyed hash.
 */
export interface TrustedBrowserRecord {
  /** Random, public: names the record in lists and revocations. */
  id: string;
  userId: string;
  /** `<keyId>:<base64url HMAC>` of the token (crypto/trust-token.ts); unique. */
  tokenHash: string;
  /** From the User-Agent, for the user's list ("Firefox on Windows"). */
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
}

/**
 * The trusted-browser methods: an optional group on `TotpStore`, all or none
 * (`TRUSTED_BROWSER_STORE_METHODS`). The service's `trustedBrowsers` option needs them. A store
 * that has them must also delete the user's trusted browsers inside `deleteAuthenticator` and
 * `replaceRecoveryCodes`, in the same transaction: turning TOTP off or regenerating the codes
 * revokes every trusted browser at once.
 */
export interface TrustedBrowserStore {
  /**
   * Adds a trusted browser, only while the user has an authenticator (one atomic step, so a
   * racing deactivation cannot leave a trust behind). Resolves false, and writes nothing, when
   * the user has none.
   */
  addTrustedBrowser(record: TrustedBrowserRecord): Promise<boolean>;
  /** The record with this token hash, expired or not (the service checks expiry and user), or null. */
  getTrustedBrowser(tokenHash: string): Promise<TrustedBrowserRecord | null>;
  /** Sets `lastUsedAt`; nothing when the record is gone. */
  touchTrustedBrowser(id: string, at: Date): Promise<void>;
  /** The user's unexpired trusted browsers (`expiresAt` after `now`), newest first. */
  listTrustedBrowsers(userId: string, now: Date): Promise<TrustedBrowserRecord[]>;
  /** Deletes the user's trusted browser `id`, or all of them; resolves how many went. Never another user's. */
  deleteTrustedBrowsers(userId: string, id?: string): Promise<number>;
}

export interface TotpStore extends Partial<TrustedBrowserStore> {
  /** The user's authenticator, or null. */
  getAuthenticator(userId: string): Promise<AuthenticatorRecord | null>;

  /**
   * Creates the authenticator and its recovery codes in one transaction. Resolves false, and
   * writes nothing, when the user already has an authenticator (two racing activations).
   */
  createAuthenticator(record: AuthenticatorRecord, recoveryCodes: RecoveryCodeHash[]): Promise<boolean>;

  /**
   * Atomic compare-and-set: sets `lastUsedStep = step` and `lastUsedAt = at` only when the stored
   * `lastUsedStep` is null or below `step`. Resolves true when it did, false otherwise (the step,
   * or a later one, was already used, or there is no authenticator).
   */
  advanceLastUsedStep(userId: string, step: number, at: Date): Promise<boolean>;

  /** Replaces the sealed secret only if it still equals `expected` (key rotation). */
  replaceEncryptedSecret(userId: string, expected: string, next: string): Promise<boolean>;

  /**
   * Deletes the authenticator, all its recovery codes and (with the trusted-browser methods) the
   * user's trusted browsers, in one transaction. False when there was no authenticator.
   */
  deleteAuthenticator(userId: string): Promise<boolean>;

  /** Counts of the user's recovery codes, or null when the user has none. */
  getRecoveryCodeCounts(userId: string): Promise<RecoveryCodeCounts | null>;

  /**
   * Atomic compare-and-set: marks the unused code with this hash as used at `at`. Resolves true
   * for exactly one caller however many race; false when no unused code has this hash.
   */
  consumeRecoveryCode(userId: string, hash: string, at: Date): Promise<boolean>;

  /**
   * Replaces all of the user's recovery codes in one transaction (regeneration), deleting the
   * user's trusted browsers in it too (with the trusted-browser methods). Resolves false, and
   * writes nothing, when the user has no authenticator.
   */
  replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodeHash[]): Promise<boolean>;

  /**
   * Optional: settles a checked TOTP code in one transaction, or one statement, when `limiter`
   * keeps its records in this store's database (a SQL store's `rateLimiter()`): the limiter's
   * decision (`RateLimiter.settle`), then, when allowed and right, the step's compare-and-set,
   * and the recovery-code count. A wrong code is counted; a step that loses the compare-and-set
   * is counted as a wrong code. Resolves null when `limiter` is not one of this store's: the
   * service then calls `limiter.settle` and `advanceLastUsedStep` one after the other.
   */
  settleTotp?(limiter: RateLimiter, settlement: TotpSettlement): Promise<SettledTotp | null>;

  /**
   * Key rotation: how many sealed secrets and unused recovery codes name each key id, for every
   * user or for `userId`. Optional, but without it `checkKeyring()` cannot tell whether a removed
   * key still protects something, and a recovery code under a removed key cannot be told from a
   * wrong one. Counts keyring-format values only (`v1.<keyId>.…`, `<keyId>:…`).
   */
  keyUsage?(options?: { userId?: string }): Promise<KeyUsage>;

  /**
   * Up to `limit` authenticators with a user id after `after` (null: from the first), in user-id
   * order: `rekey()` walks the table in batches with it. Optional; needed only by `rekey()`.
   */
  listAuthenticators?(options: { after: string | null; limit: number }): Promise<AuthenticatorRecord[]>;

  /** Releases connections. */
  close?(): Promise<void>;
}

/** The methods every store must have; `createTotpkit` checks them when it starts. */
export const TOTP_STORE_METHODS = [
  'getAuthenticator',
  'createAuthenticator',
  'advanceLastUsedStep',
  'replaceEncryptedSecret',
  'deleteAuthenticator',
  'getRecoveryCodeCounts',
  'consumeRecoveryCode',
  'replaceRecoveryCodes',
] as const satisfies readonly (keyof TotpStore)[];

/** The optional trusted-browser group: a store has all of these or none. */
export const TRUSTED_BROWSER_STORE_METHODS = [
  'addTrustedBrowser',
  'getTrustedBrowser',
  'touchTrustedBrowser',
  'listTrustedBrowsers',
  'deleteTrustedBrowsers',
] as const satisfies readonly (keyof TrustedBrowserStore)[];

/** Whether `store` has the whole trusted-browser group. */
export function hasTrustedBrowsers(store: TotpStore): store is TotpStore & TrustedBrowserStore {
  return TRUSTED_BROWSER_STORE_METHODS.every((name) => typeof store[name] === 'function');
}
