/**
 * `<totp-verify>`'s additions of issue 17: the "Don't ask again on this browser" checkbox
 * (`trust-browser-days`), offered only when the status says the backend trusts browsers, and
 * `purpose="reauthenticate"`, which confirms a sensitive action with a code.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/totp-verify/totp-verify.js';
import type { TotpVerify } from '../src/totp-verify/totp-verify.js';
import { type Features, failure, StubBackend, status } from './helpers/backend.js';
import { deepActiveElement, part, submit, text, type, untilState } from './helpers/dom.js';
import { press, tabTo, typeKeys } from './helpers/keyboard.js';

const TRUSTED_UNTIL = '2027-01-01T00:00:00Z';
const trusting = (maxDays = 14): Features => ({ trustedBrowsers: { maxDays }, codeReauthentication: true });

function backend(features?: Features): StubBackend {
  return new StubBackend()
    .on('GET /status', status({ active: true, ...(features && { features }) }))
    .on('POST /verify', { body: { method: 'totp', recoveryCodesLeft: 9, trustedUntil: TRUSTED_UNTIL } })
    .on('POST /reauthenticate', { body: { method: 'recovery_code', recoveryCodesLeft: 4 } });
}

async function mount(stub: StubBackend, days = 30) {
  return fixture<TotpVerify>(
    html`<totp-verify endpoint="/mfa" trust-browser-days=${days} .fetch=${stub.fetch}></totp-verify>`,
  );
}

const input = (el: TotpVerify) => part<HTMLInputElement>(el, 'input[part~="input"]');
const checkbox = (el: TotpVerify) => el.shadowRoot?.querySelector<HTMLInputElement>('[part~="trust-checkbox"]') ?? null;

async function untilCheckbox(el: TotpVerify): Promise<HTMLInputElement> {
  await waitUntil(() => checkbox(el), 'the checkbox never showed');
  return checkbox(el) as HTMLInputElement;
}

describe('<totp-verify trust-browser-days>', () => {
  it('offers the checkbox with the smaller of the attribute and the server’s maxDays, labelled', async () => {
    const el = await mount(backend(trusting(14)), 30);
    const box = await untilCheckbox(el);
    expect(box.checked).to.equal(false);
    expect(text(part(el, '[part~="trust"]'))).to.equal('Don’t ask again on this browser for 14 days');
    // The label wraps the checkbox, so its text is the checkbox's accessible name.
    expect(box.closest('label')).to.equal(part(el, '[part~="trust"]'));
    await expect(el).to.be.accessible();

    const fewer = await mount(backend(trusting(14)), 1);
    await untilCheckbox(fewer);
    expect(text(part(fewer, '[part~="trust"]'))).to.equal('Don’t ask again on this browser for 1 day');
  });

  it('sends trustBrowserDays only when ticked, and totp-verified carries trustedUntil then', async () => {
    const stub = backend(trusting(14));
    const el = await mount(stub, 7);
    await untilCheckbox(el);
    type(input(el), '123456');
    let event = oneEvent(el, 'totp-verified');
    submit(el);
    // Unticked: the request and the event are those of a page without the attribute.
    expect((await event).detail).to.deep.equal({ method: 'totp', recoveryCodesLeft: 9, recoveryCodesLow: false });
    expect(stub.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456' });

    el.reload();
    const box = await untilCheckbox(el);
    expect(box.checked, 'unticked again after reload').to.equal(false);
    box.click();
    type(input(el), '654321');
    event = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await event).detail).to.deep.equal({
      method: 'totp',
      recoveryCodesLeft: 9,
      recoveryCodesLow: false,
      trustedUntil: TRUSTED_UNTIL,
    });
    expect(stub.callsTo('POST /verify')[1]?.body).to.deep.equal({ code: '654321', trustBrowserDays: 7 });
  });

  it('says trustedUntil: null when the backend did not trust the browser', async () => {
    const stub = backend(trusting()).on('POST /verify', {
      body: { method: 'totp', recoveryCodesLeft: 9, trustedUntil: null },
    });
    const el = await mount(stub);
    (await untilCheckbox(el)).click();
    type(input(el), '123456');
    const event = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await event).detail.trustedUntil).to.equal(null);
  });

  it('is ticked and submitted with the keyboard alone', async () => {
    const stub = backend(trusting());
    const el = await mount(stub);
    await untilCheckbox(el);
    await tabTo('[part~="input"]');
    await typeKeys('123456');
    await tabTo('[part~="trust-checkbox"]');
    await press('Space');
    expect(checkbox(el)?.checked).to.equal(true);
    await press('Enter');
    await untilState(el, 'verified');
    expect(stub.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456', trustBrowserDays: 14 });
  });

  for (const [name, stub] of [
    ['an older backend (no features in status)', () => backend()],
    ['a backend that does not trust browsers', () => backend({ trustedBrowsers: null, codeReauthentication: true })],
    ['a status that fails', () => backend().on('GET /status', failure('unavailable'))],
  ] as const) {
    it(`offers no checkbox with ${name}, and verifies as before`, async () => {
      const backend = stub();
      const el = await mount(backend);
      const errors: unknown[] = [];
      el.addEventListener('totp-error', (event) => errors.push(event.detail));
      await waitUntil(() => backend.callsTo('GET /status').length === 1);
      await el.updateComplete;
      type(input(el), '123456');
      const event = oneEvent(el, 'totp-verified');
      submit(el);
      expect((await event).detail).to.deep.equal({ method: 'totp', recoveryCodesLeft: 9, recoveryCodesLow: false });
      expect(checkbox(el)).to.equal(null);
      expect(backend.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456' });
      expect(errors, 'no error on the challenge for the status that only adds to it').to.deep.equal([]);
    });
  }

  it('takes a code typed while the status is still on its way', async () => {
    const stub = backend(trusting());
    const release = stub.hold('GET /status');
    const el = await mount(stub);
    type(input(el), '123456');
    submit(el);
    await untilState(el, 'verified');
    release();
    expect(stub.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456' });
  });

  it('loads no status without the attribute', async () => {
    const stub = backend(trusting());
    const el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" .fetch=${stub.fetch}></totp-verify>`);
    type(input(el), '123456');
    submit(el);
    await untilState(el, 'verified');
    expect(stub.calls.map((call) => `${call.method} ${call.path}`)).to.deep.equal(['POST /verify']);
  });
});

describe('<totp-verify purpose="reauthenticate">', () => {
  async function mountReauth(stub: StubBackend) {
    return fixture<TotpVerify>(
      html`<totp-verify endpoint="/mfa" purpose="reauthenticate" trust-browser-days="14" .fetch=${stub.fetch}></totp-verify>`,
    );
  }

  it('says "Confirm it’s you", posts /reauthenticate and fires totp-reauthenticated', async () => {
    const stub = backend(trusting());
    const el = await mountReauth(stub);
    expect(text(part(el, '[part~="heading"]'))).to.equal('Confirm it’s you');
    expect(text(part(el, '[part~="submit"]'))).to.equal('Confirm');
    await expect(el).to.be.accessible();
    const verified: unknown[] = [];
    el.addEventListener('totp-verified', (event) => verified.push(event.detail));
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    await el.updateComplete;
    type(input(el), 'k7m2q-9xw4t');
    const event = oneEvent(el, 'totp-reauthenticated');
    submit(el);
    const { detail, bubbles, composed } = await event;
    expect(detail).to.deep.equal({ method: 'recovery_code', recoveryCodesLeft: 4 });
    expect(bubbles && composed).to.equal(true);
    expect(stub.callsTo('POST /reauthenticate')[0]?.body).to.deep.equal({ code: 'k7m2q-9xw4t' });
    await untilState(el, 'verified');
    expect(text(part(el, '[part~="message"]'))).to.equal('Verified.');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
    // Neither a login's event, nor a trust offer, nor a status request.
    expect(verified).to.deep.equal([]);
    expect(stub.callsTo('GET /status')).to.have.length(0);
    expect(checkbox(el)).to.equal(null);
  });

  it('shows a wrong code on the form', async () => {
    const el = await mountReauth(new StubBackend().on('POST /reauthenticate', failure('invalid_code')));
    type(input(el), '000000');
    submit(el);
    await waitUntil(() => input(el).getAttribute('aria-invalid') === 'true');
    expect(text(part(el, '[part~="error"]'))).to.equal('That code did not work. Check your app and try again.');
    expect(el.state).to.equal('challenge');
  });
});

describe('<totp-verify trust-browser-days light-dom-input>', () => {
  it('puts the checkbox in the light-DOM form too, styled and working', async () => {
    const stub = backend(trusting());
    const el = await fixture<TotpVerify>(
      html`<totp-verify endpoint="/mfa" light-dom-input trust-browser-days="14" .fetch=${stub.fetch}></totp-verify>`,
    );
    await waitUntil(() => el.querySelector('[part~="trust-checkbox"]'), 'no checkbox in light DOM');
    const box = el.querySelector<HTMLInputElement>('[part~="trust-checkbox"]') as HTMLInputElement;
    expect(getComputedStyle(box.closest('label') as HTMLElement).display).to.equal('flex');
    await expect(el).to.be.accessible();
    box.click();
    const input = el.querySelector<HTMLInputElement>('input[name="code"]') as HTMLInputElement;
    type(input, '123456');
    const event = oneEvent(el, 'totp-verified');
    (el.querySelector('[part~="submit"]') as HTMLButtonElement).click();
    expect((await event).detail.trustedUntil).to.equal(TRUSTED_UNTIL);
    expect(stub.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456', trustBrowserDays: 14 });
  });
});
