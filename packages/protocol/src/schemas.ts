/**
 * Protocol v1 bodies as zod/mini schemas: the single source for the TypeScript types, the
 * server's request parsing, the elements' response checks and the OpenAPI document.
 *
 * Requests are strict: an unknown field is an `invalid_request`, so a client cannot slip in, say,
 * a `secret` of its choosing. Responses are loose: a newer backend may add fields, and a v1
 * client ignores them (see the versioning rule in docs/protocol.md).
 */
import * as z from 'zod/mini';
import { ERROR_CODES } from './errors.js';

/** Longest `code` a backend must look at: a TOTP or a grouped recovery code, with spacing. */
export const MAX_CODE_LENGTH = 64;
/** Longest enrollment token a backend must look at. */
export const MAX_TOKEN_LENGTH = 2048;
/**
 * Every backend accepts request bodies up to this many bytes: the longest valid request (an
 * activation with a 2048-character token and a 64-character code) is well under it.
 */
export const MIN_BODY_LIMIT = 4096;
/** No backend accepts a body larger than this: anything bigger is a 413 (OWASP REST Security). */
export const MAX_BODY_LIMIT = 65536;
/** The longest trust a browser can be given, in days; a backend's own `maxDays` may be shorter. */
export const MAX_TRUST_DAYS = 365;
/** Longest trusted-browser `id` a backend must look at. */
export const MAX_ID_LENGTH = 128;

const timestamp = z.string().check(z.iso.datetime({ offset: true }));
/**
 * A code as the user typed it. The schema checks only the type and length; the backend then
 * normalises it (NFKC, spaces and hyphens dropped) and answers `invalid_code` for anything that is
 * not a well-formed, current code. See "Codes" in docs/protocol.md.
 */
const code = z.string().check(z.minLength(1), z.maxLength(MAX_CODE_LENGTH));
const count = z.int().check(z.nonnegative());
const trustDays = z.int().check(z.gte(1), z.lte(MAX_TRUST_DAYS));

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** `POST {base}/totp/setup`: no fields. The server generates the secret; a client never sends one. */
export const SetupRequest = z.strictObject({});

/** `POST {base}/totp/activate` */
export const ActivateRequest = z.strictObject({
  /** The opaque token from the setup response. */
  enrollmentToken: z.string().check(z.minLength(1), z.maxLength(MAX_TOKEN_LENGTH)),
  /** A code from the authenticator app, as typed: "123 456" is fine. */
  code,
});

/** `POST {base}/totp/deactivate`: a current TOTP code or an unused recovery code. */
export const DeactivateRequest = z.strictObject({ code });

/** `POST {base}/verify`: the login challenge; a TOTP code or a recovery code. */
export const VerifyRequest = z.strictObject({
  code,
  /**
   * Asks the backend to trust this browser for that many days once the code is right, capped by
   * its `features.trustedBrowsers.maxDays`. Ignored (`trustedUntil: null`) by a backend that does
   * not trust browsers; the trust itself travels in an HttpOnly cookie, never in the body.
   */
  trustBrowserDays: z.optional(trustDays),
});

/** `POST {base}/reauthenticate`: a signed-in user confirms a sensitive change with a code. */
export const ReauthenticateRequest = z.strictObject({ code });

/** `POST {base}/recovery-codes/regenerate`: a current TOTP code or an unused recovery code. */
export const RegenerateRecoveryCodesRequest = z.strictObject({ code });

/** `POST {base}/trusted-browsers/revoke`: one trusted browser by its `id`, or all of them. */
export const RevokeTrustedBrowsersRequest = z.union([
  z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH)) }),
  z.strictObject({ all: z.literal(true) }),
]);

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** `GET {base}/status` */
export const StatusResponse = z.object({
  totp: z.object({
    active: z.boolean(),
    /** When TOTP was activated; null when inactive. */
    createdAt: z.nullable(timestamp),
    /** When a code (TOTP or recovery code) was last accepted; null when never. */
    lastUsedAt: z.nullable(timestamp),
  }),
  /** Null when the user has no recovery codes. */
  recoveryCodes: z.nullable(z.object({ total: count, unused: count })),
  /** What the code input must accept. */
  config: z.object({
    digits: z.int().check(z.gte(6), z.lte(8)),
    period: z.int().check(z.gte(1), z.lte(120)),
  }),
  /**
   * True when setup, activation, deactivation or regeneration would now be refused with
   * `reauthentication_required`: a client can send the user to reauthenticate before they scan
   * a QR code rather than after (django-allauth#4019).
   */
  reauthenticationRequired: z.boolean(),
  /**
   * True when the session has passed only the first step (the password), so the second factor is
   * pending. Such a session learns only `totp.active` and `config`: `createdAt`, `lastUsedAt` and
   * `recoveryCodes` are withheld as null and `reauthenticationRequired` is false, so an attacker
   * who has the password cannot pace guesses around the real user. Absent means false.
   */
  pending: z.optional(z.boolean()),
  /**
   * What this backend offers beyond the calls every v1 backend has. Absent (an older backend)
   * means every feature is off: a client then shows none of them and never calls their endpoints.
   */
  features: z.optional(
    z.object({
      /** Null when the backend does not trust browsers; else the longest trust it gives. */
      trustedBrowsers: z.nullable(z.object({ maxDays: trustDays })),
      /**
       * True when `POST {base}/reauthenticate` takes a code, and a right code at deactivation or
       * regeneration counts as a reauthentication (so `reauthenticationRequired` is false while
       * TOTP is active).
       */
      codeReauthentication: z.boolean(),
    }),
  ),
});

/** `POST {base}/totp/setup` */
export const SetupResponse = z.object({
  /** The pending secret, base32 without padding. The only response that carries a secret. */
  secret: z.string().check(z.regex(/^[A-Z2-7]+$/)),
  /** `otpauth://totp/…` for the QR code and the tappable link. */
  otpauthUrl: z.string().check(z.startsWith('otpauth://totp/')),
  /** A QR image of `otpauthUrl` as an SVG data URI, or null to let the client draw one. */
  qrCode: z.nullable(z.string().check(z.startsWith('data:image/svg+xml;base64,'))),
  digits: z.int().check(z.gte(6), z.lte(8)),
  period: z.int().check(z.gte(1), z.lte(120)),
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']),
  issuer: z.string(),
  accountName: z.string(),
  /** Opaque and sealed by the server; send it back to activate. Single use. */
  enrollmentToken: z.string().check(z.minLength(1), z.maxLength(MAX_TOKEN_LENGTH)),
  /** When the enrollment token stops working (at most 10 minutes after setup). */
  expiresAt: timestamp,
});

/** `POST {base}/totp/activate` and `POST {base}/recovery-codes/regenerate` */
export const RecoveryCodesResponse = z.object({
  /** Shown once; the server keeps only hashes. */
  recoveryCodes: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

export const ActivateResponse = RecoveryCodesResponse;
export const RegenerateRecoveryCodesResponse = RecoveryCodesResponse;

/** `POST {base}/totp/deactivate` */
export const DeactivateResponse = z.object({});

/** What a right code answers: which kind it was and what is left of the recovery codes. */
const codeAccepted = {
  method: z.enum(['totp', 'recovery_code']),
  /** Unused recovery codes after this verification; null when the user has none. */
  recoveryCodesLeft: z.nullable(count),
};

/** `POST {base}/verify` */
export const VerifyResponse = z.object({
  ...codeAccepted,
  /**
   * Only when the request had `trustBrowserDays`: when the trust of this browser ends, or null
   * when the backend does not trust browsers.
   */
  trustedUntil: z.optional(z.nullable(timestamp)),
});

/** `POST {base}/reauthenticate`: verify's answer, without trust. */
export const ReauthenticateResponse = z.object(codeAccepted);

/** One trusted browser of the signed-in user. */
export const TrustedBrowser = z.object({
  /** Opaque; the handle to revoke it by. */
  id: z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH)),
  /** Made by the backend from the User-Agent, such as "Firefox on Windows". */
  label: z.string(),
  createdAt: timestamp,
  /** When the trust last let a login skip the challenge; null when never. */
  lastUsedAt: z.nullable(timestamp),
  expiresAt: timestamp,
  /** True for the browser that sent this request (its trust cookie). */
  current: z.boolean(),
});

/** `GET {base}/trusted-browsers`: the unexpired ones, newest first. */
export const TrustedBrowsersResponse = z.object({ browsers: z.array(TrustedBrowser) });

/** `POST {base}/trusted-browsers/revoke` */
export const RevokeTrustedBrowsersResponse = z.object({
  /** How many were revoked: 0 for an id that is unknown, expired or another user's. */
  revoked: count,
});

/** The body of every non-2xx response. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    /** For people and logs; clients show their own text for each code. */
    message: z.string(),
    /** The request field at fault, for `invalid_request` and `invalid_code`. */
    field: z.optional(z.string()),
    /** Whole seconds until a retry can succeed; with `rate_limited`, equal to the Retry-After header. */
    retryAfter: z.optional(z.int().check(z.gte(1))),
  }),
});

export type SetupRequest = z.infer<typeof SetupRequest>;
export type ActivateRequest = z.infer<typeof ActivateRequest>;
export type DeactivateRequest = z.infer<typeof DeactivateRequest>;
export type VerifyRequest = z.infer<typeof VerifyRequest>;
export type RegenerateRecoveryCodesRequest = z.infer<typeof RegenerateRecoveryCodesRequest>;
export type ReauthenticateRequest = z.infer<typeof ReauthenticateRequest>;
export type RevokeTrustedBrowsersRequest = z.infer<typeof RevokeTrustedBrowsersRequest>;
export type StatusResponse = z.infer<typeof StatusResponse>;
export type SetupResponse = z.infer<typeof SetupResponse>;
export type RecoveryCodesResponse = z.infer<typeof RecoveryCodesResponse>;
export type ActivateResponse = RecoveryCodesResponse;
export type RegenerateRecoveryCodesResponse = RecoveryCodesResponse;
export type DeactivateResponse = z.infer<typeof DeactivateResponse>;
export type VerifyResponse = z.infer<typeof VerifyResponse>;
export type ReauthenticateResponse = z.infer<typeof ReauthenticateResponse>;
export type TrustedBrowser = z.infer<typeof TrustedBrowser>;
export type TrustedBrowsersResponse = z.infer<typeof TrustedBrowsersResponse>;
export type RevokeTrustedBrowsersResponse = z.infer<typeof RevokeTrustedBrowsersResponse>;
/** The `features` member of a status response; absent from older backends. */
export type Features = NonNullable<StatusResponse['features']>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
/** The `error` member of an error response. */
export type ProtocolError = ErrorResponse['error'];
