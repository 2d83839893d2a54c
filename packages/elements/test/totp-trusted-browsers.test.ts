import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/totp-trusted-browsers/totp-trusted-browsers.js';
import type { TotpBrowserRevokedDetail } from '../src/shared/events.js';
import type { TotpTrustedBrowsers, TrustedBrowser } from '../src/totp-trusted-browsers/totp-trusted-browsers.js';
import { failure, StubBackend } from './helpers/backend.js';
import { deepActiveElement, part, parts, text, untilState } from './helpers/dom.js';
import { press, tabTo } from './helpers/keyboard.js';

const BROWSERS: TrustedBrowser[] = [
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
    label: 'Firefox on Windows',
    createdAt: '2026-11-15T10:00:00Z',
    lastUsedAt: null,
    expiresAt: '2026-11-29T10:00:00Z',
    current: false,
  },
  {
    id: 'b3',
    label: 'Safari on iOS',
    createdAt: '2026-11-10T10:00:00Z',
    lastUsedAt: '2026-11-11T10:00:00Z',
    expiresAt: '2026-11-24T10:00:00Z',
    current: false,
  },
];

const LIST = 'GET /trusted-browsers';
const REVOKE = 'POST /trusted-browsers/revoke';

function backendWith(browsers = BROWSERS): StubBackend {
  return new StubBackend().on(LIST, { body: { browsers } }).on(REVOKE, { body: { revoked: 1 } });
}

async function mount(backend = backendWith(), lang = 'en') {
  return fixture<TotpTrustedBrowsers>(
    html`<totp-trusted-browsers endpoint="/mfa" lang=${lang} .fetch=${backend.fetch}></totp-trusted-browsers>`,
  );
}

const rows = (el: TotpTrustedBrowsers) => parts(el, '[part~="browser"]');
const labels = (el: TotpTrustedBrowsers) => parts(el, '[part~="browser-label"]').map(text);
const revokeButton = (el: TotpTrustedBrowsers, id: string) =>
  part<HTMLButtonElement>(el, `[part~="revoke-button"][data-id="${id}"]`);
const announced = (el: TotpTrustedBrowsers) => text(part(el, '[role="status"]'));
const heading = (el: TotpTrustedBrowsers) => text(part(el, '[part~="heading"]'));

describe('<totp-trusted-browsers>', () => {
  it('lists the browsers with their dates in the element’s language and marks this one', async () => {
    const backend = backendWith();
    const el = await mount(backend);
    await untilState(el, 'list');
    expect(heading(el)).to.equal('Trusted browsers');
    expect(labels(el)).to.deep.equal(['Chrome on macOS', 'Firefox on Windows', 'Safari on iOS']);
    const markers = parts(el, '[part~="current"]');
    expect(markers.length).to.equal(1);
    expect(rows(el)[0]?.contains(markers[0] as Node)).to.equal(true);
    expect(text(markers[0] as Element)).to.equal('This browser');
    const day = (iso: string) => new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));
    const dates = parts(el, '[part~="browser-dates"]').map(text);
    expect(dates[0]).to.equal(
      `Added ${day('2026-11-20T10:00:00Z')} · last used ${day('2026-12-01T09:00:00Z')} · expires ${day('2026-12-04T10:00:00Z')}`,
    );
    expect(dates[1]).to.equal(
      `Added ${day('2026-11-15T10:00:00Z')} · not used since · expires ${day('2026-11-29T10:00:00Z')}`,
    );
    expect(backend.calls.map((call) => `${call.method} ${call.path}`)).to.deep.equal([LIST]);
    await expect(el).to.be.accessible();
  });

  it('names each Revoke button after its browser', async () => {
    const el = await mount();
    await untilState(el, 'list');
    const names = parts<HTMLButtonElement>(el, '[part~="revoke-button"]').map((button) => [
      text(button),
      button.getAttribute('aria-label'),
    ]);
    expect(names).to.deep.equal([
      ['Revoke', 'Revoke Chrome on macOS'],
      ['Revoke', 'Revoke Firefox on Windows'],
      ['Revoke', 'Revoke Safari on iOS'],
    ]);
  });

  it('formats dates and texts in German with lang="de"', async () => {
    const el = await mount(backendWith(), 'de');
    await untilState(el, 'list');
    await waitUntil(() => heading(el) === 'Vertrauens\u00adwürdige Browser');
    const day = new Intl.DateTimeFormat('de', { dateStyle: 'medium' }).format(new Date('2026-11-20T10:00:00Z'));
    expect(text(parts(el, '[part~="browser-dates"]')[0] as Element)).to.contain(`Hinzugefügt am ${day}`);
    expect(revokeButton(el, 'b2').getAttribute('aria-label')).to.equal('Firefox on Windows widerrufen');
  });

  it('revokes one browser: sends its id, fires totp-browser-revoked, announces it, focuses the next row', async () => {
    const backend = backendWith();
    const el = await mount(backend);
    await untilState(el, 'list');
    await tabTo('[data-id="b2"]');
    const event = oneEvent(el, 'totp-browser-revoked');
    await press('Enter');
    expect((await event).detail).to.deep.equal({ id: 'b2', revoked: 1 } satisfies TotpBrowserRevokedDetail);
    expect(backend.callsTo(REVOKE).map((call) => call.body)).to.deep.equal([{ id: 'b2' }]);
    await el.updateComplete;
    expect(labels(el)).to.deep.equal(['Chrome on macOS', 'Safari on iOS']);
    expect(deepActiveElement()).to.equal(revokeButton(el, 'b3'));
    await waitUntil(() => announced(el) === 'Firefox on Windows revoked.');
    expect(el.state).to.equal('list');
  });

  it('after the last row, focus goes to the row before; after the only one, to the heading of the empty state', async () => {
    const backend = backendWith(BROWSERS.slice(0, 2));
    const el = await mount(backend);
    await untilState(el, 'list');
    await tabTo('[data-id="b2"]');
    await press('Enter');
    await waitUntil(() => rows(el).length === 1);
    await el.updateComplete;
    expect(deepActiveElement()).to.equal(revokeButton(el, 'b1'));
    await press('Enter');
    await untilState(el, 'empty');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
    expect(text(part(el, 'slot[name="empty"]'))).to.equal('No trusted browsers.');
    expect(backend.callsTo(REVOKE).map((call) => call.body)).to.deep.equal([{ id: 'b2' }, { id: 'b1' }]);
    await expect(el).to.be.accessible();
  });

  it('a browser that was gone already (revoked: 0) leaves the list too', async () => {
    const el = await mount(backendWith().on(REVOKE, { body: { revoked: 0 } }));
    await untilState(el, 'list');
    const event = oneEvent(el, 'totp-browser-revoked');
    revokeButton(el, 'b3').click();
    expect((await event).detail).to.deep.equal({ id: 'b3', revoked: 0 });
    await el.updateComplete;
    expect(labels(el)).to.deep.equal(['Chrome on macOS', 'Firefox on Windows']);
  });

  it('a double click sends one revocation', async () => {
    const backend = backendWith();
    const release = backend.hold(REVOKE);
    const el = await mount(backend);
    await untilState(el, 'list');
    revokeButton(el, 'b2').click();
    revokeButton(el, 'b2').click();
    release();
    await waitUntil(() => rows(el).length === 2);
    expect(backend.callsTo(REVOKE).length).to.equal(1);
  });

  it('Revoke all asks first; Escape and Cancel leave without a request, focus back on Revoke all', async () => {
    const backend = backendWith();
    const el = await mount(backend);
    await untilState(el, 'list');
    await tabTo('[part~="revoke-all-button"]');
    await press('Enter');
    await untilState(el, 'confirm');
    expect(heading(el)).to.equal('Revoke all trusted browsers?');
    expect(text(part(el, '[part~="description"]'))).to.equal(
      'All 3 trusted browsers will ask for a code at the next sign-in.',
    );
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
    await expect(el).to.be.accessible();

    const cancel = oneEvent(el, 'totp-cancel');
    await press('Escape');
    expect((await cancel).detail).to.deep.equal({ state: 'confirm' });
    await untilState(el, 'list');
    expect(deepActiveElement()).to.equal(part(el, '[part~="revoke-all-button"]'));

    await press('Enter');
    await untilState(el, 'confirm');
    await tabTo('[part~="cancel-button"]');
    await press('Enter');
    await untilState(el, 'list');
    expect(deepActiveElement()).to.equal(part(el, '[part~="revoke-all-button"]'));
    expect(labels(el).length).to.equal(3);
    expect(backend.callsTo(REVOKE)).to.deep.equal([]);
  });

  it('Revoke all, confirmed: sends { all: true }, fires the event with the count, shows the empty state', async () => {
    const backend = backendWith().on(REVOKE, { body: { revoked: 3 } });
    const el = await mount(backend);
    await untilState(el, 'list');
    await tabTo('[part~="revoke-all-button"]');
    await press('Enter');
    await untilState(el, 'confirm');
    await tabTo('[part~="confirm-button"]');
    const event = oneEvent(el, 'totp-browser-revoked');
    await press('Enter');
    expect((await event).detail).to.deep.equal({ all: true, revoked: 3 });
    expect(backend.callsTo(REVOKE).map((call) => call.body)).to.deep.equal([{ all: true }]);
    await untilState(el, 'empty');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
    await waitUntil(() => announced(el) === 'All trusted browsers revoked.');
  });

  it('shows the empty state when no browser is trusted', async () => {
    const el = await mount(backendWith([]));
    await untilState(el, 'empty');
    expect(parts(el, '[part~="revoke-all-button"]')).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('a backend without the feature (404 not_found) is "not available", not an error, and warns nothing', async () => {
    const warn = console.warn;
    const warnings: unknown[][] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const el = await mount(new StubBackend().on(LIST, failure('not_found')));
      await untilState(el, 'not-available');
      expect(text(part(el, 'slot[name="not-available"]'))).to.equal('This site does not remember trusted browsers.');
      expect(parts(el, '[role="alert"]')).to.deep.equal([]);
      expect(parts(el, '[part~="retry-button"]')).to.deep.equal([]);
      await expect(el).to.be.accessible();
      expect(warnings).to.deep.equal([]);
    } finally {
      console.warn = warn;
    }
  });

  it('a failed load is the error state; Try again loads the list', async () => {
    const backend = new StubBackend().on(LIST, failure('unavailable'), { body: { browsers: BROWSERS } });
    const el = await mount(backend);
    const error = oneEvent(el, 'totp-error');
    expect((await error).detail).to.include({ code: 'unavailable', endpoint: 'trustedBrowsers' });
    await untilState(el, 'error');
    expect(text(part(el, '[part~="error"]'))).to.equal(
      'The service is unavailable right now. Please try again in a moment.',
    );
    await expect(el).to.be.accessible();
    part<HTMLButtonElement>(el, '[part~="retry-button"]').click();
    await untilState(el, 'list');
    expect(labels(el).length).to.equal(3);
  });

  it('rate_limited: the error state counts down before Try again', async () => {
    const el = await mount(new StubBackend().on(LIST, failure('rate_limited', { retryAfter: 42 })));
    await untilState(el, 'error');
    expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 42 seconds.');
    expect(part<HTMLButtonElement>(el, '[part~="retry-button"]').disabled).to.equal(true);
  });

  it('a failed revocation fires totp-error for it and shows the error state; Try again reloads the list', async () => {
    const backend = backendWith().on(REVOKE, failure('unavailable'));
    const el = await mount(backend);
    await untilState(el, 'list');
    const error = oneEvent(el, 'totp-error');
    revokeButton(el, 'b1').click();
    expect((await error).detail).to.include({ code: 'unavailable', endpoint: 'revokeTrustedBrowsers' });
    await untilState(el, 'error');
    part<HTMLButtonElement>(el, '[part~="retry-button"]').click();
    await untilState(el, 'list');
    expect(backend.callsTo(LIST).length).to.equal(2);
  });

  it('a signed-out or pending session (401) is the error state that says so', async () => {
    const el = await mount(new StubBackend().on(LIST, failure('unauthenticated')));
    await untilState(el, 'error');
    expect(text(part(el, '[part~="error"]'))).to.equal('You are signed out. Sign in and try again.');
  });

  it('sends nothing before it has an endpoint, nor while defer-hydration is present', async () => {
    const backend = backendWith();
    const el = await fixture<TotpTrustedBrowsers>(
      html`<totp-trusted-browsers defer-hydration .fetch=${backend.fetch}></totp-trusted-browsers>`,
    );
    await nextFrame();
    el.endpoint = '/mfa';
    await el.updateComplete;
    await nextFrame();
    expect(backend.calls).to.deep.equal([]);
    el.headers = { Authorization: 'Bearer abc' };
    el.removeAttribute('defer-hydration');
    await untilState(el, 'list');
    expect(backend.calls.length).to.equal(1);
    expect(backend.calls[0]?.headers.get('Authorization')).to.equal('Bearer abc');
  });

  it('is themed like the others: ::part() rules reach its rows and marker, the confirm button takes the error colour', async () => {
    const backend = backendWith();
    const wrapper = await fixture<HTMLElement>(html`<div>
      <style>
        totp-trusted-browsers::part(browser) { padding-block: 12px; }
        totp-trusted-browsers::part(current) { border-style: dashed; }
      </style>
      <totp-trusted-browsers endpoint="/mfa" style="--totp-color-error: rgb(200, 0, 0)" .fetch=${backend.fetch}></totp-trusted-browsers>
    </div>`);
    const el = wrapper.querySelector('totp-trusted-browsers') as TotpTrustedBrowsers;
    await untilState(el, 'list');
    expect(getComputedStyle(rows(el)[0] as Element).paddingTop).to.equal('12px');
    expect(getComputedStyle(part(el, '[part~="current"]')).borderTopStyle).to.equal('dashed');
    part<HTMLButtonElement>(el, '[part~="revoke-all-button"]').click();
    await untilState(el, 'confirm');
    expect(getComputedStyle(part(el, '[part~="confirm-button"]')).backgroundColor).to.equal('rgb(200, 0, 0)');
  });
});
