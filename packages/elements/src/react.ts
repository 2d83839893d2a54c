/**
 * JSX typings for React 19, which sets properties on custom elements and listens to their events
 * through `on<event-name>` props (for example `ontotp-verified`). Opt in from any file:
 *
 *     import type {} from '@totpkit/elements/react';
 *
 * This module has no runtime code; the elements themselves come from `@totpkit/elements`.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { TotpElement } from './shared/base.js';
import type { TotpEventMap } from './shared/events.js';
import type { TotpActivate } from './totp-activate/totp-activate.js';
import type { TotpDeactivate } from './totp-deactivate/totp-deactivate.js';
import type { TotpRecoveryCodes } from './totp-recovery-codes/totp-recovery-codes.js';
import type { TotpVerify } from './totp-verify/totp-verify.js';

/** Listeners for the `totp-*` events, with their typed details. */
export type TotpEventProps = {
  [K in keyof TotpEventMap as `on${K}`]?: (event: TotpEventMap[K]) => void;
};

/** The configuration every element takes. */
type CommonProps = Partial<
  Pick<
    TotpElement<string>,
    'endpoint' | 'csrfHeader' | 'csrfToken' | 'fetch' | 'headers' | 'strings' | 'headingLevel' | 'lightDomInput'
  >
>;

/** The JSX props of an element: its properties, the common ones, events, and HTML attributes. */
export type TotpElementProps<E extends HTMLElement, Own extends keyof E = never> = Partial<Pick<E, Own>> &
  CommonProps &
  TotpEventProps &
  DetailedHTMLProps<HTMLAttributes<E>, E>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'totp-activate': TotpElementProps<TotpActivate, 'appLink'>;
      'totp-deactivate': TotpElementProps<TotpDeactivate>;
      'totp-verify': TotpElementProps<TotpVerify, 'digits' | 'lowRecoveryCodes'>;
      'totp-recovery-codes': TotpElementProps<TotpRecoveryCodes, 'issuer' | 'lowRecoveryCodes'>;
    }
  }
}
