import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/totp-activate/totp-activate.js';
import type { TotpErrorDetail, TotpStateChangeDetail } from '../src/shared/events.js';
import type { TotpActivate } from '../src/totp-activate/totp-activate.js';
import {
  CODES,
  failure,
  inactiveBackend,
  OTPAUTH_URL,
  SECRET,
  type StubBackend,
  setup,
  status,
} from './helpers/backend.js';
import { deepActiveElement, part, parts, submit, text, type, untilState } from './helpers/dom.js';
import { press, tabTo, typeKeys } from './helpers/keyboard.js';

async function mount(backend: StubBackend = inactiveBackend(), attributes = html``) {
  const el = await fixture<TotpActivate>(
    html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}>${attributes}</totp-activate>`,
  );
  return el;
}

function input(el: TotpActivate): HTMLInputElement {
  return part<HTMLInputElement>(el, 'input[part~="input"]');
}

async function enterCode(el: TotpActivate, code = '123456') {
  type(input(el), code);
  submit(el);
}

describe('<totp-activate>', () => {
  it('passes an axe accessibility check in the setup step', async () => {
    const el = await mount();
    await untilState(el, 'setup');
    await expect(el).to.be.accessible();
  });

  describe('setup', () => {
    it('loads the status, then starts setup', async () => {
      const backend = inactiveBackend();
      const el = await mount(backend);
      await untilState(el, 'setup');
      expect(backend.calls.map((call) => `${call.method} ${call.path}`)).to.deep.equal([
        'GET /status',
        'POST /totp/setup',
      ]);
      expect(backend.callsTo('POST /totp/setup')[0]?.body).to.deep.equal({});
      expect(text(part(el, '[part~="account"]'))).to.equal('Account: alice@example.com (Example)');
    });

    it('sends the status request before its first render, and setup right after the status', async () => {
      const backend = inactiveBackend();
      const rendered: boolean[] = [];
      const el = document.createElement('totp-activate');
      el.endpoint = '/mfa';
      el.fetch = (input, init) => {
        // Whether the element had rendered anything when the request left.
        rendered.push(el.shadowRoot?.querySelector('.heading') != null);
        return backend.fetch(input, init);
      };
      document.body.append(el);
      try {
        await untilState(el, 'setup');
        expect(backend.calls.map((call) => `${call.method} ${call.path}`)).to.deep.equal([
          'GET /status',
          'POST /totp/setup',
        ]);
        expect(rendered).to.deep.equal([false, true]);
      } finally {
        el.remove();
      }
    });

    it("uses the server's QR image when it sends one", async () => {
      const qrCode = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';
      const el = await mount(inactiveBackend().on('POST /totp/setup', setup({ qrCode })));
      await untilState(el, 'setup');
      const img = part<HTMLImageElement>(el, 'img[part~="qr"]');
      expect(img.getAttribute('src')).to.equal(qrCode);
      expect(img.alt).to.equal('QR code for Example');
    });

    it('draws the QR code itself when the server sends none, with an alt text that hides the secret', async () => {
      const el = await mount();
      await untilState(el, 'setup');
      await waitUntil(() => el.shadowRoot?.querySelector('img[part~="qr"]'));
      const img = part<HTMLImageElement>(el, 'img[part~="qr"]');
      expect(img.src).to.match(/^data:image\/svg\+xml,/);
      expect(img.alt).to.equal('QR code for Example');
      expect(img.alt).not.to.contain(SECRET);
      expect(decodeURIComponent(img.src)).not.to.contain(SECRET);
    });

    it('opens the key when the URL is too long for any QR code (a server answers qrCode: null then)', async () => {
      const otpauthUrl = `otpauth://totp/Example:${'a'.repeat(4000)}?secret=${SECRET}&issuer=Example`;
      const el = await mount(inactiveBackend().on('POST /totp/setup', setup({ qrCode: null, otpauthUrl })));
      await untilState(el, 'setup');
      await waitUntil(() => part<HTMLDetailsElement>(el, '[part~="manual"]').open);
      expect(el.shadowRoot?.querySelector('img[part~="qr"]')).to.equal(null);
      expect(text(part(el, '[part~="secret"]'))).to.equal('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    });

    it('shows the key in groups of four behind "Can’t scan the code?", with a copy button', async () => {
      const el = await mount();
      await untilState(el, 'setup');
      const details = part<HTMLDetailsElement>(el, '[part~="manual"]');
      expect(details.open).to.equal(false);
      expect(text(part(el, '[part~="manual-summary"]'))).to.equal('Can’t scan the code?');
      expect(text(part(el, '[part~="secret"]'))).to.equal('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
      const copy = details.querySelector('[part~="copy-button"]');
      expect(copy?.localName).to.equal('button');
      expect(copy && text(copy)).to.equal('Copy key');
    });

    it('names the algorithm, digits and period only when they differ from what every app assumes', async () => {
      const plain = await mount();
      await untilState(plain, 'setup');
      expect(text(part(plain, '[part~="manual"]'))).not.to.contain('Time-based');

      const unusual = await mount(inactiveBackend().on('POST /totp/setup', setup({ algorithm: 'SHA256', digits: 8 })));
      await untilState(unusual, 'setup');
      expect(text(part(unusual, '[part~="manual"]'))).to.contain('Time-based, SHA256, 8 digits, new code every 30 s.');
    });

    it('offers a tappable otpauth:// link when asked to (and on touch screens by default)', async () => {
      const hidden = await mount();
      await untilState(hidden, 'setup');
      // This test browser has a mouse, so `auto` hides the link.
      expect(hidden.shadowRoot?.querySelector('[part~="app-link"]')).to.equal(null);

      const shown = await mount();
      shown.appLink = 'show';
      await untilState(shown, 'setup');
      const link = part<HTMLAnchorElement>(shown, 'a[part~="app-link"]');
      expect(link.getAttribute('href')).to.equal(OTPAUTH_URL);
      expect(text(link)).to.equal('Open in authenticator app');
    });

    it('has one code input for password managers and phones, with a visible label and a submit button', async () => {
      const el = await mount();
      await untilState(el, 'setup');
      expect(parts(el, 'input[part~="input"]')).to.have.length(1);
      const field = input(el);
      expect(field.autocomplete).to.equal('one-time-code');
      expect(field.inputMode).to.equal('numeric');
      expect(field.labels?.[0] && text(field.labels[0])).to.equal('Code from your authenticator app');
      expect(text(part(el, '[part~="submit"]'))).to.equal('Activate');
    });
  });

  describe('activation', () => {
    it('sends the enrollment token with the code, then shows the recovery codes', async () => {
      const backend = inactiveBackend();
      const el = await mount(backend);
      await untilState(el, 'setup');
      const activated = oneEvent(el, 'totp-activated');
      await enterCode(el, '123 456');
      const event = await activated;
      expect(backend.callsTo('POST /totp/activate')[0]?.body).to.deep.equal({
        enrollmentToken: 'enrollment-token-1',
        code: '123456',
      });
      expect(event.detail).to.deep.equal({ recoveryCodeCount: 10 });
      expect(event.bubbles && event.composed).to.equal(true);
      await untilState(el, 'recovery-codes');
      expect(parts(el, '[part~="recovery-code"]').map(text)).to.deep.equal(CODES);
      // The secret is gone from the screen once it has been used.
      expect(el.shadowRoot?.textContent).not.to.contain('JBSW');
    });

    it('rejects a malformed code before sending it', async () => {
      const backend = inactiveBackend();
      const el = await mount(backend);
      await untilState(el, 'setup');
      await enterCode(el, '12345a');
      await el.updateComplete;
      expect(text(part(el, '[part~="error"]'))).to.equal('Enter the 6 digits from your app.');
      expect(input(el).getAttribute('aria-invalid')).to.equal('true');
      expect(backend.callsTo('POST /totp/activate')).to.have.length(0);
    });

    it('gates Done behind "I have saved these codes", then shows the active state', async () => {
      const el = await mount();
      await untilState(el, 'setup');
      await enterCode(el);
      await untilState(el, 'recovery-codes');
      const done = part<HTMLButtonElement>(el, '[part~="done-button"]');
      expect(done.disabled).to.equal(true);
      part<HTMLInputElement>(el, '[part~="saved-checkbox"]').click();
      await el.updateComplete;
      expect(done.disabled).to.equal(false);
      done.click();
      await untilState(el, 'activated');
      expect(text(part(el, '[part~="message"]'))).to.equal('Two-factor authentication is on.');
      expect(el.shadowRoot?.querySelector('[part~="recovery-code"]')).to.equal(null);
    });

    it('fires totp-state-change for each step, and never a secret or code in any event', async () => {
      const el = await mount();
      const seen: Event[] = [];
      const steps: TotpStateChangeDetail[] = [];
      for (const type of ['totp-state-change', 'totp-activated', 'totp-error'] as const) {
        el.addEventListener(type, (event) => seen.push(event));
      }
      el.addEventListener('totp-state-change', (event) => steps.push(event.detail));
      await untilState(el, 'setup');
      await enterCode(el, '999999');
      await untilState(el, 'recovery-codes');
      expect(steps).to.deep.equal([
        { state: 'setup', previousState: 'loading' },
        { state: 'recovery-codes', previousState: 'setup' },
      ]);
      const details = JSON.stringify(seen.map((event) => (event as CustomEvent).detail));
      for (const secret of [SECRET, 'otpauth', '999999', 'enrollment-token', ...CODES]) {
        expect(details).not.to.contain(secret);
      }
    });
  });

  describe('protocol errors', () => {
    it('invalid_code: shows a message, sets aria-invalid and puts focus back in the input', async () => {
      const el = await mount(inactiveBackend().on('POST /totp/activate', failure('invalid_code')));
      await untilState(el, 'setup');
      input(el).focus();
      const error = oneEvent(el, 'totp-error');
      await enterCode(el, '000000');
      expect((await error).detail).to.include({ code: 'invalid_code', endpoint: 'activate', status: 400 });
      await waitUntil(() => input(el).getAttribute('aria-invalid') === 'true');
      const message = part(el, '[part~="error"]');
      expect(text(message)).to.equal('That code did not work. Check your app and try again.');
      expect(input(el).getAttribute('aria-describedby')).to.contain(message.id);
      await waitUntil(() => deepActiveElement() === input(el), 'focus did not return to the input');
      expect(el.state).to.equal('setup');
    });

    it('rate_limited: counts down from retryAfter with submit disabled, then allows a retry', async () => {
      const el = await mount(inactiveBackend().on('POST /totp/activate', failure('rate_limited', { retryAfter: 42 })));
      await untilState(el, 'setup');
      await enterCode(el);
      await waitUntil(() => el.shadowRoot?.querySelector('[part~="countdown"]'));
      expect(text(part(el, '[part~="error"]'))).to.equal('Too many attempts.');
      expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 42 seconds.');
      expect(part(el, '[part~="countdown"]').getAttribute('role')).to.equal('timer');
      expect(part<HTMLButtonElement>(el, '[part~="submit"]').disabled).to.equal(true);
      expect(input(el).getAttribute('aria-invalid')).to.equal('false');
    });

    it('rate_limited: the countdown ends and says so', async () => {
      const el = await mount(inactiveBackend().on('POST /totp/activate', failure('rate_limited', { retryAfter: 1 })));
      await untilState(el, 'setup');
      await enterCode(el);
      await waitUntil(() => part<HTMLButtonElement>(el, '[part~="submit"]').disabled);
      await waitUntil(() => !part<HTMLButtonElement>(el, '[part~="submit"]').disabled, 'never unlocked', {
        timeout: 2500,
      });
      await waitUntil(() => text(part(el, '[role="status"]')) === 'You can try again now.');
    });

    it('enrollment_expired: restarts setup with a new secret and says why', async () => {
      const backend = inactiveBackend()
        .on(
          'POST /totp/setup',
          setup(),
          setup({ secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U', enrollmentToken: 'enrollment-token-2' }),
        )
        .on('POST /totp/activate', failure('enrollment_expired'), { body: { recoveryCodes: CODES } });
      const el = await mount(backend);
      await untilState(el, 'setup');
      await enterCode(el);
      await waitUntil(() => el.shadowRoot?.querySelector('[part~="notice"]'));
      expect(text(part(el, '[part~="notice"]'))).to.contain('The setup timed out.');
      expect(text(part(el, '[part~="secret"]'))).to.equal('MFRG GZDF MZTW Q2LK NNWG 23TP OBYX E43U');
      expect(input(el).value).to.equal('');
      await enterCode(el);
      await untilState(el, 'recovery-codes');
      expect(backend.callsTo('POST /totp/activate').map((call) => call.body?.enrollmentToken)).to.deep.equal([
        'enrollment-token-1',
        'enrollment-token-2',
      ]);
    });

    it('reauthentication_required from the status: asks before showing any QR code', async () => {
      const backend = inactiveBackend().on('GET /status', status({ reauth: true }), status());
      const el = await fixture<TotpActivate>(html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}>
        <p slot="reauthenticate">Please <a href="/login">sign in again</a>.</p>
      </totp-activate>`);
      const event = await oneEvent(el, 'totp-reauthentication-required');
      expect(event.detail.action).to.equal('setup');
      await untilState(el, 'reauthenticate');
      expect(backend.callsTo('POST /totp/setup')).to.have.length(0);
      const slot = part<HTMLSlotElement>(el, 'slot[name="reauthenticate"]');
      expect(slot.assignedElements().map(text)).to.deep.equal(['Please sign in again.']);
      part<HTMLButtonElement>(el, '[part~="continue-button"]').click();
      await untilState(el, 'setup');
    });

    it('reauthentication_required on activation: fires the event and shows the slot', async () => {
      const el = await mount(inactiveBackend().on('POST /totp/activate', failure('reauthentication_required')));
      await untilState(el, 'setup');
      const event = oneEvent(el, 'totp-reauthentication-required');
      await enterCode(el);
      expect((await event).detail.action).to.equal('activate');
      await untilState(el, 'reauthenticate');
      expect(text(part(el, 'slot[name="reauthenticate"]'))).to.equal('For your security, sign in again to continue.');
    });

    it('already active at load: shows the active slot and starts no setup', async () => {
      const backend = inactiveBackend().on('GET /status', status({ active: true }));
      const el = await mount(backend);
      await untilState(el, 'active');
      expect(text(part(el, 'slot[name="active"]'))).to.equal('Two-factor authentication is already on.');
      expect(backend.callsTo('POST /totp/setup')).to.have.length(0);
    });

    it('already_active from setup (a race with another tab): shows the active state', async () => {
      const el = await mount(inactiveBackend().on('POST /totp/setup', failure('already_active')));
      await untilState(el, 'active');
    });

    it('a network failure while loading offers a retry that recovers', async () => {
      const backend = inactiveBackend().on('GET /status', new TypeError('Failed to fetch'), status());
      const errors: TotpErrorDetail[] = [];
      const el = await fixture<TotpActivate>(
        html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch} @totp-error=${(e: CustomEvent) => errors.push(e.detail)}></totp-activate>`,
      );
      await untilState(el, 'error');
      expect(text(part(el, '[part~="error"]'))).to.equal(
        'The server could not be reached. Check your connection and try again.',
      );
      expect(errors[0]).to.include({ code: 'network_error', endpoint: 'status', status: null });
      part<HTMLButtonElement>(el, '[part~="retry-button"]').click();
      await untilState(el, 'setup');
    });

    it('unavailable on activation keeps the setup, says so, and a second try succeeds', async () => {
      const backend = inactiveBackend().on('POST /totp/activate', failure('unavailable'), {
        body: { recoveryCodes: CODES },
      });
      const el = await mount(backend);
      await untilState(el, 'setup');
      await enterCode(el);
      await waitUntil(() => text(part(el, '[part~="error"]')) !== '');
      expect(text(part(el, '[part~="error"]'))).to.equal(
        'The service is unavailable right now. Please try again in a moment.',
      );
      expect(el.state).to.equal('setup');
      submit(el);
      await untilState(el, 'recovery-codes');
    });

    it('unavailable while loading shows the error state with a retry button', async () => {
      const el = await mount(inactiveBackend().on('GET /status', failure('unavailable')));
      await untilState(el, 'error');
      expect(text(part(el, '[part~="retry-button"]'))).to.equal('Try again');
    });

    it('an off-protocol setup response becomes a totp-error that names the field, never its value', async () => {
      const backend = inactiveBackend().on('POST /totp/setup', setup({ secret: 'not base32!', period: 'thirty' }));
      const el = await mount(backend);
      const event = await oneEvent(el, 'totp-error');
      expect(event.detail.code).to.equal('invalid_response');
      // The first problem, by its path; the rest would only repeat that the backend is off-protocol.
      expect(event.detail.message).to.equal(
        'POST /mfa/totp/setup answered 200 off-protocol: secret: does not match ^[A-Z2-7]+$',
      );
      expect(event.detail.message).not.to.contain('not base32!');
      await untilState(el, 'error');
      expect(text(part(el, '[part~="error"]'))).to.equal('The server sent an answer this page does not understand.');
    });
  });

  it('can be completed with the keyboard alone', async () => {
    const el = await mount();
    await untilState(el, 'setup');
    await tabTo('[part~="input"]');
    await typeKeys('123456');
    await press('Enter');
    await untilState(el, 'recovery-codes');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
    await tabTo('[part~="saved-checkbox"]');
    await press('Space');
    await tabTo('[part~="done-button"]', 1);
    await press('Enter');
    await untilState(el, 'activated');
    expect(deepActiveElement()).to.equal(part(el, '[part~="heading"]'));
  });

  it('reaches the key and its copy button with the keyboard', async () => {
    const el = await mount();
    await untilState(el, 'setup');
    await tabTo('[part~="manual-summary"]');
    await press('Enter');
    await el.updateComplete;
    expect(part<HTMLDetailsElement>(el, '[part~="manual"]').open).to.equal(true);
    await tabTo('[part~="copy-button"]', 1);
  });
});
