/**
 * React components for the five elements, made with `@lit/react`, and JSX typings for the raw tags.
 *
 *     'use client';
 *     import { TotpActivate } from '@totpkit/elements/react';
 *
 *     <TotpActivate endpoint="/mfa" headers={{ Authorization: `Bearer ${token}` }}
 *                   onTotpActivated={(event) => setDone(event.detail.recoveryCodeCount)} />
 *
 * Why components rather than the raw tags: React 19 sets no properties and adds no listeners on a
 * custom element while it hydrates server-rendered markup (facebook/react#35446), so `headers={…}`
 * and `ontotp-*` on a raw tag are lost on every server-rendered page. A component sets every
 * property and listener itself, in one layout effect, on the server-rendered element as on a new
 * one. It renders the tag without `endpoint` (a property, not an attribute), and an element without
 * an endpoint sends nothing, so the first request waits for that effect (docs/elements.md, "React").
 *
 * Importing this module defines all five elements; it is safe to import during server rendering.
 * `react` is an optional peer dependency: only this module needs it.
 */
import { createComponent, type EventName } from '@lit/react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import * as React from 'react';
import type { TotpElement } from './shared/base.js';
import type { JsonSetting, TotpElementConfig } from './shared/config.js';
import type { TotpEventMap } from './shared/events.js';
import { TotpActivate as TotpActivateElement } from './totp-activate/totp-activate.js';
import { TotpDeactivate as TotpDeactivateElement } from './totp-deactivate/totp-deactivate.js';
import { TotpRecoveryCodes as TotpRecoveryCodesElement } from './totp-recovery-codes/totp-recovery-codes.js';
import { TotpTrustedBrowsers as TotpTrustedBrowsersElement } from './totp-trusted-browsers/totp-trusted-browsers.js';
import { TotpVerify as TotpVerifyElement } from './totp-verify/totp-verify.js';

/** Listeners for the `totp-*` events on the raw tags (`ontotp-verified`), with their typed details. */
export type TotpEventProps = {
  [K in keyof TotpEventMap as `on${K}`]?: (event: TotpEventMap[K]) => void;
};

/**
 * The JSX props of a raw tag: its configuration, events, and HTML attributes. `headers` and
 * `strings` also take JSON text, which is what survives server rendering and hydration.
 * `_Own` is unused, kept for compatibility.
 */
export type TotpElementProps<E extends TotpElement<string>, _Own extends keyof E = never> = Omit<
  TotpElementConfig<E>,
  'headers' | 'strings'
> & {
  headers?: JsonSetting<E['headers']>;
  strings?: JsonSetting<E['strings']>;
} & TotpEventProps &
  DetailedHTMLProps<HTMLAttributes<E>, E>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'totp-activate': TotpElementProps<TotpActivateElement>;
      'totp-deactivate': TotpElementProps<TotpDeactivateElement>;
      'totp-verify': TotpElementProps<TotpVerifyElement>;
      'totp-recovery-codes': TotpElementProps<TotpRecoveryCodesElement>;
      'totp-trusted-browsers': TotpElementProps<TotpTrustedBrowsersElement>;
    }
  }
}

export type { TotpElementConfig };

const event = <K extends keyof TotpEventMap>(name: K) => name as EventName<TotpEventMap[K]>;

/** The events every element fires, as `on…` props. */
const common = {
  onTotpError: event('totp-error'),
  onTotpStateChange: event('totp-state-change'),
  onTotpReauthenticationRequired: event('totp-reauthentication-required'),
  onTotpCancel: event('totp-cancel'),
};

/** The React props of a component: configuration, `on…` event props, HTML attributes and `ref`. */
export type TotpComponentProps<
  E extends TotpElement<string>,
  Events extends Record<string, EventName>,
> = TotpElementConfig<E> & {
  [K in keyof Events]?: (event: Events[K]['__eventType']) => void;
} & Omit<HTMLAttributes<E>, keyof Events | keyof TotpElementConfig<E>> &
  React.RefAttributes<E>;

/** `createComponent` with the props narrowed to configuration and events (lit's own members left out). */
function component<E extends TotpElement<string>, Events extends Record<string, EventName>>(
  tagName: string,
  elementClass: new () => E,
  events: Events,
  displayName: string,
): React.ForwardRefExoticComponent<TotpComponentProps<E, Events>> {
  return createComponent({ react: React, tagName, elementClass, events, displayName }) as never;
}

const activateEvents = { ...common, onTotpActivated: event('totp-activated') };
/** Fired by `purpose="reauthenticate"` and by the in-place code form of deactivate and recovery codes. */
const reauthenticated = { onTotpReauthenticated: event('totp-reauthenticated') };
const deactivateEvents = { ...common, ...reauthenticated, onTotpDeactivated: event('totp-deactivated') };
const verifyEvents = { ...common, ...reauthenticated, onTotpVerified: event('totp-verified') };
const recoveryCodesEvents = { ...common, ...reauthenticated };
const trustedBrowsersEvents = { ...common, onTotpBrowserRevoked: event('totp-browser-revoked') };

/** `<totp-activate>` as a React component. */
export const TotpActivate = component('totp-activate', TotpActivateElement, activateEvents, 'TotpActivate');
/** `<totp-deactivate>` as a React component. */
export const TotpDeactivate = component('totp-deactivate', TotpDeactivateElement, deactivateEvents, 'TotpDeactivate');
/** `<totp-verify>` as a React component. */
export const TotpVerify = component('totp-verify', TotpVerifyElement, verifyEvents, 'TotpVerify');
/** `<totp-recovery-codes>` as a React component. */
export const TotpRecoveryCodes = component(
  'totp-recovery-codes',
  TotpRecoveryCodesElement,
  recoveryCodesEvents,
  'TotpRecoveryCodes',
);
/** `<totp-trusted-browsers>` as a React component. */
export const TotpTrustedBrowsers = component(
  'totp-trusted-browsers',
  TotpTrustedBrowsersElement,
  trustedBrowsersEvents,
  'TotpTrustedBrowsers',
);
