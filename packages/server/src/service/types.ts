/**
 * The public types of the service: users, results, the adapter hooks and the events.
 */
import type { TotpAlgorithm } from '../core/index.js';

/** The user the host has authenticated. Only `id` is required; the rest label the authenticator. */
export interface TotpUser {
  id: string;
  email?: string | null;
  username?: string | null;
  /**
   * True when the host's session has passed only the password step: the second factor is pending.
   * Such a user may `verify` and read a reduced `status` (active, digits, period) and nothing else;
   * the HTTP handler answers its other calls 401.
   */
  pending?: boolean;
}

/** What needs a recent login, for `adapter.requireRecentAuth`. */
export type SensitiveAction = 'setup' | 'activate' | 'deactivate' | 'regenerate_recovery_codes';

/** What a code was checked for: a sensitive action, a login, or a reauthentication. */
export type CodeAction = SensitiveAction | 'verify' | 'reauthenticate';

/** How a code was accepted. */
export type CodeMethod = 'totp' | 'recovery_code';

/*
 * Outcomes the user caused. They resolve; they are never thrown.
 */

/** Wrong, replayed or expired: one generic answer for all three (ASVS 5 §6.3.8). */
export type InvalidCode = { ok: false; error: 'invalid_code' };
/** Too many failures; refused before any code was checked. */
export type RateLimited = { ok: false; error: 'rate_limited'; retryAfterSeconds: number };
/** The enrollment token is expired, already used, another user's, tampered or unreadable. */
export type EnrollmentExpired = { ok: false; error: 'enrollment_expired' };
/** What checking a code can fail with. */
export type CodeFailure = InvalidCode | RateLimited;
/** Any outcome the user caused. */
export type Failure = CodeFailure | EnrollmentExpired;

export interface TotpStatus {
  active: boolean;
  createdAt?: Date;
  lastUsedAt?: Date | null;
  /** Null when the user has no recovery codes, and for a pending user. */
  recoveryCodes: { total: number; unused: number } | null;
  /** Set for a pending user (`user.pending`): only `active` is told; the rest is withheld. */
  pending?: true;
}

export interface SetupResult {
  /** The pending secret, base32. Show it grouped in fours; never log it. */
  secret: string;
  otpauthUrl: string;
  /** The QR code as an SVG data URI (allauth's `totp_svg_data_uri`); null with `qrCode: false`. */
  qrSvgDataUri: string | null;
  digits: number;
  period: number;
  algorithm: TotpAlgorithm;
  issuer: string;
  accountName: string;
  /** Send back to `activate`. Sealed: the client cannot read it. */
  enrollmentToken: string;
  expiresAt: Date;
}

export type ActivateResult = { ok: true; recoveryCodes: string[] } | CodeFailure | EnrollmentExpired;

/** A code accepted by `verify` or `reauthenticate`. */
export interface CodeAccepted {
  ok: true;
  method: CodeMethod;
  /** Unused recovery codes after this verification; null when the user has none. */
  recoveryCodesLeft: number | null;
}

/** `verify`'s options. */
export interface VerifyOptions {
  /**
   * "Trust this browser for `days` days" (capped by the `trustedBrowsers` option's `maxDays`):
   * on success, the result carries a token for the host to set as a cookie. An integer from 1 to
   * 365; checked before the code is. `userAgent` labels the browser in the user's list.
   */
  trustBrowser?: { days: number; userAgent?: string | null };
}

/** What a successful verify with `trustBrowser` hands the host: the token goes in the cookie, once. */
export interface BrowserTrust {
  /** 32 random bytes, base64url (43 characters). Only its keyed hash is stored. */
  token: string;
  /** The record's id, as `listTrustedBrowsers` shows it. */
  id: string;
  expiresAt: Date;
}

export type VerifyResult =
  | (CodeAccepted & {
      /**
       * Present when `trustBrowser` was asked: the new trust, or null when the service does not
       * trust browsers (the `trustedBrowsers` option is off).
       */
      trust?: BrowserTrust | null;
    })
  | CodeFailure;

/** `reauthenticate`'s result: verify's without trust. */
export type ReauthenticateResult = CodeAccepted | CodeFailure;

/** A trusted browser as the user's list shows it. Never carries the token or its hash. */
export interface TrustedBrowser {
  id: string;
  /** "Firefox on Windows", from the User-Agent at the time; "Unknown browser" when unknown. */
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  /** True for the browser whose token was passed to `listTrustedBrowsers` (this request's cookie). */
  current: boolean;
}

export type DeactivateResult = { ok: true } | CodeFailure;

export type RegenerateResult = { ok: true; recoveryCodes: string[] } | CodeFailure;

/** Event payloads. None carries a secret or a code. */
export interface TotpEvents {
  onActivated(user: TotpUser, event: { at: Date }): void | Promise<void>;
  onDeactivated(user: TotpUser, event: { at: Date; method: CodeMethod }): void | Promise<void>;
  onVerified(
    user: TotpUser,
    event: { at: Date; method: CodeMethod; recoveryCodesLeft: number | null },
  ): void | Promise<void>;
  onFailedAttempt(user: TotpUser, event: { at: Date; failures: number; action: CodeAction }): void | Promise<void>;
  onLocked(user: TotpUser, event: { at: Date; retryAfterSeconds: number; permanent: boolean }): void | Promise<void>;
  /**
   * This wrong TOTP code spent the account's rolling guess budget (`guessBudget` per
   * `guessBudgetWindowSeconds`): TOTP codes are refused for `retryAfterSeconds`, until the oldest
   * counted guess leaves the window. Whoever made them probably holds the user's password: tell the
   * user, who can still sign in with a recovery code, and offer to change the password.
   */
  onGuessBudgetExhausted(user: TotpUser, event: { at: Date; retryAfterSeconds: number }): void | Promise<void>;
  onRecoveryCodeUsed(user: TotpUser, event: { at: Date; remaining: number }): void | Promise<void>;
  onRecoveryCodesLow(user: TotpUser, event: { at: Date; remaining: number }): void | Promise<void>;
  onRecoveryCodesRegenerated(user: TotpUser, event: { at: Date; count: number }): void | Promise<void>;
  /**
   * A TOTP code was presented again after it had been used (ASVS 4.0.3 §2.8.5): someone may have
   * seen it, or the user submitted twice. The request got the generic `invalid_code`.
   */
  onCodeReused(user: TotpUser, event: { at: Date }): void | Promise<void>;
  /**
   * A successful verify asked to trust this browser: until `expiresAt`, `isBrowserTrusted` lets
   * the host's login skip the challenge. `label` is from the User-Agent.
   */
  onBrowserTrusted(
    user: TotpUser,
    event: { at: Date; id: string; label: string; expiresAt: Date },
  ): void | Promise<void>;
  /**
   * The user confirmed who they are with a code (`reauthenticate`, or a deactivation or
   * regeneration that `codeReauthentication` let through): record "recently authenticated" in the
   * session, as after a password prompt.
   */
  onReauthenticated(user: TotpUser, event: { at: Date; method: CodeMethod }): void | Promise<void>;
}

/**
 * allauth's `DefaultMFAAdapter`, in camelCase. Every hook is optional; the defaults are in
 * service/adapter.ts.
 */
export interface TotpAdapter extends Partial<TotpEvents> {
  /** The account name shown in the app. Default: email, then username, then id. */
  getTotpLabel?(user: TotpUser): string;
  /** The issuer shown in the app. Default: the `issuer` option. */
  getTotpIssuer?(): string;
  /** The whole otpauth URL. Default: `buildTotpUrl` with the label and issuer above. */
  buildTotpUrl?(user: TotpUser, secret: string): string;
  /**
   * Seals a secret for storage. Default: AES-256-GCM under the keyring, bound to the user.
   * `context.userId` is the user's id, for binding.
   */
  encrypt?(text: string, context: { userId: string }): string | Promise<string>;
  /** Opens what `encrypt` sealed. Must throw (or reject) on tampering. */
  decrypt?(text: string, context: { userId: string }): string | Promise<string>;
  /** False to refuse deactivation (allauth's `can_delete_authenticator`). Default: true. */
  canDeactivate?(user: TotpUser): boolean | Promise<boolean>;
  /**
   * True when the user must reauthenticate before `action`; the service then throws
   * `reauthentication_required`. Default: false. allauth always asks for a login within 300 s.
   */
  requireRecentAuth?(user: TotpUser, action: SensitiveAction): boolean | Promise<boolean>;
}

/** Where warnings about the configuration go. Never receives a secret, code or otpauth URL. */
export interface TotpLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}
