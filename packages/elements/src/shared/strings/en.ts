import type { TrustedBrowsersStrings } from '../../totp-trusted-browsers/strings.js';

/** The English texts of the four elements in the bundle; see `en`. */
const english = {
  loading: 'Loading…',
  retry: 'Try again',
  continue: 'Continue',
  cancel: 'Cancel',
  done: 'Done',

  codeLabel: 'Code from your authenticator app',
  codeHint: (digits: number) => `Enter the ${digits}-digit code your app shows now.`,
  recoveryLabel: 'Recovery code',
  recoveryHint: 'Enter one of your unused recovery codes, such as xxxxx-xxxxx.',
  useRecovery: 'Use a recovery code instead',
  useApp: 'Use your authenticator app instead',

  codeFormat: (digits: number) => `Enter the ${digits} digits from your app.`,
  recoveryFormat: 'Enter a recovery code, such as xxxxx-xxxxx.',
  invalidCode: 'That code did not work. Check your app and try again.',
  invalidRecovery: 'That recovery code did not work. Check it and try again.',
  rateLimited: 'Too many attempts.',
  retryIn: (time: string) => `You can try again in ${time}.`,
  retryNow: 'You can try again now.',
  networkError: 'The server could not be reached. Check your connection and try again.',
  unavailable: 'The service is unavailable right now. Please try again in a moment.',
  unauthenticated: 'You are signed out. Sign in and try again.',
  invalidResponse: 'The server sent an answer this page does not understand.',
  genericError: 'Something went wrong.',
  reauthenticate: 'For your security, sign in again to continue.',
  signIn: 'Sign in again',

  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Could not copy. Select the text and copy it by hand.',

  setupTitle: 'Set up two-factor authentication',
  scan: 'Scan this QR code with your authenticator app.',
  qrAlt: (issuer: string) => `QR code for ${issuer}`,
  qrFailed: 'The QR code could not be shown. Enter the key below instead.',
  account: (account: string, issuer: string) => `Account: ${account} (${issuer})`,
  cantScan: 'Can’t scan the code?',
  keyHint: 'Enter this key in your app instead. Choose a time-based code.',
  keyLabel: 'Setup key',
  keyDetails: (algorithm: string, digits: number, period: number) =>
    `Time-based, ${algorithm}, ${digits} digits, new code every ${period} s.`,
  copyKey: 'Copy key',
  openApp: 'Open in authenticator app',
  setupExpired: 'The setup timed out. Remove the old entry from your app, then scan this new code.',
  activate: 'Activate',
  alreadyActive: 'Two-factor authentication is already on.',
  activated: 'Two-factor authentication is on.',
  activeSince: (date: string) => `Turned on ${date}.`,
  lastUsed: (date: string) => `Last used ${date}.`,

  codesTitle: 'Save your recovery codes',
  codesIntro:
    'If you lose your phone, each of these codes signs you in once. Keep them somewhere safe: they are shown only now.',
  copyCodes: 'Copy codes',
  download: 'Download',
  print: 'Print',
  saved: 'I have saved these codes',
  fileTitle: (issuer: string) => `Recovery codes for ${issuer}`,
  fileNote: 'Each code works once.',

  deactivateTitle: 'Turn off two-factor authentication',
  deactivateIntro: 'Your account will then be protected by your password alone. Enter a code to confirm.',
  deactivate: 'Turn off',
  deactivated: 'Two-factor authentication is off.',
  notActive: 'Two-factor authentication is not on.',
  deactivationForbidden: 'Two-factor authentication cannot be turned off for this account.',

  verifyTitle: 'Two-factor authentication',
  verify: 'Verify',
  verified: 'Verified.',
  trustBrowser: (days: number) => `Don’t ask again on this browser for ${days} day${days === 1 ? '' : 's'}`,
  reauthenticateTitle: 'Confirm it’s you',
  reauthenticateCode: 'For your security, confirm it’s you with a code to continue.',
  confirm: 'Confirm',
  codesLow: (left: number) =>
    left === 0
      ? 'You have no recovery codes left. Generate new ones now.'
      : `You have ${left} recovery code${left === 1 ? '' : 's'} left. Generate new ones soon.`,

  recoveryTitle: 'Recovery codes',
  codesLeft: (unused: number, total: number) => `${unused} of ${total} recovery codes unused.`,
  noCodes: 'You have no recovery codes.',
  regenerate: 'Generate new codes',
  regenerateIntro: 'Your current codes will stop working. Enter a code to confirm.',
};

/**
 * The English texts, which are also the fallback for every key another locale or a `strings`
 * override leaves out. Functions take the numbers or names a sentence needs. Those of
 * `<totp-trusted-browsers>` join when that element is defined (src/totp-trusted-browsers/strings.ts):
 * only the element that reads them carries them.
 */
export const en = english as typeof english & TrustedBrowsersStrings;

/** Every text an element shows; a locale or a `strings` override may set any subset. */
export type TotpStrings = typeof en;
