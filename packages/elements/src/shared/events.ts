/**
 * The events every element may fire. All bubble and are composed, so a listener on `document`
 * hears them from any shadow root. No detail ever carries a secret, a code or an otpauth URL.
 */
import type { EndpointName } from '@totpkit/protocol';
import type { TotpErrorCode } from './client.js';

/** How a code was accepted. */
export type CodeMethod = 'totp' | 'recovery_code';

/** `totp-activated`: TOTP is now on; the recovery codes are on screen (never in the event). */
export interface TotpActivatedDetail {
  /** How many recovery codes were issued. */
  recoveryCodeCount: number;
}

/** `totp-deactivated`: TOTP is now off. */
export interface TotpDeactivatedDetail {
  /** Which kind of code confirmed it. */
  method: CodeMethod;
}

/** `totp-verified`: the login challenge passed. */
export interface TotpVerifiedDetail {
  /** Which kind of code passed. */
  method: CodeMethod;
  /** Unused recovery codes left; null when the user has none. */
  recoveryCodesLeft: number | null;
  /** True when `recoveryCodesLeft` is at or below the element's `low-codes` threshold. */
  recoveryCodesLow: boolean;
  /**
   * Only when the user ticked "Don't ask again on this browser" (`trust-browser-days`): when that
   * trust ends, as an ISO timestamp; null when the backend did not trust the browser.
   */
  trustedUntil?: string | null;
}

/** `totp-reauthenticated`: the user confirmed it's them with a code (`<totp-verify purpose="reauthenticate">`, or in place). */
export interface TotpReauthenticatedDetail {
  /** Which kind of code confirmed it. */
  method: CodeMethod;
  /** Unused recovery codes left; null when the user has none. */
  recoveryCodesLeft: number | null;
}

/** `totp-error`: a call failed. Fired for every failure, including a wrong code. */
export interface TotpErrorDetail {
  /** The protocol error code, `network_error` or `invalid_response`. */
  code: TotpErrorCode;
  /** For developers: names the problem (for `invalid_response`, which field and why). */
  message: string;
  /** The call that failed. */
  endpoint: EndpointName;
  /** The HTTP status, or null when no response arrived. */
  status: number | null;
  /** Seconds until a retry can succeed, for `rate_limited`. */
  retryAfter: number | null;
}

/** `totp-reauthentication-required`: the user must sign in again before `action`. */
export interface TotpReauthenticationRequiredDetail {
  /** The call that needs a recent sign-in. */
  action: EndpointName;
  /** Tries the action again; call it once the user has signed in (for example in a dialog). */
  retry: () => void;
}

/** `totp-cancel`: the user cancelled a step with a code form. */
export interface TotpCancelDetail {
  /** The state that was cancelled, such as `confirm`. */
  state: string;
}

/** `totp-state-change`: the element moved to another step. */
export interface TotpStateChangeDetail {
  /** The new state, also reflected in the `state` attribute. */
  state: string;
  /** The state before. */
  previousState: string;
}

/** `totp-browser-revoked`: trust was revoked, for one browser (`id`) or for all (`all`). */
export type TotpBrowserRevokedDetail = ({ id: string; all?: undefined } | { all: true; id?: undefined }) & {
  /** How many the server revoked: 0 for one that was gone already (expired, or revoked elsewhere). */
  revoked: number;
};

/** Every event of the elements, by name. */
export interface TotpEventMap {
  'totp-activated': CustomEvent<TotpActivatedDetail>;
  'totp-deactivated': CustomEvent<TotpDeactivatedDetail>;
  'totp-verified': CustomEvent<TotpVerifiedDetail>;
  'totp-reauthenticated': CustomEvent<TotpReauthenticatedDetail>;
  'totp-error': CustomEvent<TotpErrorDetail>;
  'totp-reauthentication-required': CustomEvent<TotpReauthenticationRequiredDetail>;
  'totp-state-change': CustomEvent<TotpStateChangeDetail>;
  'totp-cancel': CustomEvent<TotpCancelDetail>;
  'totp-browser-revoked': CustomEvent<TotpBrowserRevokedDetail>;
}

declare global {
  interface GlobalEventHandlersEventMap extends TotpEventMap {}
}
