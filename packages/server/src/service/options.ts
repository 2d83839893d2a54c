/**
 * `createTotpkit` options: allauth's MFA settings in camelCase plus the storage parts. They are
 * checked with zod once, when the service is created, with messages that say what to change.
 */
import * as z from 'zod';
import {
  DEFAULTS,
  MAX_DIGITS,
  MAX_PERIOD,
  MAX_TOLERANCE,
  MIN_DIGITS,
  normalizeCode,
  type TotpAlgorithm,
} from '../core/index.js';
import { MAX_ENROLLMENT_SECONDS } from '../crypto/enrollment-token.js';
import { createKeyring, type Keyring, type KeyringOptions } from '../crypto/keyring.js';
import { TotpkitError } from '../errors.js';
import type { RateLimiter } from '../ratelimit/types.js';
import type { ReplayCache } from '../replay/types.js';
import {
  hasTrustedBrowsers,
  TOTP_STORE_METHODS,
  type TotpStore,
  TRUSTED_BROWSER_STORE_METHODS,
} from '../stores/types.js';
import type { TotpAdapter, TotpLogger } from './types.js';

export interface TotpkitOptions {
  /** Shown in authenticator apps (allauth `MFA_TOTP_ISSUER`). Required; no ':' allowed. */
  issuer: string;
  /** Seconds per code (allauth `MFA_TOTP_PERIOD`). Default 30; 1 to 120. */
  period?: number;
  /** Code length (allauth `MFA_TOTP_DIGITS`). Default 6; 6 to 8. */
  digits?: number;
  /** HMAC hash. Default SHA1, the only one every app honours. */
  algorithm?: TotpAlgorithm;
  /** Steps accepted either side of now (allauth `MFA_TOTP_TOLERANCE`). Default 1; at most 10. */
  tolerance?: number;
  /** Recovery codes per set (allauth `MFA_RECOVERY_CODE_COUNT`). Default 10. */
  recoveryCodeCount?: number;
  /** `onRecoveryCodesLow` fires when this many or fewer remain. Default 3. */
  recoveryCodesLowThreshold?: number;
  /** Lifetime of an enrollment token in seconds. Default and maximum 600. */
  enrollmentTtlSeconds?: number;
  /** Include a server-drawn QR code in setup results. Default true. */
  qrCode?: boolean;
  /**
   * How far apart the clocks of the instances (and of the Redis server) may be, in seconds.
   * Replay claims last until what they guard has expired plus this margin, so an instance whose
   * clock runs behind cannot accept an enrollment token or a code again. Default 300; 0 to 3600.
   */
  clockSkewSeconds?: number;
  /**
   * A code that always passes (allauth `MFA_TOTP_INSECURE_BYPASS_CODE`), for end-to-end tests.
   * Needs `allowInsecureBypassCode: true`, and `createTotpkit` refuses it in production.
   */
  insecureBypassCode?: string;
  /** The explicit opt-in for `insecureBypassCode`. */
  allowInsecureBypassCode?: boolean;
  /** Whether this is production. Default: `process.env.NODE_ENV === 'production'`. */
  production?: boolean;
  /** Where authenticators and recovery codes live: `SqliteStore`, `PostgresStore` or your own. */
  store: TotpStore;
  /** Default: a `MemoryReplayCache`, correct for one process only. */
  replayCache?: ReplayCache;
  /** Default: a `MemoryRateLimiter`, correct for one process only. */
  rateLimiter?: RateLimiter;
  /** Encryption keys, or a keyring from `createKeyring`. Required: secrets are never stored in plaintext. */
  keyring: Keyring | KeyringOptions;
  /**
   * "Trust this browser": a successful verify may ask that this browser skip the challenge for a
   * number of days, at most `maxDays` (1 to 365). Default off (allauth `MFA_TRUST_ENABLED`);
   * `true` is `{ maxDays: 14 }` (allauth's `MFA_TRUST_COOKIE_AGE`). Needs a store with the
   * trusted-browser methods (`MemoryStore`, `SqliteStore`, `PostgresStore`).
   */
  trustedBrowsers?: boolean | { maxDays?: number };
  /**
   * Reauthentication by code (allauth `mfa_reauthenticate`): `reauthenticate` accepts a TOTP or
   * recovery code for a signed-in user, and a deactivation or regeneration whose code is right
   * counts as one, so `requireRecentAuth` does not refuse them. Default true.
   */
  codeReauthentication?: boolean;
  /** Hooks, as allauth's adapter. */
  adapter?: TotpAdapter;
  /** Clock in milliseconds. Default `Date.now`; for tests. */
  now?: () => number;
  /** Where warnings go. Default `console`. */
  logger?: TotpLogger;
}

/** The longest a browser may be trusted, in days: `trustedBrowsers.maxDays` and a verify's `days`. */
export const MAX_TRUST_DAYS = 365;
/** `trustedBrowsers: true`: allauth's 14-day `MFA_TRUST_COOKIE_AGE`. */
export const DEFAULT_TRUST_DAYS = 14;

const hasMethods = (...names: string[]) =>
  z.custom<object>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function'),
    { message: `must be an object with methods ${names.join(', ')}` },
  );

const optionsSchema = z.object({
  issuer: z
    .string({ error: 'issuer is required: the name your users see in their authenticator app' })
    .trim()
    .min(1, 'issuer must not be empty: it is the name your users see in their authenticator app')
    .max(100, 'issuer must be at most 100 characters')
    .refine((value) => !value.includes(':'), "issuer may not contain ':' (the otpauth label format forbids it)"),
  period: z
    .int()
    .min(1)
    .max(MAX_PERIOD, `period must be at most ${MAX_PERIOD} s (NIST SP 800-63B §5.1.4.1)`)
    .default(DEFAULTS.period),
  digits: z
    .int()
    .min(MIN_DIGITS, 'digits must be 6, 7 or 8')
    .max(MAX_DIGITS, 'digits must be 6, 7 or 8')
    .default(DEFAULTS.digits),
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']).default(DEFAULTS.algorithm),
  tolerance: z
    .int()
    .min(0)
    .max(MAX_TOLERANCE, `tolerance must be at most ${MAX_TOLERANCE} steps; 1 is the RFC 6238 recommendation`)
    .default(DEFAULTS.tolerance),
  recoveryCodeCount: z.int().min(1).max(50).default(10),
  recoveryCodesLowThreshold: z.int().min(0).default(3),
  enrollmentTtlSeconds: z
    .int()
    .min(60)
    .max(MAX_ENROLLMENT_SECONDS, 'enrollmentTtlSeconds must be at most 600 (10 minutes)')
    .default(MAX_ENROLLMENT_SECONDS),
  qrCode: z.boolean().default(true),
  clockSkewSeconds: z.int().min(0).max(3600, 'clockSkewSeconds must be at most 3600').default(300),
  insecureBypassCode: z.string().optional(),
  allowInsecureBypassCode: z.boolean().default(false),
  production: z.boolean().optional(),
  store: hasMethods(...TOTP_STORE_METHODS),
  replayCache: hasMethods('claim').optional(),
  rateLimiter: hasMethods('check', 'attempt', 'succeed', 'reset').optional(),
  keyring: z.union(
    [
      hasMethods('seal', 'open', 'rotate', 'mac'),
      z.object({ current: z.string(), keys: z.record(z.string(), z.string()) }),
    ],
    {
      error: 'keyring is required: { current: "k1", keys: { k1: generateEncryptionKey() } }',
    },
  ),
  // true is the default maxDays, false or absent is off: one object schema, so a bad maxDays gets
  // its own message rather than a union's "invalid input".
  trustedBrowsers: z.preprocess(
    (value) => (value === true ? {} : value === false ? undefined : value),
    z
      .strictObject(
        {
          maxDays: z
            .int('trustedBrowsers.maxDays must be a whole number of days')
            .min(1, 'trustedBrowsers.maxDays must be at least 1')
            .max(MAX_TRUST_DAYS, `trustedBrowsers.maxDays must be at most ${MAX_TRUST_DAYS} (a year)`)
            .default(DEFAULT_TRUST_DAYS),
        },
        { error: 'trustedBrowsers must be true, false or { maxDays }' },
      )
      .optional(),
  ),
  codeReauthentication: z.boolean().default(true),
  adapter: z.record(z.string(), z.unknown()).optional(),
  now: z
    .custom<() => number>((value) => typeof value === 'function', 'now must be a function returning milliseconds')
    .optional(),
  logger: hasMethods('warn', 'error').optional(),
});

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  issuer: string;
  period: number;
  digits: number;
  algorithm: TotpAlgorithm;
  tolerance: number;
  recoveryCodeCount: number;
  recoveryCodesLowThreshold: number;
  enrollmentTtlSeconds: number;
  qrCode: boolean;
  /** `clockSkewSeconds` in ms. */
  clockSkewMs: number;
  /** The bypass code, normalised, only when it may be honoured. */
  bypassCode: string | null;
  production: boolean;
  /** Null when browsers are never trusted. */
  trustedBrowsers: { maxDays: number } | null;
  codeReauthentication: boolean;
  keyring: Keyring;
  now: () => number;
  logger: TotpLogger;
}

function isProduction(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV === 'production';
}

/**
 * @throws TotpkitError `invalid_configuration` listing every problem found.
 */
export function resolveOptions(input: TotpkitOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `- ${issue.path.join('.') || 'options'}: ${issue.message}`);
    throw new TotpkitError('invalid_configuration', `createTotpkit options are invalid:\n${problems.join('\n')}`);
  }
  const options = parsed.data;
  const logger = (input.logger ?? console) as TotpLogger;
  const production = options.production ?? isProduction();

  let bypassCode: string | null = null;
  if (options.insecureBypassCode !== undefined) {
    if (production) {
      throw new TotpkitError(
        'invalid_configuration',
        'insecureBypassCode is set in production. It lets anyone past two-factor authentication; remove it.',
      );
    }
    if (!options.allowInsecureBypassCode) {
      throw new TotpkitError(
        'invalid_configuration',
        'insecureBypassCode needs allowInsecureBypassCode: true, to confirm that this is a development or test setup.',
      );
    }
    bypassCode = normalizeCode(options.insecureBypassCode, options.digits);
    if (bypassCode === null) {
      throw new TotpkitError('invalid_configuration', `insecureBypassCode must be ${options.digits} digits.`);
    }
    logger.warn(
      'totpkit: insecureBypassCode is enabled. Two-factor authentication can be bypassed; never use this in production.',
    );
  }

  if (options.algorithm !== DEFAULTS.algorithm) {
    logger.warn(
      `totpkit: algorithm ${options.algorithm} is ignored by Microsoft Authenticator, Authy, Duo and Okta Verify, which then show wrong codes. SHA1 works everywhere.`,
    );
  }
  if (options.digits !== DEFAULTS.digits) {
    logger.warn(
      `totpkit: ${options.digits}-digit codes are ignored by Google Authenticator on Android and by Okta Verify. 6 works everywhere.`,
    );
  }
  if (options.period !== DEFAULTS.period) {
    logger.warn(`totpkit: a ${options.period}-second period is ignored by Google Authenticator. 30 works everywhere.`);
  }
  if (production && !input.replayCache) {
    logger.warn('totpkit: no replayCache given; the in-memory one is correct only for a single process.');
  }
  if (production && !input.rateLimiter) {
    logger.warn('totpkit: no rateLimiter given; the in-memory one is correct only for a single process.');
  }

  const trustedBrowsers = options.trustedBrowsers ? { maxDays: options.trustedBrowsers.maxDays } : null;
  if (trustedBrowsers && !hasTrustedBrowsers(input.store)) {
    throw new TotpkitError(
      'invalid_configuration',
      `trustedBrowsers needs a store with the trusted-browser methods (${TRUSTED_BROWSER_STORE_METHODS.join(', ')}); MemoryStore, SqliteStore and PostgresStore have them.`,
    );
  }

  const keyring =
    'seal' in options.keyring ? (options.keyring as Keyring) : createKeyring(options.keyring as KeyringOptions);
  return {
    issuer: options.issuer,
    period: options.period,
    digits: options.digits,
    algorithm: options.algorithm,
    tolerance: options.tolerance,
    recoveryCodeCount: options.recoveryCodeCount,
    recoveryCodesLowThreshold: options.recoveryCodesLowThreshold,
    enrollmentTtlSeconds: options.enrollmentTtlSeconds,
    qrCode: options.qrCode,
    clockSkewMs: options.clockSkewSeconds * 1000,
    bypassCode,
    production,
    trustedBrowsers,
    codeReauthentication: options.codeReauthentication,
    keyring,
    now: input.now ?? Date.now,
    logger,
  };
}
