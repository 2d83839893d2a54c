/**
 * The six calls: each turns a validated request into a service call and the service's result into
 * the protocol's 200 body. Nothing here sees raw input; the handler has already checked the body
 * against the call's schema.
 */
import type {
  ActivateRequest,
  DeactivateRequest,
  EndpointName,
  RegenerateRecoveryCodesRequest,
  VerifyRequest,
} from '@totpkit/protocol';
import { couldBeCode } from '../service/code-check.js';
import type { Totpkit } from '../service/totpkit.js';
import type { CodeMethod, Failure, TotpUser } from '../service/types.js';

export type CallResult =
  | { ok: true; body: unknown; verified?: { method: CodeMethod; recoveryCodesLeft: number | null } }
  | { ok: false; failure: Failure };

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
): Promise<CallResult> {
  switch (call) {
    case 'status': {
      const status = await totpkit.status(user);
      const config = { digits: totpkit.config.digits, period: totpkit.config.period };
      if (status.pending) {
        // The protocol's pending status: the same shape, with everything but `active` withheld.
        const totp = { active: status.active, createdAt: null, lastUsedAt: null };
        return {
          ok: true,
          body: { totp, recoveryCodes: null, config, reauthenticationRequired: false, pending: true },
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
      const result = await totpkit.verify(user, (input as VerifyRequest).code);
      if (!result.ok) return { ok: false, failure: result };
      const verified = { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft };
      return { ok: true, body: verified, verified };
    }
    case 'regenerateRecoveryCodes': {
      const result = await totpkit.regenerateRecoveryCodes(user, input as RegenerateRecoveryCodesRequest);
      return result.ok ? { ok: true, body: { recoveryCodes: result.recoveryCodes } } : { ok: false, failure: result };
    }
  }
}
