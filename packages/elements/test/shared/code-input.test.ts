import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/totp-verify/totp-verify.js';
import type { TotpVerify } from '../../src/totp-verify/totp-verify.js';
import { failure, StubBackend } from '../helpers/backend.js';
import { deepActiveElement, part, submit, text, type, untilState } from '../helpers/dom.js';
import { press, typeKeys } from '../helpers/keyboard.js';

function verifying(): StubBackend {
  return new StubBackend().on('POST /verify', { body: { method: 'totp', recoveryCodesLeft: 5 } });
}

function paste(input: HTMLInputElement, value: string): ClipboardEvent {
  const clipboardData = new DataTransfer();
  clipboardData.setData('text/plain', value);
  const event = new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true, composed: true });
  input.dispatchEvent(event);
  return event;
}

/** The light-DOM form, once the page-input support (a chunk loaded on first use) has rendered it. */
async function lightInput(el: TotpVerify): Promise<HTMLInputElement> {
  await waitUntil(() => el.querySelector('input[name="code"]'), 'no light-DOM input');
  return el.querySelector('input[name="code"]') as HTMLInputElement;
}

describe('the code input', () => {
  describe('paste', () => {
    let el: TotpVerify;
    let input: HTMLInputElement;
    beforeEach(async () => {
      el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" .fetch=${verifying().fetch}></totp-verify>`);
      input = part<HTMLInputElement>(el, 'input[part~="input"]');
    });

    for (const [pasted, expected] of [
      ['123 456', '123456'],
      ['123-456', '123456'],
      [' 123\u00a0456\n', '123456'],
      ['１２３４５６', '123456'],
      // Digits of other scripts, each mapped by its value: Arabic-Indic, Persian, Devanagari, Bengali, Thai.
      ['١٢٣٤٥٦', '123456'],
      ['۱۲۳ ۴۵۶', '123456'],
      ['१२३४५६', '123456'],
      ['১২৩-৪৫৬', '123456'],
      ['๐๙๘๗๖๕', '098765'],
      // A code inside a pasted sentence, when it is the only run of six digits.
      ['Your code is 123456.', '123456'],
      ['Ihr Code: 123 456 (gültig 30 s)', '123456'],
    ]) {
      it(`normalises ${JSON.stringify(pasted)} to ${expected}`, () => {
        const event = paste(input, pasted as string);
        expect(event.defaultPrevented).to.equal(true);
        expect(input.value).to.equal(expected);
      });
    }

    for (const ambiguous of ['Codes 123456 and 654321', 'Call 0800 123 4567', 'Order 12345']) {
      it(`leaves ${JSON.stringify(ambiguous)} alone: not exactly one run of six digits`, () => {
        expect(paste(input, ambiguous).defaultPrevented).to.equal(false);
      });
    }

    it('replaces what was typed when a whole code is pasted, wherever the caret is', () => {
      input.value = '99';
      input.setSelectionRange(1, 1);
      paste(input, '123 456');
      expect(input.value).to.equal('123456');
    });

    it('inserts a fragment at the caret', () => {
      input.value = '1256';
      input.setSelectionRange(2, 2);
      paste(input, '3-4');
      expect(input.value).to.equal('123456');
      expect(input.selectionStart).to.equal(4);
    });

    it('leaves text that is not a code to the browser, and explains on submit', async () => {
      const event = paste(input, 'hello');
      expect(event.defaultPrevented).to.equal(false);
      type(input, 'hello');
      submit(el);
      await el.updateComplete;
      expect(text(part(el, '[part~="error"]'))).to.equal('Enter the 6 digits from your app.');
    });

    it('tells frameworks about the new value with an input event', async () => {
      const seen = oneEvent(input, 'input');
      paste(input, '123456');
      await seen;
    });
  });

  describe('light-dom-input', () => {
    it('renders the whole form in light DOM, linked by ids, and submits with Enter', async () => {
      const backend = verifying();
      const el = await fixture<TotpVerify>(
        html`<totp-verify endpoint="/mfa" light-dom-input .fetch=${backend.fetch}></totp-verify>`,
      );
      const input = await lightInput(el);
      expect(el.shadowRoot?.querySelector('input')).to.equal(null);
      expect(input.autocomplete).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
      expect(input.labels?.[0] && text(input.labels[0])).to.equal('Code from your authenticator app');
      for (const id of input.getAttribute('aria-describedby')?.split(' ') ?? []) {
        expect(document.getElementById(id), `#${id}`).to.not.equal(null);
      }
      await expect(el).to.be.accessible();
      input.focus();
      await typeKeys('123456');
      await press('Enter');
      await untilState(el, 'verified');
      expect(backend.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456' });
      expect(el.querySelector('[data-totp-form]')).to.equal(null);
    });

    it('shows errors there too, with aria-invalid and focus', async () => {
      const el = await fixture<TotpVerify>(
        html`<totp-verify endpoint="/mfa" light-dom-input .fetch=${new StubBackend().on('POST /verify', failure('invalid_code')).fetch}></totp-verify>`,
      );
      const input = await lightInput(el);
      type(input, '000000');
      el.querySelector<HTMLButtonElement>('[part~="submit"]')?.click();
      await waitUntil(() => input.getAttribute('aria-invalid') === 'true');
      expect(text(el.querySelector('[part~="error"]') ?? el)).to.equal(
        'That code did not work. Check your app and try again.',
      );
      await waitUntil(() => document.activeElement === input);
    });

    it('styles its form without touching the page', async () => {
      const wrapper = await fixture<HTMLElement>(html`<div>
        <input class="input" id="page-input" />
        <totp-verify endpoint="/mfa" light-dom-input></totp-verify>
      </div>`);
      const el = wrapper.querySelector('totp-verify') as TotpVerify;
      const own = await lightInput(el);
      const page = wrapper.querySelector<HTMLInputElement>('#page-input') as HTMLInputElement;
      expect(getComputedStyle(own).fontFamily).to.contain('monospace');
      expect(getComputedStyle(page).fontFamily).not.to.contain('monospace');
      expect(getComputedStyle(page).letterSpacing).to.equal('normal');
    });
  });

  describe('a slotted <input> from the page', () => {
    async function mount(backend: StubBackend) {
      const el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" .fetch=${backend.fetch}>
        <input slot="input" name="otp" />
      </totp-verify>`);
      const input = el.querySelector('input') as HTMLInputElement;
      // Wired by the page-input support, a chunk loaded on first use.
      await waitUntil(() => input.autocomplete === 'one-time-code', 'the slotted input was never wired up');
      return { el, input };
    }

    it('is used instead of the built-in input and gets its attributes', async () => {
      const { el, input } = await mount(verifying());
      const slot = part<HTMLSlotElement>(el, 'slot[name="input"]');
      expect(slot.assignedElements()).to.deep.equal([input]);
      expect(input.autocomplete).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
      expect(input.getAttribute('aria-label')).to.equal('Code from your authenticator app');
      expect(input.getAttribute('aria-invalid')).to.equal('false');
      await expect(el).to.be.accessible();
    });

    it('submits on Enter and normalises a paste', async () => {
      const backend = verifying();
      const { el, input } = await mount(backend);
      paste(input, '123-456');
      expect(input.value).to.equal('123456');
      input.focus();
      await press('Enter');
      await untilState(el, 'verified');
      expect(backend.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456' });
    });

    it('gets aria-invalid and the error as its description, and focus', async () => {
      const { el, input } = await mount(new StubBackend().on('POST /verify', failure('invalid_code')));
      type(input, '000000');
      submit(el);
      await waitUntil(() => input.getAttribute('aria-invalid') === 'true');
      expect(input.getAttribute('aria-description')).to.equal('That code did not work. Check your app and try again.');
      await waitUntil(() => deepActiveElement() === input);
    });

    it('gets a rate limit’s wait in its description', async () => {
      const { el, input } = await mount(
        new StubBackend().on('POST /verify', failure('rate_limited', { retryAfter: 300 })),
      );
      type(input, '123456');
      submit(el);
      await waitUntil(() => input.getAttribute('aria-description')?.includes('You can try again in 5 minutes.'));
      expect(input.getAttribute('aria-description')).to.equal('Too many attempts. You can try again in 5 minutes.');
    });

    it('submits on the last digit with auto-submit', async () => {
      const backend = verifying();
      const el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" auto-submit .fetch=${backend.fetch}>
        <input slot="input" name="otp" />
      </totp-verify>`);
      const input = el.querySelector('input') as HTMLInputElement;
      await waitUntil(() => input.autocomplete === 'one-time-code', 'the slotted input was never wired up');
      input.focus();
      await typeKeys('123456');
      await untilState(el, 'verified');
      expect(backend.callsTo('POST /verify').map((call) => call.body)).to.deep.equal([{ code: '123456' }]);
    });

    it('keeps a label the page gave it', async () => {
      const el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa">
        <input slot="input" aria-label="One-time code" />
      </totp-verify>`);
      const input = el.querySelector('input') as HTMLInputElement;
      await waitUntil(() => input.hasAttribute('aria-description'), 'the slotted input was never wired up');
      expect(input.getAttribute('aria-label')).to.equal('One-time code');
    });
  });

  describe('auto-submit', () => {
    it('submits when the last digit is typed, once', async () => {
      const backend = verifying();
      const el = await fixture<TotpVerify>(
        html`<totp-verify endpoint="/mfa" auto-submit .fetch=${backend.fetch}></totp-verify>`,
      );
      part<HTMLInputElement>(el, 'input[part~="input"]').focus();
      await typeKeys('12345');
      expect(backend.callsTo('POST /verify')).to.have.length(0);
      await typeKeys('6');
      await untilState(el, 'verified');
      expect(backend.callsTo('POST /verify').map((call) => call.body)).to.deep.equal([{ code: '123456' }]);
    });

    it('submits a pasted sentence with a code in it', async () => {
      const backend = verifying();
      const el = await fixture<TotpVerify>(
        html`<totp-verify endpoint="/mfa" auto-submit .fetch=${backend.fetch}></totp-verify>`,
      );
      paste(part<HTMLInputElement>(el, 'input[part~="input"]'), 'Your code is ١٢٣٤٥٦');
      await untilState(el, 'verified');
      expect(backend.callsTo('POST /verify')[0]?.body).to.deep.equal({ code: '123456' });
    });

    it('waits for the submit button without the attribute', async () => {
      const backend = verifying();
      const el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" .fetch=${backend.fetch}></totp-verify>`);
      part<HTMLInputElement>(el, 'input[part~="input"]').focus();
      await typeKeys('123456');
      await el.updateComplete;
      expect(backend.calls).to.have.length(0);
      expect(el.state).to.equal('challenge');
    });
  });
});
