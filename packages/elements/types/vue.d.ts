/**
 * Vue 3 typings for the five tags, for Volar (vue-tsc and the Vue editor extension): props and
 * `@totp-*` events are checked in templates. Opt in once, from any file:
 *
 *     import type {} from '@totpkit/elements/vue';
 *
 * No runtime code. Vue must still be told that the tags are custom elements (`isCustomElement`),
 * and the elements defined before the app mounts: docs/elements.md, "Vue 3 and Nuxt".
 */

import type { DefineComponent } from 'vue';
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

/** `totp-state-change` → `StateChange`: the `on…` name Vue gives a listener of `@totp-state-change`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<S>;

type CommonEvent = 'totp-error' | 'totp-state-change' | 'totp-reauthentication-required' | 'totp-cancel';

/** `onTotpActivated` and so on, for the events `E` fires. */
type VueEvents<K extends keyof TotpEventMap> = {
  [N in K as `on${Pascal<N>}`]?: (event: TotpEventMap[N]) => void;
};

/** The props of a tag in a Vue template: configuration (objects or JSON text), events, `defer-hydration`. */
export type TotpVueProps<E extends TotpElement<string>, K extends keyof TotpEventMap = never> = Omit<
  TotpElementConfig<E>,
  'headers' | 'strings'
> & {
  headers?: JsonSetting<Record<string, string>>;
  strings?: JsonSetting<E['strings']>;
  /** Holds the first request back until it is removed (see docs/elements.md). */
  deferHydration?: boolean | '';
} & VueEvents<K | CommonEvent>;

declare module 'vue' {
  interface GlobalComponents {
    'totp-activate': DefineComponent<TotpVueProps<TotpActivate, 'totp-activated'>>;
    'totp-deactivate': DefineComponent<TotpVueProps<TotpDeactivate, 'totp-deactivated' | 'totp-reauthenticated'>>;
    'totp-verify': DefineComponent<TotpVueProps<TotpVerify, 'totp-verified' | 'totp-reauthenticated'>>;
    'totp-recovery-codes': DefineComponent<TotpVueProps<TotpRecoveryCodes, 'totp-reauthenticated'>>;
    'totp-trusted-browsers': DefineComponent<TotpVueProps<TotpTrustedBrowsers, 'totp-browser-revoked'>>;
  }
}
