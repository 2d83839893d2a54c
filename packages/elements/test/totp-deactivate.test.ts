import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/totp-deactivate/totp-deactivate.js';
import type { TotpDeactivate } from '../src/totp-deactivate/totp-deactivate.js';
import { failure, StubBackend, status } from './helpers/backend.js';
import { deepActiveElement, part, submit, text, type, untilState } from './helpers/dom.js';
import { press, tabTo, typeKeys } from './helpers/keyboard.js';

function activeBackend(): StubBackend {
  return new StubBackend().on('GET /status', status({ active: true })).on('POST /totp/deactivate', { body: {} });
}

async function mount(backend = activeBackend()) {
  return fixture<TotpDeactivate>(html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`);
}

function input(el: TotpDeactivate): HTMLInputElement {
  return part<HTMLInputElement>(el, 'input[part~="input"]');
}

describe('<totp-deactivate>', () => {
  it('passes an axe accessibility check in the confirm step', async () => {
    const el = await mount();
    await untilState(el, 'confirm');
    await expect(el).to.be.accessible();
  });

  it('turns TOTP off after a current code and fires totp-deactivated', async () => {
    const backend = activeBackend();
    const el = await mount(backend);
    await untilState(el, 'confirm');
    expect(text(part(el, '[part~="heading"]'))).to.equal('Turn off two-factor authentication');
    type(input(el), '123-456');
    const event = oneEvent(el, 'totp-deactivated');
    submit(el);
    expect((await event).detail).to.deep.equal({ method: 'totp' });
    expect(backend.callsTo('POST /totp/deactivate')[0]?.body).to.deep.equal({ code: '123456' });
    await untilState(el, 'deactivated');
    expect(text(part(el, 'slot[name="deactivated"]'))).to.equal('Two-factor authentication is off.');
  });

  it('accepts a recovery code instead, for a lost phone', async () => {
    const backend = activeBackend();
    const el = await mount(backend);
    await untilState(el, 'confirm');
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    await el.updateComplete;
    expect(text(part(el, '[part~="label"]'))).to.equal('Recovery code');
    expect(input(el).inputMode).to.equal('text');
    expect(input(el).autocomplete).to.equal('off');
    type(input(el), ' K7M2Q-9XW4T ');
    const event = oneEvent(el, 'totp-deactivated');
    submit(el);
    expect((await event).detail).to.deep.equal({ method: 'recovery_code' });
    expect(backend.callsTo('POST /totp/deactivate')[0]?.body).to.deep.equal({ code: 'k7m2q-9xw4t' });
  });

  it('shows the inactive slot when TOTP is off', async () => {
    const el = await mount(new StubBackend().on('GET /status', status({ active: false })));
    await untilState(el, 'inactive');
    expect(text(part(el, 'slot[name="inactive"]'))).to.equal('Two-factor authentication is not on.');
  });

  it('uses the digits the server configured', async () => {
    const el = await mount(activeBackend().on('GET /status', status({ active: true, digits: 8 })));
    await untilState(el, 'confirm');
    expect(text(part(el, '[part~="hint"]'))).to.equal('Enter the 8-digit code your app shows now.');
  });

  it('invalid_code: message, aria-invalid, focus back in the input', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', failure('invalid_code')));
    await untilState(el, 'confirm');
    type(input(el), '000000');
    submit(el);
    await waitUntil(() => input(el).getAttribute('aria-invalid') === 'true');
    expect(text(part(el, '[part~="error"]'))).to.equal('That code did not work. Check your app and try again.');
    await waitUntil(() => deepActiveElement() === input(el));
  });

  it('invalid_code for a recovery code names the recovery code', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', failure('invalid_code')));
    await untilState(el, 'confirm');
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    await el.updateComplete;
    type(input(el), 'k7m2q-9xw4t');
    submit(el);
    await waitUntil(() => text(part(el, '[part~="error"]')) !== '');
    expect(text(part(el, '[part~="error"]'))).to.equal('That recovery code did not work. Check it and try again.');
  });

  it('rate_limited: counts down from retryAfter', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', failure('rate_limited', { retryAfter: 125 })));
    await untilState(el, 'confirm');
    type(input(el), '123456');
    submit(el);
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="countdown"]'));
    expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 3 minutes.');
    expect(part<HTMLButtonElement>(el, '[part~="submit"]').disabled).to.equal(true);
  });

  it('reauthentication_required before confirming: event and slot, no code asked', async () => {
    const el = await mount(activeBackend().on('GET /status', status({ active: true, reauth: true })));
    const event = await oneEvent(el, 'totp-reauthentication-required');
    expect(event.detail.action).to.equal('deactivate');
    await untilState(el, 'reauthenticate');
    expect(el.shadowRoot?.querySelector('[part~="input"]')).to.equal(null);
  });

  it('reauthentication_required on submit: event and slot', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', failure('reauthentication_required')));
    await untilState(el, 'confirm');
    type(input(el), '123456');
    const event = oneEvent(el, 'totp-reauthentication-required');
    submit(el);
    expect((await event).detail.action).to.equal('deactivate');
    await untilState(el, 'reauthenticate');
  });

  it('not_active on submit (turned off elsewhere): shows the inactive state', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', failure('not_active')));
    await untilState(el, 'confirm');
    type(input(el), '123456');
    submit(el);
    await untilState(el, 'inactive');
  });

  it('deactivation_forbidden: explains that the policy does not allow it, and drops the form', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', failure('deactivation_forbidden')));
    await untilState(el, 'confirm');
    type(input(el), '123456');
    submit(el);
    await untilState(el, 'forbidden');
    expect(text(part(el, 'slot[name="forbidden"]'))).to.equal(
      'Two-factor authentication cannot be turned off for this account.',
    );
    expect(el.shadowRoot?.querySelector('[part~="input"]')).to.equal(null);
  });

  it('a network failure on submit says so, and a second try succeeds', async () => {
    const el = await mount(activeBackend().on('POST /totp/deactivate', new TypeError('Failed to fetch'), { body: {} }));
    await untilState(el, 'confirm');
    type(input(el), '123456');
    submit(el);
    await waitUntil(() => text(part(el, '[part~="error"]')) !== '');
    expect(text(part(el, '[part~="error"]'))).to.equal(
      'The server could not be reached. Check your connection and try again.',
    );
    submit(el);
    await untilState(el, 'deactivated');
  });

  it('unavailable while loading offers a retry', async () => {
    const backend = activeBackend().on('GET /status', failure('unavailable'), status({ active: true }));
    const el = await mount(backend);
    await untilState(el, 'error');
    part<HTMLButtonElement>(el, '[part~="retry-button"]').click();
    await untilState(el, 'confirm');
  });

  it('can be completed with the keyboard alone, with a recovery code', async () => {
    const el = await mount();
    await untilState(el, 'confirm');
    await tabTo('[part~="toggle"]');
    await press('Enter');
    await el.updateComplete;
    await waitUntil(() => deepActiveElement() === input(el), 'the toggle did not move focus to the input');
    await typeKeys('k7m2q-9xw4t');
    await press('Enter');
    await untilState(el, 'deactivated');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
  });
});
