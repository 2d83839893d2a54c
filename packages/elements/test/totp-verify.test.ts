import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/totp-verify/totp-verify.js';
import type { TotpVerify } from '../src/totp-verify/totp-verify.js';
import { failure, StubBackend } from './helpers/backend.js';
import { deepActiveElement, part, submit, text, type, untilState } from './helpers/dom.js';
import { press, tabTo, typeKeys } from './helpers/keyboard.js';

function backend(left: number | null = 9, method = 'totp'): StubBackend {
  return new StubBackend().on('POST /verify', { body: { method, recoveryCodesLeft: left } });
}

async function mount(stub = backend()) {
  return fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" .fetch=${stub.fetch}></totp-verify>`);
}

function input(el: TotpVerify): HTMLInputElement {
  return part<HTMLInputElement>(el, 'input[part~="input"]');
}

describe('<totp-verify>', () => {
  it('passes an axe accessibility check', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
  });

  it('starts at the challenge without a request', async () => {
    const stub = backend();
    const el = await mount(stub);
    expect(el.state).to.equal('challenge');
    expect(stub.calls).to.have.length(0);
    expect(input(el).autocomplete).to.equal('one-time-code');
  });

  it('fires totp-verified with the method and the recovery codes left', async () => {
    const stub = backend(9);
    const el = await mount(stub);
    type(input(el), '654321');
    const event = oneEvent(el, 'totp-verified');
    submit(el);
    const { detail, bubbles, composed } = await event;
    expect(detail).to.deep.equal({ method: 'totp', recoveryCodesLeft: 9, recoveryCodesLow: false });
    expect(bubbles && composed).to.equal(true);
    expect(stub.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '654321' });
    await untilState(el, 'verified');
    expect(el.shadowRoot?.querySelector('[part~="warning"]')).to.equal(null);
  });

  it('takes a recovery code in the server’s shape, and warns when few are left', async () => {
    const stub = backend(2, 'recovery_code');
    const el = await mount(stub);
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    await el.updateComplete;
    expect(text(part(el, '[part~="toggle"]'))).to.equal('Use your authenticator app instead');
    type(input(el), 'k7m2q-9xw4t');
    const event = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await event).detail).to.deep.equal({
      method: 'recovery_code',
      recoveryCodesLeft: 2,
      recoveryCodesLow: true,
    });
    expect(stub.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: 'k7m2q-9xw4t' });
    await untilState(el, 'verified');
    expect(text(part(el, '[part~="warning"]'))).to.equal('You have 2 recovery codes left. Generate new ones soon.');
  });

  it('says so when the last recovery code was used', async () => {
    const el = await mount(backend(0, 'recovery_code'));
    type(input(el), '123456');
    submit(el);
    await untilState(el, 'verified');
    expect(text(part(el, '[part~="warning"]'))).to.equal('You have no recovery codes left. Generate new ones now.');
  });

  it('honours `digits` and `low-recovery-codes`', async () => {
    const el = await fixture<TotpVerify>(
      html`<totp-verify endpoint="/mfa" digits="8" low-recovery-codes="9" .fetch=${backend(9).fetch}></totp-verify>`,
    );
    type(input(el), '123456');
    submit(el);
    await el.updateComplete;
    expect(text(part(el, '[part~="error"]'))).to.equal('Enter the 8 digits from your app.');
    type(input(el), '1234 5678');
    const event = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await event).detail.recoveryCodesLow).to.equal(true);
  });

  it('invalid_code: message, aria-invalid, focus back in the input', async () => {
    const el = await mount(new StubBackend().on('POST /verify', failure('invalid_code')));
    type(input(el), '000000');
    const error = oneEvent(el, 'totp-error');
    submit(el);
    expect((await error).detail).to.deep.include({ code: 'invalid_code', endpoint: 'verify' });
    await waitUntil(() => input(el).getAttribute('aria-invalid') === 'true');
    await waitUntil(() => deepActiveElement() === input(el));
    expect(input(el).selectionStart).to.equal(0);
    expect(input(el).selectionEnd).to.equal(6);
  });

  it('rate_limited: counts down, using the Retry-After header when the body has none', async () => {
    const limited = new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), {
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': '30' },
    });
    const el = await mount(new StubBackend().on('POST /verify', limited));
    type(input(el), '123456');
    submit(el);
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="countdown"]'));
    expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 30 seconds.');
  });

  it('not_active: says that two-factor authentication is not on', async () => {
    const el = await mount(new StubBackend().on('POST /verify', failure('not_active')));
    type(input(el), '123456');
    submit(el);
    await waitUntil(() => text(part(el, '[part~="error"]')) !== '');
    expect(text(part(el, '[part~="error"]'))).to.equal('Two-factor authentication is not on.');
  });

  it('unavailable, then a retry that succeeds', async () => {
    const el = await mount(
      new StubBackend().on('POST /verify', failure('unavailable'), {
        body: { method: 'totp', recoveryCodesLeft: null },
      }),
    );
    type(input(el), '123456');
    submit(el);
    await waitUntil(() => text(part(el, '[part~="error"]')) !== '');
    expect(text(part(el, '[part~="error"]'))).to.contain('unavailable');
    const event = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await event).detail).to.deep.equal({ method: 'totp', recoveryCodesLeft: null, recoveryCodesLow: false });
  });

  it('ignores a second submit while the first is in flight', async () => {
    const stub = backend();
    const release = stub.hold('POST /verify');
    const el = await mount(stub);
    type(input(el), '123456');
    submit(el);
    submit(el);
    release();
    await untilState(el, 'verified');
    expect(stub.callsTo('POST /verify')).to.have.length(1);
  });

  it('can be completed with the keyboard alone', async () => {
    const el = await mount();
    await tabTo('[part~="input"]');
    await typeKeys('123456');
    await press('Enter');
    await untilState(el, 'verified');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
  });
});
