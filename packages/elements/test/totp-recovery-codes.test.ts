import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/totp-recovery-codes/totp-recovery-codes.js';
import type { TotpStateChangeDetail } from '../src/shared/events.js';
import type { TotpRecoveryCodes } from '../src/totp-recovery-codes/totp-recovery-codes.js';
import { CODES, failure, StubBackend, status } from './helpers/backend.js';
import { deepActiveElement, part, parts, submit, text, type, untilState } from './helpers/dom.js';
import { press, tabTo, typeKeys } from './helpers/keyboard.js';

function backend(unused = 7): StubBackend {
  return new StubBackend()
    .on('GET /status', status({ active: true, unused, total: 10 }))
    .on('POST /recovery-codes/regenerate', { body: { recoveryCodes: CODES } });
}

async function mount(stub = backend()) {
  return fixture<TotpRecoveryCodes>(
    html`<totp-recovery-codes endpoint="/mfa" issuer="Example" .fetch=${stub.fetch}></totp-recovery-codes>`,
  );
}

function input(el: TotpRecoveryCodes): HTMLInputElement {
  return part<HTMLInputElement>(el, 'input[part~="input"]');
}

async function regenerate(el: TotpRecoveryCodes) {
  await untilState(el, 'overview');
  part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
  await untilState(el, 'confirm');
}

describe('<totp-recovery-codes>', () => {
  it('passes an axe accessibility check in the overview', async () => {
    const el = await mount();
    await untilState(el, 'overview');
    await expect(el).to.be.accessible();
  });

  it('shows how many codes are unused', async () => {
    const el = await mount();
    await untilState(el, 'overview');
    expect(text(part(el, '[part~="count"]'))).to.equal('7 of 10 recovery codes unused.');
    expect(el.shadowRoot?.querySelector('[part~="warning"]')).to.equal(null);
  });

  it('warns when few codes are left', async () => {
    const el = await mount(backend(1));
    await untilState(el, 'overview');
    expect(text(part(el, '[part~="warning"]'))).to.equal('You have 1 recovery code left. Generate new ones soon.');
  });

  it('regenerates after a code, shows the new set, and returns to an updated overview', async () => {
    const stub = backend();
    const el = await mount(stub);
    const steps: string[] = [];
    el.addEventListener('totp-state-change', (event: CustomEvent<TotpStateChangeDetail>) =>
      steps.push(event.detail.state),
    );
    await regenerate(el);
    expect(text(part(el, '[part~="description"]'))).to.equal(
      'Your current codes will stop working. Enter a code to confirm.',
    );
    type(input(el), '123456');
    submit(el);
    await untilState(el, 'codes');
    expect(stub.callsTo('POST /recovery-codes/regenerate')[0]?.body).to.deep.equal({ code: '123456' });
    expect(parts(el, '[part~="recovery-code"]').map(text)).to.deep.equal(CODES);
    part<HTMLInputElement>(el, '[part~="saved-checkbox"]').click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, '[part~="done-button"]').click();
    await untilState(el, 'overview');
    expect(text(part(el, '[part~="count"]'))).to.equal('10 of 10 recovery codes unused.');
    expect(steps).to.deep.equal(['overview', 'confirm', 'codes', 'overview']);
  });

  it('takes a recovery code to confirm, too', async () => {
    const stub = backend();
    const el = await mount(stub);
    await regenerate(el);
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    await el.updateComplete;
    type(input(el), 'K7M2Q 9XW4T');
    submit(el);
    await untilState(el, 'codes');
    expect(stub.callsTo('POST /recovery-codes/regenerate')[0]?.body).to.deep.equal({ code: 'k7m2q 9xw4t' });
  });

  it('Cancel leaves regeneration without a request', async () => {
    const stub = backend();
    const el = await mount(stub);
    await regenerate(el);
    part<HTMLButtonElement>(el, '[part~="cancel-button"]').click();
    await untilState(el, 'overview');
    expect(stub.callsTo('POST /recovery-codes/regenerate')).to.have.length(0);
  });

  it('asks for a recent sign-in before regenerating when the status says so', async () => {
    const stub = backend().on('GET /status', status({ active: true, reauth: true }));
    const el = await mount(stub);
    await untilState(el, 'overview');
    const event = oneEvent(el, 'totp-reauthentication-required');
    part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
    expect((await event).detail.action).to.equal('regenerateRecoveryCodes');
    await untilState(el, 'reauthenticate');
  });

  it('reauthentication_required on submit: event and slot', async () => {
    const el = await mount(backend().on('POST /recovery-codes/regenerate', failure('reauthentication_required')));
    await regenerate(el);
    type(input(el), '123456');
    const event = oneEvent(el, 'totp-reauthentication-required');
    submit(el);
    expect((await event).detail.action).to.equal('regenerateRecoveryCodes');
    await untilState(el, 'reauthenticate');
  });

  it('invalid_code: message, aria-invalid, focus back in the input', async () => {
    const el = await mount(backend().on('POST /recovery-codes/regenerate', failure('invalid_code')));
    await regenerate(el);
    type(input(el), '000000');
    submit(el);
    await waitUntil(() => input(el).getAttribute('aria-invalid') === 'true');
    await waitUntil(() => deepActiveElement() === input(el));
  });

  it('rate_limited: counts down', async () => {
    const el = await mount(backend().on('POST /recovery-codes/regenerate', failure('rate_limited', { retryAfter: 9 })));
    await regenerate(el);
    type(input(el), '123456');
    submit(el);
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="countdown"]'));
    expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 9 seconds.');
  });

  it('shows the inactive slot when TOTP is off, and when it was turned off meanwhile', async () => {
    const off = await mount(new StubBackend().on('GET /status', status({ active: false })));
    await untilState(off, 'inactive');

    const raced = await mount(backend().on('POST /recovery-codes/regenerate', failure('not_active')));
    await regenerate(raced);
    type(input(raced), '123456');
    submit(raced);
    await untilState(raced, 'inactive');
  });

  it('a network failure while loading offers a retry', async () => {
    const el = await mount(backend().on('GET /status', new TypeError('offline'), status({ active: true })));
    await untilState(el, 'error');
    part<HTMLButtonElement>(el, '[part~="retry-button"]').click();
    await untilState(el, 'overview');
  });

  it('can be completed with the keyboard alone', async () => {
    const el = await mount();
    await untilState(el, 'overview');
    await tabTo('[part~="regenerate-button"]');
    await press('Enter');
    await untilState(el, 'confirm');
    await waitUntil(() => deepActiveElement() === input(el), 'focus did not move to the input');
    await typeKeys('123456');
    await press('Enter');
    await untilState(el, 'codes');
    await tabTo('[part~="saved-checkbox"]');
    await press('Space');
    await tabTo('[part~="done-button"]', 1);
    await press('Enter');
    await untilState(el, 'overview');
  });
});
