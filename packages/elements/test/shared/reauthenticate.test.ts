/**
 * The reauthenticate state leads somewhere: a link to the page's sign-in (`reauthenticate-url`,
 * with `next` back here), or the page's own dialog on `totp-reauthentication-required`, whose
 * `retry()` then tries the action again. When the status says the server takes a code for it
 * (`features.codeReauthentication`, issue 17), the element asks for one in place instead.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import type { TotpDeactivate } from '../../src/totp-deactivate/totp-deactivate.js';
import type { TotpRecoveryCodes } from '../../src/totp-recovery-codes/totp-recovery-codes.js';
import { CODES, type Features, failure, inactiveBackend, StubBackend, status } from '../helpers/backend.js';
import { deepActiveElement, part, submit, text, type, untilState } from '../helpers/dom.js';
import { press, tabTo, typeKeys } from '../helpers/keyboard.js';

describe('reauthentication', () => {
  it('links to reauthenticate-url with a next parameter back to this page', async () => {
    const backend = new StubBackend().on('GET /status', status({ reauth: true }));
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" reauthenticate-url="/login?mode=2fa" .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'reauthenticate');
    const link = part<HTMLAnchorElement>(el, 'a[part~="continue-button"]');
    expect(text(link)).to.equal('Sign in again');
    const url = new URL(link.href);
    expect(url.origin + url.pathname).to.equal(`${location.origin}/login`);
    expect(url.searchParams.get('mode')).to.equal('2fa');
    expect(url.searchParams.get('next')).to.equal(location.pathname + location.search + location.hash);
    await expect(el).to.be.accessible();
  });

  it('retry() from the event goes on to setup once the server is satisfied', async () => {
    const backend = inactiveBackend().on('GET /status', status({ reauth: true }), status());
    const event = oneEvent(document, 'totp-reauthentication-required');
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
    );
    const { detail } = await event;
    await untilState(el, 'reauthenticate');
    expect(backend.callsTo('POST /totp/setup')).to.have.length(0);
    // The page signs the user in (in a dialog, say), then:
    detail.retry();
    await untilState(el, 'setup');
    expect(backend.callsTo('POST /totp/setup')).to.have.length(1);
  });

  it('retry() leads <totp-deactivate> back to its confirm step', async () => {
    const backend = new StubBackend().on(
      'GET /status',
      status({ active: true, reauth: true }),
      status({ active: true }),
    );
    const event = oneEvent(document, 'totp-reauthentication-required');
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
    );
    const { detail } = await event;
    await untilState(el, 'reauthenticate');
    detail.retry();
    await untilState(el, 'confirm');
  });

  it('Continue retries too, and regeneration goes straight back to its confirm step', async () => {
    const backend = new StubBackend()
      .on('GET /status', status({ active: true, reauth: true }), status({ active: true }))
      .on('POST /recovery-codes/regenerate', { body: { recoveryCodes: CODES } });
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes endpoint="/mfa" .fetch=${backend.fetch}></totp-recovery-codes>`,
    );
    await untilState(el, 'overview');
    part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
    await untilState(el, 'reauthenticate');
    part<HTMLButtonElement>(el, 'button[part~="continue-button"]').click();
    await untilState(el, 'confirm');
    expect(backend.callsTo('GET /status')).to.have.length(2);
  });

  describe('in place, by code (features.codeReauthentication)', () => {
    const byCode: Features = { trustedBrowsers: null, codeReauthentication: true };
    const input = (el: TotpDeactivate | TotpRecoveryCodes) => part<HTMLInputElement>(el, 'input[part~="input"]');
    const reauthenticated = { body: { method: 'totp', recoveryCodesLeft: 10 } };

    it('<totp-deactivate>: a 401 to deactivate asks for a code, reauthenticates, then turns off with a new code', async () => {
      const backend = new StubBackend()
        .on('GET /status', status({ active: true, features: byCode }))
        .on('POST /totp/deactivate', failure('reauthentication_required'), { body: {} })
        .on('POST /reauthenticate', reauthenticated);
      const required: unknown[] = [];
      const listen = (event: Event) => required.push(event);
      document.addEventListener('totp-reauthentication-required', listen);
      const el = await fixture<TotpDeactivate>(
        html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
      );
      await untilState(el, 'confirm');
      input(el).focus();
      type(input(el), '111111');
      submit(el);
      await untilState(el, 'reauthenticate');
      // The form comes in place, empty, with focus in its input; the page is not asked to sign the user in.
      expect(text(part(el, '[part~="description"]'))).to.equal(
        'For your security, confirm it’s you with a code to continue.',
      );
      expect(text(part(el, '[part~="submit"]'))).to.equal('Confirm');
      expect(input(el).value).to.equal('');
      await waitUntil(() => deepActiveElement() === input(el), 'focus never moved into the form');
      expect(el.shadowRoot?.querySelector('[part~="continue-button"]')).to.equal(null);
      await expect(el).to.be.accessible();

      type(input(el), '222222');
      const event = oneEvent(el, 'totp-reauthenticated');
      submit(el);
      expect((await event).detail).to.deep.equal({ method: 'totp', recoveryCodesLeft: 10 });
      expect(backend.callsTo('POST /reauthenticate')[0]?.body).to.deep.equal({ code: '222222' });
      // Back to the action, with a new code (the step of the one just used is spent).
      await untilState(el, 'confirm');
      expect(input(el).value).to.equal('');
      expect(el.matches(':focus-within'), 'focus stays in the element').to.equal(true);
      type(input(el), '333333');
      const deactivated = oneEvent(el, 'totp-deactivated');
      submit(el);
      await deactivated;
      expect(backend.callsTo('POST /totp/deactivate').map((call) => call.body)).to.deep.equal([
        { code: '111111' },
        { code: '333333' },
      ]);
      document.removeEventListener('totp-reauthentication-required', listen);
      expect(required).to.deep.equal([]);
    });

    it('<totp-recovery-codes>: regeneration asks for a code first when the status says so, then goes on', async () => {
      const backend = new StubBackend()
        .on(
          'GET /status',
          status({ active: true, reauth: true, features: byCode }),
          status({ active: true, features: byCode }),
        )
        .on('POST /reauthenticate', reauthenticated)
        .on('POST /recovery-codes/regenerate', { body: { recoveryCodes: CODES } });
      const el = await fixture<TotpRecoveryCodes>(
        html`<totp-recovery-codes endpoint="/mfa" .fetch=${backend.fetch}></totp-recovery-codes>`,
      );
      await untilState(el, 'overview');
      await tabTo('[part~="regenerate-button"]');
      await press('Enter');
      await untilState(el, 'reauthenticate');
      await waitUntil(() => deepActiveElement() === input(el), 'focus never moved into the form');
      await typeKeys('123456');
      await press('Enter');
      await untilState(el, 'confirm');
      await waitUntil(() => deepActiveElement() === input(el), 'focus never moved into the new form');
      await typeKeys('654321');
      await press('Enter');
      await untilState(el, 'codes');
      expect(backend.callsTo('POST /recovery-codes/regenerate')[0]?.body).to.deep.equal({ code: '654321' });
    });

    it('a wrong code stays on the in-place form', async () => {
      const backend = new StubBackend()
        .on('GET /status', status({ active: true, reauth: true, features: byCode }))
        .on('POST /reauthenticate', failure('invalid_code'));
      const el = await fixture<TotpDeactivate>(
        html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
      );
      await untilState(el, 'reauthenticate');
      type(input(el), '000000');
      submit(el);
      await waitUntil(() => input(el).getAttribute('aria-invalid') === 'true');
      expect(text(part(el, '[part~="error"]'))).to.equal('That code did not work. Check your app and try again.');
      expect(el.state).to.equal('reauthenticate');
      await expect(el).to.be.accessible();
    });

    for (const [name, features] of [
      ['an older backend (no features)', undefined],
      ['codeReauthentication: false', { trustedBrowsers: null, codeReauthentication: false }],
    ] as const) {
      it(`with ${name}: the event and the Continue button, as before`, async () => {
        const backend = new StubBackend()
          .on('GET /status', status({ active: true, ...(features && { features }) }))
          .on('POST /totp/deactivate', failure('reauthentication_required'));
        const el = await fixture<TotpDeactivate>(
          html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
        );
        await untilState(el, 'confirm');
        type(input(el), '111111');
        const event = oneEvent(el, 'totp-reauthentication-required');
        submit(el);
        expect((await event).detail.action).to.equal('deactivate');
        await untilState(el, 'reauthenticate');
        part(el, 'button[part~="continue-button"]');
        expect(el.shadowRoot?.querySelector('[part~="input"]')).to.equal(null);
        expect(backend.callsTo('POST /reauthenticate')).to.have.length(0);
      });
    }

    it('<totp-activate>: no code can confirm before TOTP is on, so setup keeps the sign-in path', async () => {
      const backend = new StubBackend().on('GET /status', status({ reauth: true, features: byCode }));
      const event = oneEvent(document, 'totp-reauthentication-required');
      const el = await fixture<TotpActivate>(
        html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
      );
      expect((await event).detail.action).to.equal('setup');
      await untilState(el, 'reauthenticate');
      part(el, 'button[part~="continue-button"]');
      expect(el.shadowRoot?.querySelector('[part~="input"]')).to.equal(null);
    });
  });
});
