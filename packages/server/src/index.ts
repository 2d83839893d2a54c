/**
 * @totpkit/server: the verifier SDK. The TOTP core is re-exported here and is also available,
 * isomorphic and on its own, from `@totpkit/server/core`. SQLite, PostgreSQL and Redis parts have
 * their own entry points (`/sqlite`, `/postgres`, `/redis`) so that their drivers stay optional.
 */
export * from './core/index.js';
export {
  createKeyring,
  generateEncryptionKey,
  type Keyring,
  type KeyringOptions,
  type SealPurpose,
} from './crypto/keyring.js';
export { generateRecoveryCodes, normalizeRecoveryCode } from './crypto/recovery-codes.js';
export { isTotpkitError, TotpkitError, type TotpkitErrorCode } from './errors.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './ratelimit/memory.js';
export { DEFAULT_RATE_LIMIT_POLICY } from './ratelimit/policy.js';
export type { RateLimiter, RateLimitPolicy, RateLimitState } from './ratelimit/types.js';
export { MemoryReplayCache, type MemoryReplayCacheOptions } from './replay/memory.js';
export type { ReplayCache } from './replay/types.js';
export type { RekeyResult } from './service/keys.js';
export { DEFAULT_TRUST_DAYS, MAX_TRUST_DAYS, type TotpkitOptions } from './service/options.js';
export { createTotpkit, type ImportAuthenticatorInput, type Totpkit } from './service/totpkit.js';
export type * from './service/types.js';
export { MemoryStore } from './stores/memory.js';
export {
  type AuthenticatorRecord,
  type KeyUsage,
  type RecoveryCodeCounts,
  type RecoveryCodeHash,
  TOTP_STORE_METHODS,
  type TotpStore,
  TRUSTED_BROWSER_STORE_METHODS,
  type TrustedBrowserRecord,
  type TrustedBrowserStore,
} from './stores/types.js';
