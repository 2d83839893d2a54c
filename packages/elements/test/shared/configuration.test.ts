/**
 * "No request leaves without its configuration": how the elements take configuration that comes
 * early (properties set before the element is defined), late (a framework that sets properties
 * after the element is connected) or as text (JSON attributes, and the "[object Object]" and
 * lowercased names that frameworks write when they cannot set a property).
 */
import { expect, fixture, html, nextFrame, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { TotpErrorDetail } from '../../src/shared/events.js';
import { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import { TotpVerify } from '../../src/totp-verify/totp-verify.js';
import { inactiveBackend, StubBackend, status } from '../helpers/backend.js';
import { part, submit, text, type, untilState } from '../helpers/dom.js';

const BEARER = { Authorization: 'Bearer abc' };

/** Captures console.error while a test runs. */
let errors: string[];
const originalError = console.error;
beforeEach(() => {
  errors = [];
  console.error = (...args: unknown[]) => void errors.push(args.join(' '));
});
afterEach(() => {
  console.error = originalError;
});

/** Lets every pending update and the load that may follow it run. */
async function settle(el: TotpActivate | TotpVerify): Promise<void> {
  await el.updateComplete;
  await nextFrame();
  await el.updateComplete;
}

let tags = 0;
/** A tag nobody has defined yet, for elements that are configured before their definition. */
function lateTag(name: string): string {
  return `${name}-late-${++tags}`;
}

describe('configuration set before the element is defined', () => {
  it('is taken over at upgrade: endpoint, fetch, headers and CSRF settings reach the first request', async () => {
    const backend = inactiveBackend();
    const tag = lateTag('totp-activate');
    const el = document.createElement(tag) as TotpActivate;
    Object.assign(el, {
      endpoint: '/mfa',
      fetch: backend.fetch,
      headers: BEARER,
      csrfHeader: 'X-CSRF-Token',
      csrfToken: 'token-1',
    });
    document.body.append(el);
    customElements.define(tag, class extends TotpActivate {});
    await untilState(el, 'setup');
    const [first] = backend.calls;
    expect(first?.path).to.equal('/status');
    expect(first?.headers.get('Authorization')).to.equal('Bearer abc');
    expect(first?.headers.get('X-CSRF-Token')).to.equal('token-1');
    el.remove();
  });

  it('is taken over by <totp-verify> too, with its own properties', async () => {
    const backend = new StubBackend().on('POST /verify', { body: { method: 'totp', recoveryCodesLeft: 1 } });
    const tag = lateTag('totp-verify');
    const el = document.createElement(tag) as TotpVerify;
    Object.assign(el, { endpoint: '/mfa', fetch: backend.fetch, headers: BEARER, lowRecoveryCodes: 1 });
    document.body.append(el);
    customElements.define(tag, class extends TotpVerify {});
    await el.updateComplete;
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    const verified = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await verified).detail.recoveryCodesLow).to.equal(true);
    expect(backend.calls[0]?.headers.get('Authorization')).to.equal('Bearer abc');
    el.remove();
  });
});

describe('object configuration as JSON text', () => {
  it('reads headers and strings from JSON attributes', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(html`<totp-activate
      endpoint="/mfa"
      headers='{"Authorization": "Bearer abc"}'
      strings='{"setupTitle": "Turn on two-step sign-in"}'
      .fetch=${backend.fetch}
    ></totp-activate>`);
    await untilState(el, 'setup');
    expect(backend.calls[0]?.headers.get('Authorization')).to.equal('Bearer abc');
    expect(text(part(el, '[part~="heading"]'))).to.equal('Turn on two-step sign-in');
    expect(el.headers).to.deep.equal(BEARER);
    expect(errors).to.deep.equal([]);
  });

  it('takes JSON text set as a property, as a framework that renders text would', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(html`<totp-activate
      .headers=${'{"Authorization": "Bearer abc"}'}
      endpoint="/mfa"
      .fetch=${backend.fetch}
    ></totp-activate>`);
    await untilState(el, 'setup');
    expect(backend.calls[0]?.headers.get('Authorization')).to.equal('Bearer abc');
  });

  it('sends nothing with headers="[object Object]", and says which attribute and what to do', async () => {
    const backend = inactiveBackend();
    // The refusal can come before fixture() returns: listen where the event bubbles to.
    const failed = oneEvent(document, 'totp-error');
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" headers="[object Object]" .fetch=${backend.fetch}></totp-activate>`,
    );
    const detail = (await failed).detail as TotpErrorDetail;
    await untilState(el, 'error');
    expect(backend.calls).to.deep.equal([]);
    expect(detail.code).to.equal('invalid_request');
    expect(detail.message).to.contain('Nothing was sent.');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('<totp-activate headers="[object Object]">');
    expect(errors[0]).to.contain('is an object written as text');
    expect(errors[0]).to.contain('Set the headers property to an object, or give JSON text');

    // Once the property is set, Try again sends the request, with the header.
    el.headers = BEARER;
    el.reload();
    await untilState(el, 'setup');
    expect(backend.calls[0]?.headers.get('Authorization')).to.equal('Bearer abc');
  });

  it('refuses headers whose values are not all strings', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" headers='{"X-Count": 1}' .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'error');
    expect(backend.calls).to.deep.equal([]);
    expect(errors[0]).to.contain('is not a JSON object of strings');
  });

  it('shows the texts it has when strings is "[object Object]", and says so once configured', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate strings="[object Object]" defer-hydration endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
    );
    await settle(el);
    // A framework may still set the property before it removes defer-hydration: no error yet.
    expect(errors).to.deep.equal([]);
    el.removeAttribute('defer-hydration');
    await untilState(el, 'setup');
    expect(text(part(el, '[part~="heading"]'))).to.equal('Set up two-factor authentication');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.contain('<totp-activate strings="[object Object]">');
  });
});

describe('a camelCase name written as an attribute', () => {
  it('sends nothing with csrfheader (which HTML made of csrfHeader), and names csrf-header', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" csrfHeader="X-CSRF-Token" .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'error');
    expect(backend.calls).to.deep.equal([]);
    expect(errors[0]).to.contain('<totp-activate> does not read csrfheader');
    expect(errors[0]).to.contain('write csrf-header="…" or set the csrfHeader property');
  });
});

describe('no request before the configuration is in place', () => {
  it('does not load without an endpoint, then loads once, with every property set in the same task', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(html`<totp-activate .fetch=${backend.fetch}></totp-activate>`);
    await settle(el);
    expect(backend.calls).to.deep.equal([]);
    expect(el.state).to.equal('loading');

    // As @lit/react does in a layout effect: one property after another, endpoint first.
    el.endpoint = '/mfa';
    el.headers = BEARER;
    el.csrfHeader = 'X-CSRF-Token';
    el.csrfToken = 'token-1';
    await untilState(el, 'setup');
    expect(backend.callsTo('GET /status')).to.have.length(1);
    for (const call of backend.calls) {
      expect(call.headers.get('Authorization'), call.path).to.equal('Bearer abc');
      expect(call.headers.get('X-CSRF-Token'), call.path).to.equal('token-1');
    }
  });

  it('honours defer-hydration: nothing is sent until it is removed, whatever comes in between', async () => {
    const backend = new StubBackend().on('GET /status', status({ active: true }));
    const el = await fixture<TotpActivate>(
      html`<totp-activate defer-hydration endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
    );
    await settle(el);
    el.headers = BEARER;
    await settle(el);
    expect(backend.calls).to.deep.equal([]);
    el.removeAttribute('defer-hydration');
    await untilState(el, 'active');
    expect(backend.calls).to.have.length(1);
    expect(backend.calls[0]?.headers.get('Authorization')).to.equal('Bearer abc');
  });

  it('<totp-verify> sends no code before it has an endpoint, and says why', async () => {
    const backend = new StubBackend().on('POST /verify', { body: { method: 'totp', recoveryCodesLeft: 5 } });
    const el = await fixture<TotpVerify>(html`<totp-verify .fetch=${backend.fetch}></totp-verify>`);
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    const failed = oneEvent(el, 'totp-error');
    submit(el);
    expect((await failed).detail.message).to.equal('<totp-verify> has no endpoint yet. Nothing was sent.');
    expect(backend.calls).to.deep.equal([]);
    expect(errors).to.deep.equal(['totpkit: <totp-verify> has no endpoint yet. Nothing was sent.']);
  });
});
