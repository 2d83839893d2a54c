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
