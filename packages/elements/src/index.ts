/**
 * @totpkit/elements: the browser half of totpkit. Importing this module defines all five
 * elements; import `@totpkit/elements/totp-verify` (and so on) to define only one.
 */
export { type CommonState, TotpElement } from './shared/base.js';
export { type ClientOptions, callEndpoint, type TotpErrorCode, TotpRequestError } from './shared/client.js';
export type { JsonSetting, TotpElementConfig } from './shared/config.js';
export type * from './shared/events.js';
export { groupKey } from './shared/format.js';
export {
  en,
  registerStrings,
  setDefaultStrings,
  type TotpStringOverrides,
  type TotpStrings,
} from './shared/strings/index.js';
export { type ActivateState, TotpActivate } from './totp-activate/totp-activate.js';
export { type DeactivateState, TotpDeactivate } from './totp-deactivate/totp-deactivate.js';
export { type RecoveryCodesState, TotpRecoveryCodes } from './totp-recovery-codes/totp-recovery-codes.js';
export {
  TotpTrustedBrowsers,
  type TrustedBrowser,
  type TrustedBrowsersState,
} from './totp-trusted-browsers/totp-trusted-browsers.js';
export { TotpVerify, type VerifyState } from './totp-verify/totp-verify.js';
