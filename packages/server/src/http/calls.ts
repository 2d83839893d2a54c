/**
 * The calls: each turns a validated request into a service call and the service's result into
 * the protocol's 200 body. Nothing here sees raw input; the handler has already checked the body
 * against the call's schema.
 */
import type {
  ActivateRequest,
  DeactivateRequest,
  EndpointName,
  Features,
  ReauthenticateRequest,
  RegenerateRecoveryCodesRequest,
  RevokeTrustedBrowsersRequest,
  VerifyRequest,
} from '@totpkit/protocol';
import { couldBeCode } from '../service/code-check.js';
import type { Totpkit } from '../service/totpkit.js';
import type { BrowserTrust, CodeMethod, Failure, TotpUser } from '../service/types.js';

/** What a call reads from its request besides the body. */
export interface CallRequest {
  /** The `User-Agent`, to label a browser the user asks to trust. */
  userAgent: string | null;
  /** The request's trust cookie, to mark (and on revocation clear) the current browser. */
  trustToken: string | null;
}

/** How a call changes the request's trust cookie. */
export type CookieChange =
  /** A new trust: set the cookie for `maxAgeSeconds`. */
  | { set: BrowserTrust; maxAgeSeconds: number }
  /** The request's own browser lost its trust: clear the cookie. */
  | { clear: true };

export type CallResult =
  | {
      ok: true;
      body: unknown;
      /** A successful login challenge, for `afterVerify`; `trust` only when trust was asked. */
      verified?: { method: CodeMethod; recoveryCodesLeft: number | null; trust?: BrowserTrust | null };
      /** A successful reauthentication by code, for `afterReauthenticate`. */
      reauthenticated?: { method: CodeMethod; recoveryCodesLeft: number | null };
      cookie?: CookieChange;
    }
  | { ok: false; failure: Failure };

/** What the service offers beyond protocol v1's calls, as status reports it. */
export function featuresOf(totpkit: Totpkit): Features {
  const { trustedBrowsers, codeReauthentication } = totpkit.config;
  return { trustedBrowsers: trustedBrowsers ? { maxDays: trustedBrowsers.maxDays } : null, codeReauthentication };
}

/** The trusted-browser calls when the service trusts no browser: the same 404 as a path it never had. */
export function isOffered(totpkit: Totpkit, call: EndpointName): boolean {
  if (call === 'trustedBrowsers' || call === 'revokeTrustedBrowsers') return totpkit.config.trustedBrowsers !== null;
  if (call === 'reauthenticate') return totpkit.config.codeReauthentication;
  return true;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * False when the request's `code` cannot be a code at all: not 6 to 8 digits after normalisation,
 * nor (where one is accepted) a recovery code. Such a code is answered `invalid_code` before any
 * crypto or storage work (DESIGN.md, "Code input normalisation"), so it neither costs a lookup nor
 * counts against the account's limit: a value that can never match gives an attacker nothing.
 * Every digit count is allowed, because an authenticator keeps the digits it was activated with.
 */
export function isPlausibleCode(call: EndpointName, input: unknown): boolean {
  const code = (input as { code?: unknown }).code;
  return code === undefined || couldBeCode(code, { recoveryCodes: call !== 'activate' });
}

/** Runs `call` for `user` with the validated `input`. Throws what the service throws. */
export async function runCall(
  totpkit: Totpkit,
  call: EndpointName,
  user: TotpUser,
  input: unknown,
  request: CallRequest,
): Promise<CallResult> {
  switch (call) {
    case 'status': {
      const status = await totpkit.status(user);
      const config = { digits: totpkit.config.digits, period: totpkit.config.period };
      // Pending sessions get the features too: the login page shows "trust this browser" from them.
      const features = featuresOf(totpkit);
      if (status.pending) {
        // The protocol's pending status: the same shape, with everything but `active` withheld.
        const totp = { active: status.active, createdAt: null, lastUsedAt: null };
        return {
          ok: true,
          body: { totp, recoveryCodes: null, config, reauthenticationRequired: false, pending: true, features },
        };
      }
      const reauthenticationRequired = await totpkit.reauthenticationRequired(user);
      return {
        ok: true,
        body: {
          totp: { active: status.active, createdAt: iso(status.createdAt), lastUsedAt: iso(status.lastUsedAt) },
          recoveryCodes: status.recoveryCodes,
          config,
          reauthenticationRequired,
          features,
        },
      };
    }
    case 'setup': {
      const setup = await totpkit.beginSetup(user);
      return {
        ok: true,
        body: {
          secret: setup.secret,
          otpauthUrl: setup.otpauthUrl,
          qrCode: setup.qrSvgDataUri,
          digits: setup.digits,
          period: setup.period,
          algorithm: setup.algorithm,
          issuer: setup.issuer,
          accountName: setup.accountName,
          enrollmentToken: setup.enrollmentToken,
          expiresAt: setup.expiresAt.toISOString(),
        },
      };
    }
    case 'activate': {
      const result = await totpkit.activate(user, input as ActivateRequest);
      return result.ok ? { ok: true, body: { recoveryCodes: result.recoveryCodes } } : { ok: false, failure: result };
    }
    case 'deactivate': {
      const result = await totpkit.deactivate(user, input as DeactivateRequest);
      return result.ok ? { ok: true, body: {} } : { ok: false, failure: result };
    }
    case 'verify': {
      const { code, trustBrowserDays } = input as VerifyRequest;
      const result = await totpkit.verify(
        user,
        code,
        trustBrowserDays === undefined
          ? {}
          : { trustBrowser: { days: trustBrowserDays, userAgent: request.userAgent } },
      );
      if (!result.ok) return { ok: false, failure: result };
      const accepted = { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft };
      if (trustBrowserDays === undefined) return { ok: true, body: accepted, verified: accepted };
      const trust = result.trust ?? null;
      const maxDays = totpkit.config.trustedBrowsers?.maxDays ?? 0;
      return {
        ok: true,
        body: { ...accepted, trustedUntil: iso(trust?.expiresAt) },
        verified: { ...accepted, trust },
        // The cookie lives as long as the record: the days asked, capped as the service caps them.
        ...(trust ? { cookie: { set: trust, maxAgeSeconds: Math.min(trustBrowserDays, maxDays) * 86_400 } } : {}),
      };
    }
    case 'reauthenticate': {
      const result = await totpkit.reauthenticate(user, input as ReauthenticateRequest);
      if (!result.ok) return { ok: false, failure: result };
      const accepted = { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft };
      return { ok: true, body: accepted, reauthenticated: accepted };
    }
    case 'trustedBrowsers': {
      const browsers = await totpkit.listTrustedBrowsers(user, request.trustToken);
      return {
        ok: true,
        body: {
          browsers: browsers.map((browser) => ({
            id: browser.id,
            label: browser.label,
            createdAt: browser.createdAt.toISOString(),
            lastUsedAt: iso(browser.lastUsedAt),
            expiresAt: browser.expiresAt.toISOString(),
            current: browser.current,
          })),
        },
      };
    }
    case 'revokeTrustedBrowsers': {
      const revoke = input as RevokeTrustedBrowsersRequest;
      if ('all' in revoke) {
        const revoked = await totpkit.revokeTrustedBrowsers(user);
        return { ok: true, body: { revoked }, ...(request.trustToken ? { cookie: { clear: true } } : {}) };
      }
      // Which record is this browser's, read before it is gone, so its cookie goes with it.
      const current = request.trustToken
        ? (await totpkit.listTrustedBrowsers(user, request.trustToken)).find((browser) => browser.current)
        : undefined;
      const revoked = (await totpkit.revokeTrustedBrowser(user, revoke.id)) ? 1 : 0;
      const clear = revoked === 1 && current?.id === revoke.id;
      return { ok: true, body: { revoked }, ...(clear ? { cookie: { clear: true } } : {}) };
    }
    case 'regenerateRecoveryCodes': {
      const result = await totpkit.regenerateRecoveryCodes(user, input as RegenerateRecoveryCodesRequest);
      return result.ok ? { ok: true, body: { recoveryCodes: result.recoveryCodes } } : { ok: false, failure: result };
    }
  }
}
