/**
 * `createTotpkit`: the authenticator lifecycle around the TOTP core — setup, activation,
 * verification, deactivation and recovery codes — over a store, a replay cache, a rate limiter
 * and a keyring.
 *
 * The rules every method follows:
 * - No answer about a code is given before the account's rate limit decides it may be, and every
 *   path that accepts a code (activation, login, deactivation, regeneration) shares that one limit.
 * - A TOTP code is accepted once: its step must be above the stored `lastUsedStep`, which is
 *   advanced by an atomic compare-and-set in the store. The replay cache holds what no store row
 *   guards: used enrollment tokens.
 * - Wrong, replayed and expired codes get the same `invalid_code`, by the same path.
 * - Any failure of the store, replay cache or limiter refuses the request (`store_unavailable`):
 *   it fails closed, and never half-writes, because each write is a single atomic store call.
 */
import {
  generateTotpSecret,
  normalizeCode,
  secretToBase32,
  type TotpAlgorithm,
  totpCode,
  totpStep,
  verifyTotp,
} from '../core/index.js';
import { newEnrollmentId, openEnrollmentToken, sealEnrollmentToken } from '../crypto/enrollment-token.js';
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from '../crypto/recovery-codes.js';
import { TotpkitError } from '../errors.js';
import { MemoryRateLimiter } from '../ratelimit/memory.js';
import { MemoryReplayCache } from '../replay/memory.js';
import type { AuthenticatorRecord, KeyUsage } from '../stores/types.js';
import { resolveAdapter } from './adapter.js';
import { couldBeCode, createCodeChecker, MALFORMED } from './code-check.js';
import {
  assertUser,
  enrollmentClaimExpiresAt,
  infrastructure,
  limitKey,
  getAuthenticator as readAuthenticator,
  refusePending,
  type ServiceContext,
} from './context.js';
import { qrCodeOrNull } from './display.js';
import { createKeyRotation, type RekeyResult } from './keys.js';
import { type ResolvedOptions, resolveOptions, type TotpkitOptions } from './options.js';
import { createTrustedBrowsers } from './trusted-browsers.js';
import type {
  ActivateResult,
  DeactivateResult,
  ReauthenticateResult,
  RegenerateResult,
  SensitiveAction,
  SetupResult,
  TotpStatus,
  TotpUser,
  TrustedBrowser,
  VerifyOptions,
  VerifyResult,
} from './types.js';

export { enrollmentClaimExpiresAt, stepClaimExpiresAt } from './context.js';

export interface Totpkit {
  /** The effective settings, for the HTTP handler's status response. */
  readonly config: Readonly<
    Pick<
      ResolvedOptions,
      | 'issuer'
      | 'period'
      | 'digits'
      | 'algorithm'
      | 'tolerance'
      | 'recoveryCodeCount'
      | 'trustedBrowsers'
      | 'codeReauthentication'
    >
  >;
  /**
   * Whether TOTP is active, when it was created and last used, and the recovery-code counts; for
   * a pending user (`user.pending`), only whether it is active.
   */
  status(user: TotpUser): Promise<TotpStatus>;
  /**
   * Whether the next sensitive action (setup when inactive, deactivation when active) would be
   * refused with `reauthentication_required`, so a UI can ask before the user scans a QR code.
   * False while TOTP is active with `codeReauthentication`: the code the action takes is the
   * reauthentication.
   */
  reauthenticationRequired(user: TotpUser): Promise<boolean>;
  /**
   * Generates a secret and seals it in an enrollment token. Throws `already_active`, and
   * `rate_limited` (with `retryAfterSeconds`) past `setupLimit` setups per `setupWindowSeconds`.
   */
  beginSetup(user: TotpUser): Promise<SetupResult>;
  /** Checks a code against the enrollment token and activates TOTP, returning the recovery codes. */
  activate(user: TotpUser, input: { enrollmentToken: unknown; code: unknown }): Promise<ActivateResult>;
  /**
   * The login challenge: a TOTP code or a recovery code. Throws `not_active`. With
   * `trustBrowser`, a success also trusts this browser (`result.trust`: set the token as a
   * cookie); a `TypeError` for a `days` that is not an integer from 1 to 365, before the code is checked.
   */
  verify(user: TotpUser, code: unknown, options?: VerifyOptions): Promise<VerifyResult>;
  /**
   * Reauthentication by code (allauth `mfa_reauthenticate`): a signed-in user confirms who they
   * are with a TOTP or recovery code, under verify's one-time-use and rate-limit rules; a
   * recovery code is consumed. On success the host hears `onReauthenticated`, and records
   * "recently authenticated" in its session. Throws `not_active`, `invalid_user` for a pending
   * user, and `invalid_configuration` when `codeReauthentication` is off.
   */
  reauthenticate(user: TotpUser, input: { code: unknown }): Promise<ReauthenticateResult>;
  /**
   * Removes TOTP, the recovery codes and every trusted browser, after a current TOTP or recovery
   * code. With `codeReauthentication`, that code is the reauthentication: `requireRecentAuth` is
   * not asked, and a success emits `onReauthenticated`.
   */
  deactivate(user: TotpUser, input: { code: unknown }): Promise<DeactivateResult>;
  /**
   * Replaces the recovery codes, and revokes every trusted browser, after a current TOTP or
   * recovery code; `codeReauthentication` as for `deactivate`.
   */
  regenerateRecoveryCodes(user: TotpUser, input: { code: unknown }): Promise<RegenerateResult>;
  /**
   * For the host's login, after the password: whether `token` (the trust cookie) is this user's,
   * unexpired and made under the keyring's current key, so the challenge may be skipped. False
   * for anything else, and when `trustedBrowsers` is off. Records the use (`lastUsedAt`). Throws
   * `store_unavailable` when the store fails: never trusted by default.
   */
  isBrowserTrusted(user: TotpUser, token: string | null | undefined): Promise<boolean>;
  /**
   * The user's trusted browsers, unexpired, newest first; `current` marks the one `currentToken`
   * (this request's cookie) names. Empty when `trustedBrowsers` is off. Throws `invalid_user` for
   * a pending user.
   */
  listTrustedBrowsers(user: TotpUser, currentToken?: string | null): Promise<TrustedBrowser[]>;
  /** Revokes one of the user's trusted browsers; false for an unknown id or another user's. */
  revokeTrustedBrowser(user: TotpUser, id: string): Promise<boolean>;
  /**
   * Revokes all of the user's trusted browsers and resolves how many. The host's API: call it
   * when the password changes, or the account may have been taken over.
   */
  revokeTrustedBrowsers(user: TotpUser): Promise<number>;
  /**
   * Migration from another system (django-allauth, devise-two-factor, …): stores an existing
   * secret for `user` as an active authenticator, sealed like any other, with a fresh set of
   * recovery codes to hand to the user. Throws `already_active`.
   */
  importAuthenticator(user: TotpUser, input: ImportAuthenticatorInput): Promise<{ recoveryCodes: string[] }>;
  /**
   * An administrator's unlock: forgets the account's failed TOTP and recovery-code attempts, its
   * guess budget and any permanent lock. Call it only once the user has proven who they are.
   */
  unlock(user: TotpUser): Promise<void>;
  /** Sealed secrets and unused recovery codes per key id (docs/security.md, "Key rotation"). */
  keyUsage(): Promise<KeyUsage>;
  /**
   * Resolves the key usage when every key a stored record needs is in the keyring; otherwise
   * throws `invalid_configuration` naming each missing key and how many records it protects.
   */
  checkKeyring(): Promise<KeyUsage>;
  /** Re-seals every secret under the current key, in batches. Recovery codes move when regenerated. */
  rekey(options?: { batchSize?: number }): Promise<RekeyResult>;
  /** Closes the store, replay cache and rate limiter. */
  close(): Promise<void>;
}

/** An authenticator from another system, for `importAuthenticator`. */
export interface ImportAuthenticatorInput {
  /** The base32 secret, as the other system stored it (after its own decryption). */
  secret: string;
  /** Defaults: the service's settings. allauth always used SHA1 and its MFA_TOTP_DIGITS / _PERIOD. */
  algorithm?: TotpAlgorithm;
  digits?: number;
  period?: number;
  createdAt?: Date;
  lastUsedAt?: Date | null;
}

/**
 * Creates the service.
 * @throws TotpkitError `invalid_configuration` with every problem in the options.
 */
export function createTotpkit(options: TotpkitOptions): Totpkit {
  const settings = resolveOptions(options);
  const { keyring, now, logger } = settings;
  const context: ServiceContext = {
    settings,
    store: options.store,
    replayCache: options.replayCache ?? new MemoryReplayCache({ now }),
    limiter: options.rateLimiter ?? new MemoryRateLimiter({ now }),
    keyring,
    adapter: resolveAdapter(options.adapter ?? {}, {
      issuer: settings.issuer,
      keyring,
      logger,
      urlOptions: { digits: settings.digits, period: settings.period, algorithm: settings.algorithm },
    }),
  };
  const { store, replayCache, limiter, adapter } = context;
  const { checkCode, refused, failed, settle } = createCodeChecker(context);
  const getAuthenticator = (userId: string) => readAuthenticator(context, userId);
  const keys = createKeyRotation(context);
  const trusted = createTrustedBrowsers(context);

  /** Actions that check a code of the active authenticator, which can then stand for a reauthentication. */
  const codeConfirms = (action: SensitiveAction) =>
    settings.codeReauthentication && (action === 'deactivate' || action === 'regenerate_recovery_codes');

  async function requireFreshLogin(user: TotpUser, action: SensitiveAction): Promise<void> {
    refusePending(user, action.replace(/_/g, ' '));
    // Rule 5 (docs/protocol.md): the right code this action takes is a reauthentication by code;
    // asking for one first would spend the step the action's own code then needs.
    if (codeConfirms(action)) return;
    if (await adapter.requireRecentAuth(user, action)) {
      throw new TotpkitError('reauthentication_required', `Reauthenticate before ${action.replace(/_/g, ' ')}.`);
    }
  }

  async function requireAuthenticator(userId: string): Promise<AuthenticatorRecord> {
    const authenticator = await getAuthenticator(userId);
    if (!authenticator) throw new TotpkitError('not_active', 'Two-factor authentication is not active for this user.');
    return authenticator;
  }

  async function newRecoveryCodes(userId: string): Promise<{ codes: string[]; hashes: { hash: string }[] }> {
    const codes = generateRecoveryCodes(settings.recoveryCodeCount);
    const hashes = await Promise.all(
      codes.map(async (code) => ({
        hash: await hashRecoveryCode(keyring, userId, normalizeRecoveryCode(code) as string),
      })),
    );
    return { codes, hashes };
  }

  return {
    config: Object.freeze({
      issuer: settings.issuer,
      period: settings.period,
      digits: settings.digits,
      algorithm: settings.algorithm,
      tolerance: settings.tolerance,
      recoveryCodeCount: settings.recoveryCodeCount,
      trustedBrowsers: settings.trustedBrowsers ? Object.freeze({ ...settings.trustedBrowsers }) : null,
      codeReauthentication: settings.codeReauthentication,
    }),

    async status(user) {
      assertUser(user);
      const authenticator = await getAuthenticator(user.id);
      // Only the password is proven: when the codes were last used, and how many are left, would
      // let an attacker who has it pace guesses around the real user.
      if (user.pending === true) return { active: authenticator !== null, recoveryCodes: null, pending: true };
      const recoveryCodes = await infrastructure('store', () => store.getRecoveryCodeCounts(user.id));
      if (!authenticator) return { active: false, recoveryCodes };
      return {
        active: true,
        createdAt: authenticator.createdAt,
        lastUsedAt: authenticator.lastUsedAt,
        recoveryCodes,
      };
    },

    async reauthenticationRequired(user) {
      assertUser(user);
      const active = (await getAuthenticator(user.id)) !== null;
      const action = active ? 'deactivate' : 'setup';
      if (codeConfirms(action)) return false;
      return adapter.requireRecentAuth(user, action);
    },

    async beginSetup(user) {
      assertUser(user);
      await requireFreshLogin(user, 'setup');
      if (await getAuthenticator(user.id)) {
        throw new TotpkitError('already_active', 'Two-factor authentication is already active; deactivate it first.');
      }
      // Each setup generates a secret and draws a QR code: bounded per account like any other work.
      const limit = await infrastructure('rate limiter', () => limiter.attempt(limitKey(user.id, 'setup'), 'setup'));
      if (!limit.allowed) {
        throw new TotpkitError('rate_limited', 'Too many setups for this account; try again later.', {
          retryAfterSeconds: limit.retryAfterSeconds,
        });
      }
      const secret = generateTotpSecret();
      const otpauthUrl = adapter.buildTotpUrl(user, secret);
      const expiresAt = now() + settings.enrollmentTtlSeconds * 1000;
      const enrollmentToken = await sealEnrollmentToken(keyring, {
        id: newEnrollmentId(),
        userId: user.id,
        secret,
        algorithm: settings.algorithm,
        digits: settings.digits,
        period: settings.period,
        expiresAt,
      });
      return {
        secret,
        otpauthUrl,
        qrSvgDataUri: settings.qrCode ? qrCodeOrNull(otpauthUrl) : null,
        digits: settings.digits,
        period: settings.period,
        algorithm: settings.algorithm,
        issuer: adapter.getTotpIssuer(),
        accountName: adapter.getTotpLabel(user),
        enrollmentToken,
        expiresAt: new Date(expiresAt),
      };
    },

    async activate(user, { enrollmentToken, code }) {
      assertUser(user);
      if (!couldBeCode(code, { recoveryCodes: false })) return MALFORMED;
      await requireFreshLogin(user, 'activate');
      const opened = new Date(now());
      const pending = await openEnrollmentToken(keyring, enrollmentToken, user.id, opened.getTime());
      if (!pending) return { ok: false, error: 'enrollment_expired' };
      if (await getAuthenticator(user.id)) {
        throw new TotpkitError('already_active', 'Two-factor authentication is already active.');
      }
      const at = new Date(now());
      const totp = normalizeCode(code, pending.digits);
      const bypassed = totp !== null && totp === settings.bypassCode;
      const result = verifyTotp(pending.secret, totp, {
        time: at.getTime() / 1000,
        period: pending.period,
        digits: pending.digits,
        algorithm: pending.algorithm,
        tolerance: settings.tolerance,
      });
      // Checked first, then settled with the account's limit, which decides whether it may be answered.
      const limit = await settle(user, 'totp', result.ok || bypassed);
      if (!limit.allowed) return refused(limit);
      if (!result.ok && !bypassed) return failed(user, limit, 'activate', at);
      const step = result.ok ? result.step : totpStep(at.getTime() / 1000, pending.period);

      // Single use: the first activation with this token wins; a replay of it, or the loser of a
      // double submit, is expired. The claim ends at the token's own expiry plus the skew margin,
      // whichever instance's clock reads it. The step needs no claim: it is stored as the
      // authenticator's last used step, so it cannot log in afterwards.
      const tokenUntil = enrollmentClaimExpiresAt(pending.expiresAt, settings.clockSkewMs);
      if (!(await infrastructure('replay cache', () => replayCache.claim(`enrollment:${pending.id}`, tokenUntil)))) {
        return { ok: false, error: 'enrollment_expired' };
      }

      const { codes, hashes } = await newRecoveryCodes(user.id);
      const encryptedSecret = await adapter.encrypt(pending.secret, { userId: user.id });
      const created = await infrastructure('store', () =>
        store.createAuthenticator(
          {
            userId: user.id,
            encryptedSecret,
            algorithm: pending.algorithm,
            digits: pending.digits,
            period: pending.period,
            // The activation code counts as used: it cannot then log in (allauth gap).
            lastUsedStep: step,
            createdAt: at,
            lastUsedAt: null,
          },
          hashes,
        ),
      );
      if (!created) throw new TotpkitError('already_active', 'Two-factor authentication is already active.');
      await adapter.emit('onActivated', user, { at });
      return { ok: true, recoveryCodes: codes };
    },

    async verify(user, code, options = {}) {
      assertUser(user);
      const { trustBrowser } = options;
      trusted.checkRequest(trustBrowser);
      if (!couldBeCode(code, { recoveryCodes: true })) return MALFORMED;
      const authenticator = await requireAuthenticator(user.id);
      const result = await checkCode(user, authenticator, code, 'verify');
      if (!result.ok) return result;
      if (adapter.listens('onVerified')) {
        await adapter.emit('onVerified', user, {
          at: new Date(now()),
          method: result.method,
          recoveryCodesLeft: result.recoveryCodesLeft,
        });
      }
      // Trust is minted here only: after a right code, never on its own.
      if (trustBrowser === undefined) return result;
      return { ...result, trust: await trusted.trust(user, trustBrowser) };
    },

    async reauthenticate(user, { code }) {
      assertUser(user);
      if (!settings.codeReauthentication) {
        throw new TotpkitError(
          'invalid_configuration',
          'Reauthentication by code is off (codeReauthentication: false).',
        );
      }
      refusePending(user, 'reauthenticate');
      if (!couldBeCode(code, { recoveryCodes: true })) return MALFORMED;
      const authenticator = await requireAuthenticator(user.id);
      const result = await checkCode(user, authenticator, code, 'reauthenticate');
      if (!result.ok) return result;
      await adapter.emit('onReauthenticated', user, { at: new Date(now()), method: result.method });
      return result;
    },

    async deactivate(user, { code }) {
      assertUser(user);
      if (!couldBeCode(code, { recoveryCodes: true })) return MALFORMED;
      await requireFreshLogin(user, 'deactivate');
      const authenticator = await requireAuthenticator(user.id);
      if (!(await adapter.canDeactivate(user))) {
        throw new TotpkitError('deactivation_forbidden', 'This account may not turn off two-factor authentication.');
      }
      const result = await checkCode(user, authenticator, code, 'deactivate');
      if (!result.ok) return result;
      await infrastructure('store', () => store.deleteAuthenticator(user.id));
      const at = new Date(now());
      if (codeConfirms('deactivate')) await adapter.emit('onReauthenticated', user, { at, method: result.method });
      await adapter.emit('onDeactivated', user, { at, method: result.method });
      return { ok: true };
    },

    async regenerateRecoveryCodes(user, { code }) {
      assertUser(user);
      if (!couldBeCode(code, { recoveryCodes: true })) return MALFORMED;
      await requireFreshLogin(user, 'regenerate_recovery_codes');
      const authenticator = await requireAuthenticator(user.id);
      const result = await checkCode(user, authenticator, code, 'regenerate_recovery_codes');
      if (!result.ok) return result;
      const { codes, hashes } = await newRecoveryCodes(user.id);
      if (!(await infrastructure('store', () => store.replaceRecoveryCodes(user.id, hashes)))) {
        throw new TotpkitError('not_active', 'Two-factor authentication was turned off meanwhile.');
      }
      const at = new Date(now());
      if (codeConfirms('regenerate_recovery_codes')) {
        await adapter.emit('onReauthenticated', user, { at, method: result.method });
      }
      await adapter.emit('onRecoveryCodesRegenerated', user, { at, count: codes.length });
      return { ok: true, recoveryCodes: codes };
    },

    async importAuthenticator(user, input) {
      assertUser(user);
      const algorithm = input.algorithm ?? settings.algorithm;
      const digits = input.digits ?? settings.digits;
      const period = input.period ?? settings.period;
      // Validates the secret (base32, 16 bytes or more) and the settings with the core's guardrails.
      const secret = secretToBase32(input.secret);
      totpCode(secret, { algorithm, digits, period, time: 0 });
      const at = new Date(now());
      const { codes, hashes } = await newRecoveryCodes(user.id);
      const created = await infrastructure('store', async () =>
        store.createAuthenticator(
          {
            userId: user.id,
            encryptedSecret: await adapter.encrypt(secret, { userId: user.id }),
            algorithm,
            digits,
            period,
            // Nothing known about past use: any current code may be used once.
            lastUsedStep: null,
            createdAt: input.createdAt ?? at,
            lastUsedAt: input.lastUsedAt ?? null,
          },
          hashes,
        ),
      );
      if (!created) throw new TotpkitError('already_active', 'Two-factor authentication is already active.');
      return { recoveryCodes: codes };
    },

    async isBrowserTrusted(user, token) {
      assertUser(user);
      return trusted.isTrusted(user, token);
    },

    async listTrustedBrowsers(user, currentToken) {
      assertUser(user);
      refusePending(user, 'list trusted browsers');
      return trusted.list(user, currentToken);
    },

    async revokeTrustedBrowser(user, id) {
      assertUser(user);
      refusePending(user, 'revoke a trusted browser');
      return trusted.revoke(user, id);
    },

    async revokeTrustedBrowsers(user) {
      assertUser(user);
      // Revoking only removes privilege, and the host calls it for a password reset, when the
      // user may not be signed in at all: any user may.
      return trusted.revokeAll(user);
    },

    async unlock(user) {
      assertUser(user);
      // Both code limits, each with its budget and any permanent lock.
      await infrastructure('rate limiter', async () => {
        await limiter.reset(limitKey(user.id, 'totp'));
        await limiter.reset(limitKey(user.id, 'recovery'));
      });
    },

    keyUsage: keys.keyUsage,
    checkKeyring: keys.checkKeyring,
    rekey: keys.rekey,

    async close() {
      await Promise.all([store.close?.(), replayCache.close?.(), limiter.close?.()]);
    },
  };
}
