/**
 * Type-checked with the examples (`tsc`), never run: the Vue (Volar) and Svelte 5 typings of
 * @totpkit/elements accept what the docs show, and refuse misuse.
 */
import type {} from '@totpkit/elements/svelte';
import type {} from '@totpkit/elements/vue';
import type { SvelteHTMLElements } from 'svelte/elements';
import type { GlobalComponents } from 'vue';

type VueProps<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];

export const vueActivate: VueProps<'totp-activate'> = {
  endpoint: '/mfa',
  headers: { Authorization: 'Bearer abc' },
  csrfHeader: 'X-CSRF-Token',
  csrfToken: 'token',
  appLink: 'show',
  deferHydration: true,
  onTotpActivated: (event) => event.detail.recoveryCodeCount,
  onTotpStateChange: (event) => event.detail.state,
  onTotpReauthenticationRequired: (event) => event.detail.action,
  onTotpCancel: (event) => event.detail.state,
};
export const vueVerify: VueProps<'totp-verify'> = {
  strings: '{"verify": "Sign in"}',
  lowRecoveryCodes: 2,
  onTotpVerified: (event) => event.detail.recoveryCodesLow,
};
// @ts-expect-error: <totp-activate> fires no totp-verified
export const vueWrongEvent: VueProps<'totp-activate'> = { onTotpVerified: () => {} };
// @ts-expect-error: issuer belongs to <totp-recovery-codes>
export const vueWrongProp: VueProps<'totp-deactivate'> = { issuer: 'ACME' };

export const svelteActivate: SvelteHTMLElements['totp-activate'] = {
  endpoint: '/mfa',
  headers: { Authorization: 'Bearer abc' },
  csrfHeader: 'X-CSRF-Token',
  'defer-hydration': true,
  class: 'enrollment',
  'ontotp-activated': (event) => event.detail.recoveryCodeCount,
  'ontotp-error': (event) => event.detail.code,
};
// @ts-expect-error: an event detail carries no code
export const svelteWrongDetail: SvelteHTMLElements['totp-verify'] = { 'ontotp-verified': (event) => event.detail.code };
// @ts-expect-error: digits is a number
export const svelteWrongType: SvelteHTMLElements['totp-verify'] = { digits: 'six' };

export const vueTrustedBrowsers: VueProps<'totp-trusted-browsers'> = {
  endpoint: '/mfa',
  headingLevel: 3,
  onTotpBrowserRevoked: (event) => (event.detail.all ? event.detail.revoked : event.detail.id),
  onTotpError: (event) => event.detail.code,
};
export const vueReauthenticate: VueProps<'totp-verify'> = {
  purpose: 'reauthenticate',
  onTotpReauthenticated: (event) => event.detail.method,
};
// @ts-expect-error: <totp-trusted-browsers> fires no totp-verified
export const vueTrustedWrongEvent: VueProps<'totp-trusted-browsers'> = { onTotpVerified: () => {} };
export const svelteTrustedBrowsers: SvelteHTMLElements['totp-trusted-browsers'] = {
  endpoint: '/mfa',
  'ontotp-browser-revoked': (event) => event.detail.revoked,
};
export const svelteTrustedWrongDetail: SvelteHTMLElements['totp-trusted-browsers'] = {
  // @ts-expect-error: a revoked browser's id is a string
  'ontotp-browser-revoked': (event) => event.detail.id?.toFixed(),
};
