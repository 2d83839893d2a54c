/**
 * Every state of every element, reached through the stub backend the way a user gets there, for
 * the checks that must hold in all of them (axe in every theme and size, no overflow at 320 px).
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import { CODES, type Features, failure, inactiveBackend, StubBackend, status } from './backend.js';
import { part, submit, type, untilState } from './dom.js';

export interface StateCase {
  /** `tag state`, plus what else is on screen. */
  name: string;
  mount: (lang: string) => Promise<LitElement>;
}

type Tag = 'totp-activate' | 'totp-deactivate' | 'totp-verify' | 'totp-recovery-codes' | 'totp-trusted-browsers';

/** Mounts `tag` in `lang` with `backend` (and `attributes`), as wide as its container, with every slot it may show empty. */
async function mount(
  tag: Tag,
  lang: string,
  backend: StubBackend,
  attributes: Record<string, string> = {},
): Promise<LitElement> {
  const wrapper = await fixture<HTMLElement>(html`<div></div>`);
  const el = document.createElement(tag) as LitElement & { fetch: typeof fetch; endpoint: string };
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.endpoint = '/mfa';
  el.fetch = backend.fetch;
  el.lang = lang;
  wrapper.append(el);
  await el.updateComplete;
  return el;
}

/** Types `code` into the element's input and submits, then waits for `state` (and, with `until`, more). */
async function enter(el: LitElement, code: string, state: string, until?: () => unknown): Promise<LitElement> {
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), code);
  submit(el);
  await waitUntil(() => el.getAttribute('state') === state && (!until || until()), `never reached ${state}`);
  await el.updateComplete;
  return el;
}

const shown = (el: LitElement, selector: string) => () => el.shadowRoot?.querySelector(selector);

const active = () => new StubBackend().on('GET /status', status({ active: true, unused: 2 }));
const locked = failure('rate_limited', { retryAfter: 300 });
/** A backend of issue 17 that trusts browsers and takes a code to confirm it's the user. */
const byCode: Features = { trustedBrowsers: { maxDays: 14 }, codeReauthentication: true };

/** Two trusted browsers, this one first, with a long label that must wrap at 320 px. */
const trusted = () =>
  new StubBackend()
    .on('GET /trusted-browsers', {
      body: {
        browsers: [
          {
            id: 'b1',
            label: 'Chrome on macOS',
            createdAt: '2026-11-20T10:00:00Z',
            lastUsedAt: '2026-12-01T09:00:00Z',
            expiresAt: '2026-12-04T10:00:00Z',
            current: true,
          },
          {
            id: 'b2',
            label: 'Samsung Internet on Android',
            createdAt: '2026-11-15T10:00:00Z',
            lastUsedAt: null,
            expiresAt: '2026-11-29T10:00:00Z',
            current: false,
          },
        ],
      },
    })
    .on('POST /trusted-browsers/revoke', { body: { revoked: 2 } });

async function reach(el: LitElement, state: string): Promise<LitElement> {
  await untilState(el, state);
  return el;
}

export const STATES: StateCase[] = [
  {
    name: 'totp-activate loading',
    mount: (lang) => {
      const backend = inactiveBackend();
      backend.hold('GET /status');
      return mount('totp-activate', lang, backend);
    },
  },
  {
    name: 'totp-activate setup, "Can’t scan?" open',
    mount: async (lang) => {
      const el = await reach(await mount('totp-activate', lang, inactiveBackend()), 'setup');
      await waitUntil(shown(el, 'img[part~="qr"]'));
      part<HTMLDetailsElement>(el, '[part~="manual"]').open = true;
      return el;
    },
  },
  {
    name: 'totp-activate setup, rate limited',
    mount: async (lang) => {
      const el = await reach(
        await mount('totp-activate', lang, inactiveBackend().on('POST /totp/activate', locked)),
        'setup',
      );
      return enter(el, '123456', 'setup', shown(el, '[part~="countdown"]'));
    },
  },
  {
    name: 'totp-activate setup, restarted after expiry',
    mount: async (lang) => {
      const backend = inactiveBackend().on('POST /totp/activate', failure('enrollment_expired'));
      const el = await reach(await mount('totp-activate', lang, backend), 'setup');
      return enter(el, '123456', 'setup', shown(el, '[part~="notice"]'));
    },
  },
  {
    name: 'totp-activate recovery-codes',
    mount: async (lang) =>
      enter(await reach(await mount('totp-activate', lang, inactiveBackend()), 'setup'), '123456', 'recovery-codes'),
  },
  {
    name: 'totp-activate activated',
    mount: async (lang) => {
      const el = await enter(
        await reach(await mount('totp-activate', lang, inactiveBackend()), 'setup'),
        '123456',
        'recovery-codes',
      );
      part<HTMLInputElement>(el, '[part~="saved-checkbox"]').click();
      await el.updateComplete;
      part<HTMLButtonElement>(el, '[part~="done-button"]').click();
      return reach(el, 'activated');
    },
  },
  {
    name: 'totp-activate active',
    mount: async (lang) => reach(await mount('totp-activate', lang, active()), 'active'),
  },
  {
    name: 'totp-activate reauthenticate',
    mount: async (lang) =>
      reach(
        await mount('totp-activate', lang, new StubBackend().on('GET /status', status({ reauth: true }))),
        'reauthenticate',
      ),
  },
  {
    name: 'totp-activate error, rate limited',
    mount: async (lang) =>
      reach(await mount('totp-activate', lang, new StubBackend().on('GET /status', locked)), 'error'),
  },
  {
    name: 'totp-deactivate confirm, wrong code',
    mount: async (lang) => {
      const backend = active().on('POST /totp/deactivate', failure('invalid_code'));
      const el = await reach(await mount('totp-deactivate', lang, backend), 'confirm');
      return enter(el, '123456', 'confirm', () => el.shadowRoot?.querySelector('[part~="error"]')?.textContent);
    },
  },
  {
    name: 'totp-deactivate deactivated',
    mount: async (lang) => {
      const backend = active().on('POST /totp/deactivate', { body: {} });
      return enter(await reach(await mount('totp-deactivate', lang, backend), 'confirm'), '123456', 'deactivated');
    },
  },
  {
    name: 'totp-deactivate inactive',
    mount: async (lang) =>
      reach(await mount('totp-deactivate', lang, new StubBackend().on('GET /status', status())), 'inactive'),
  },
  {
    name: 'totp-deactivate forbidden',
    mount: async (lang) => {
      const backend = active().on('POST /totp/deactivate', failure('deactivation_forbidden'));
      return enter(await reach(await mount('totp-deactivate', lang, backend), 'confirm'), '123456', 'forbidden');
    },
  },
  {
    name: 'totp-deactivate reauthenticate',
    mount: async (lang) =>
      reach(
        await mount(
          'totp-deactivate',
          lang,
          new StubBackend().on('GET /status', status({ active: true, reauth: true })),
        ),
        'reauthenticate',
      ),
  },
  {
    name: 'totp-deactivate error',
    mount: async (lang) =>
      reach(await mount('totp-deactivate', lang, new StubBackend().on('GET /status', failure('unavailable'))), 'error'),
  },
  {
    name: 'totp-deactivate reauthenticate, by code, wrong code',
    mount: async (lang) => {
      const backend = new StubBackend()
        .on('GET /status', status({ active: true, reauth: true, features: byCode }))
        .on('POST /reauthenticate', failure('invalid_code'));
      const el = await reach(await mount('totp-deactivate', lang, backend), 'reauthenticate');
      return enter(el, '123456', 'reauthenticate', shown(el, '[aria-invalid="true"]'));
    },
  },
  {
    name: 'totp-verify challenge, "Don’t ask again" ticked',
    mount: async (lang) => {
      const backend = new StubBackend().on('GET /status', status({ features: byCode }));
      const el = await reach(await mount('totp-verify', lang, backend, { 'trust-browser-days': '14' }), 'challenge');
      await waitUntil(shown(el, '[part~="trust-checkbox"]'));
      part<HTMLInputElement>(el, '[part~="trust-checkbox"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'totp-verify purpose="reauthenticate", recovery code',
    mount: async (lang) => {
      const el = await reach(
        await mount('totp-verify', lang, new StubBackend(), { purpose: 'reauthenticate' }),
        'challenge',
      );
      part<HTMLButtonElement>(el, '[part~="toggle"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'totp-verify challenge, rate limited',
    mount: async (lang) => {
      const el = await reach(
        await mount('totp-verify', lang, new StubBackend().on('POST /verify', locked)),
        'challenge',
      );
      return enter(el, '123456', 'challenge', shown(el, '[part~="countdown"]'));
    },
  },
  {
    name: 'totp-verify challenge, recovery code',
    mount: async (lang) => {
      const el = await reach(await mount('totp-verify', lang, new StubBackend()), 'challenge');
      part<HTMLButtonElement>(el, '[part~="toggle"]').click();
      await el.updateComplete;
      return el;
    },
  },
  {
    name: 'totp-verify verified, few codes left',
    mount: async (lang) => {
      const backend = new StubBackend().on('POST /verify', {
        body: { method: 'totp', recoveryCodesLeft: 1 },
      });
      return enter(await reach(await mount('totp-verify', lang, backend), 'challenge'), '123456', 'verified');
    },
  },
  {
    name: 'totp-recovery-codes overview, few left',
    mount: async (lang) => reach(await mount('totp-recovery-codes', lang, active()), 'overview'),
  },
  {
    name: 'totp-recovery-codes confirm',
    mount: async (lang) => {
      const el = await reach(await mount('totp-recovery-codes', lang, active()), 'overview');
      part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
      return reach(el, 'confirm');
    },
  },
  {
    name: 'totp-recovery-codes codes',
    mount: async (lang) => {
      const backend = active().on('POST /recovery-codes/regenerate', { body: { recoveryCodes: CODES } });
      const el = await reach(await mount('totp-recovery-codes', lang, backend), 'overview');
      part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
      await untilState(el, 'confirm');
      return enter(el, '123456', 'codes');
    },
  },
  {
    name: 'totp-recovery-codes inactive',
    mount: async (lang) =>
      reach(await mount('totp-recovery-codes', lang, new StubBackend().on('GET /status', status())), 'inactive'),
  },
  {
    name: 'totp-recovery-codes reauthenticate',
    mount: async (lang) => {
      const backend = new StubBackend().on('GET /status', status({ active: true, reauth: true }));
      const el = await reach(await mount('totp-recovery-codes', lang, backend), 'overview');
      part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
      return reach(el, 'reauthenticate');
    },
  },
  {
    name: 'totp-recovery-codes error',
    mount: async (lang) =>
      reach(
        await mount('totp-recovery-codes', lang, new StubBackend().on('GET /status', new TypeError('offline'))),
        'error',
      ),
  },
  {
    name: 'totp-trusted-browsers list',
    mount: async (lang) => reach(await mount('totp-trusted-browsers', lang, trusted()), 'list'),
  },
  {
    name: 'totp-trusted-browsers confirm',
    mount: async (lang) => {
      const el = await reach(await mount('totp-trusted-browsers', lang, trusted()), 'list');
      part<HTMLButtonElement>(el, '[part~="revoke-all-button"]').click();
      return reach(el, 'confirm');
    },
  },
  {
    name: 'totp-trusted-browsers empty, after Revoke all',
    mount: async (lang) => {
      const el = await reach(await mount('totp-trusted-browsers', lang, trusted()), 'list');
      part<HTMLButtonElement>(el, '[part~="revoke-all-button"]').click();
      await untilState(el, 'confirm');
      part<HTMLButtonElement>(el, '[part~="confirm-button"]').click();
      return reach(el, 'empty');
    },
  },
  {
    name: 'totp-trusted-browsers not-available',
    mount: async (lang) =>
      reach(
        await mount('totp-trusted-browsers', lang, new StubBackend().on('GET /trusted-browsers', failure('not_found'))),
        'not-available',
      ),
  },
  {
    name: 'totp-trusted-browsers error, rate limited',
    mount: async (lang) =>
      reach(await mount('totp-trusted-browsers', lang, new StubBackend().on('GET /trusted-browsers', locked)), 'error'),
  },
];
