/**
 * Svelte 5 typings for the five tags: props and `ontotp-*` event attributes are checked by
 * svelte-check. Opt in once, from any file:
 *
 *     import type {} from '@totpkit/elements/svelte';
 *
 * No runtime code. Svelte 5 sets a prop on a custom element as a property when the element has
 * one, so define the elements (import their modules) before the component mounts.
 */

import type { HTMLAttributes } from 'svelte/elements';
import type {
  JsonSetting,
  TotpActivate,
  TotpDeactivate,
  TotpElement,
  TotpElementConfig,
  TotpEventMap,
  TotpRecoveryCodes,
  TotpTrustedBrowsers,
  TotpVerify,
} from '../dist/index.js';

type CommonEvent = 'totp-error' | 'totp-state-change' | 'totp-reauthentication-required' | 'totp-cancel';

/** `ontotp-activated` and so on: Svelte 5 adds a listener for the event an `on…` attribute names. */
type SvelteEvents<K extends keyof TotpEventMap> = {
  [N in K as `on${N}`]?: (event: TotpEventMap[N]) => void;
};

/** The attributes of a tag in Svelte markup: configuration (objects or JSON text), events, HTML attributes. */
export type TotpSvelteProps<E extends TotpElement<string>, K extends keyof TotpEventMap = never> = Omit<
  TotpElementConfig<E>,
  'headers' | 'strings'
> & {
  headers?: JsonSetting<Record<string, string>>;
  strings?: JsonSetting<E['strings']>;
  'defer-hydration'?: boolean | '';
} & SvelteEvents<K | CommonEvent> &
  Omit<HTMLAttributes<E>, keyof TotpElementConfig<E>>;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'totp-activate': TotpSvelteProps<TotpActivate, 'totp-activated'>;
    'totp-deactivate': TotpSvelteProps<TotpDeactivate, 'totp-deactivated' | 'totp-reauthenticated'>;
    'totp-verify': TotpSvelteProps<TotpVerify, 'totp-verified' | 'totp-reauthenticated'>;
    'totp-recovery-codes': TotpSvelteProps<TotpRecoveryCodes, 'totp-reauthenticated'>;
    'totp-trusted-browsers': TotpSvelteProps<TotpTrustedBrowsers, 'totp-browser-revoked'>;
  }
}
