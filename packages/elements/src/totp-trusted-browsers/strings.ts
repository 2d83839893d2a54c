/**
 * The English texts of `<totp-trusted-browsers>`, kept with the element rather than in
 * shared/strings/en.ts so that the no-build bundle of the other four does not carry them (the
 * element is a file of its own there); the element adds them to the English fallback when it is
 * defined. German, French and Spanish are in their locale files, which load on demand anyway.
 */
export const trustedBrowsersEn = {
  browsersTitle: 'Trusted browsers',
  browsersIntro: 'These browsers skip the code at sign-in until their trust expires.',
  browsersEmpty: 'No trusted browsers.',
  browsersNotAvailable: 'This site does not remember trusted browsers.',
  browsersThis: 'This browser',
  browsersAdded: (date: string) => `Added ${date}`,
  browsersLastUsed: (date: string) => `last used ${date}`,
  browsersNeverUsed: 'not used since',
  browsersExpires: (date: string) => `expires ${date}`,
  browsersRevoke: 'Revoke',
  browsersRevokeLabel: (label: string) => `Revoke ${label}`,
  browsersRevokeAll: 'Revoke all',
  browsersConfirmTitle: 'Revoke all trusted browsers?',
  browsersConfirm: (count: number) =>
    `${count === 1 ? 'The trusted browser' : `All ${count} trusted browsers`} will ask for a code at the next sign-in.`,
  browsersRevoked: (label: string) => `${label} revoked.`,
  browsersAllRevoked: 'All trusted browsers revoked.',
};

export type TrustedBrowsersStrings = typeof trustedBrowsersEn;
