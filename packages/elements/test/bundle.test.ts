/**
 * The no-build bundle (`dist/totpkit-elements.js`, built by the runner into .bundle-test/ with
 * scripts/bundle.mjs) renders each element as the sources do: its css/html templates are minified
 * and its `_members` renamed, so this checks the texts, parts and accessibility of every element
 * it defines, and its later steps. `npx wtr --config web-test-runner.bundle.config.mjs`
 * runs the whole suite against it.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { LitElement } from 'lit';
import { CODES, inactiveBackend, OTPAUTH_URL, StubBackend, status } from './helpers/backend.js';
import { part, parts, submit, text, type, untilState } from './helpers/dom.js';

const BUNDLE = '/.bundle-test/totpkit-elements.js';
const TRUSTED_BROWSERS = '/.bundle-test/totp-trusted-browsers.js';

/**
 * Each part in the shadow root with its rendered text (`innerText`, whitespace collapsed), in
 * document order: what a reader meets, which minifying the templates must not change.
 */
function partsAndTexts(el: LitElement): string[] {
  // innerText, not textContent: the rendered text, which whitespace between block tags does not change.
  return parts(el, '[part]').map(
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
    (node) => `${node.getAttribute('part')}: ${node.innerText.replace(/\s+/g, ' ').trim()}`,
  );
}

describe('the no-build bundle', () => {
  before(async () => {
    const bundle = await import(/* @vite-ignore */ BUNDLE);
    expect(Object.keys(bundle)).to.include.members([
      'TotpActivate',
      'TotpDeactivate',
      'TotpRecoveryCodes',
      'TotpVerify',
    ]);
  });

  it('defines the four elements, and their minified templates render the same parts and texts', async () => {
    const el = await fixture<LitElement>(html`<totp-verify endpoint="/mfa"></totp-verify>`);
    await untilState(el, 'challenge');
    expect(partsAndTexts(el)).to.deep.equal([
      'base: Two-factor authentication Code from your authenticator app Enter the 6-digit code your app shows now. Verify Use a recovery code instead',
      'heading: Two-factor authentication',
      'content: Code from your authenticator app Enter the 6-digit code your app shows now. Verify Use a recovery code instead',
      'form: Code from your authenticator app Enter the 6-digit code your app shows now. Verify Use a recovery code instead',
      'label: Code from your authenticator app',
      'hint: Enter the 6-digit code your app shows now.',
      'input: ',
      'error: ',
      'actions: Verify Use a recovery code instead',
      'button submit: Verify',
      'toggle: Use a recovery code instead',
    ]);
    await expect(el).to.be.accessible();
    for (const tag of ['totp-activate', 'totp-deactivate', 'totp-recovery-codes']) {
      expect(customElements.get(tag), tag).to.be.a('function');
    }
  });

  it('keeps the markup lit needs: attributes, bindings and text between expressions', async () => {
    const backend = new StubBackend().on('POST /verify', { body: { method: 'recovery_code', recoveryCodesLeft: 1 } });
    const el = await fixture<LitElement>(html`<totp-verify endpoint="/mfa" .fetch=${backend.fetch}></totp-verify>`);
    const input = part<HTMLInputElement>(el, 'input[part~="input"]');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    expect(input.getAttribute('aria-describedby')).to.match(/^totp-code-\d+-hint totp-code-\d+-error$/);
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    await el.updateComplete;
    type(input, 'k7m2q-9xw4t');
    const verified = oneEvent(el, 'totp-verified');
    submit(el);
    expect((await verified).detail).to.deep.equal({
      method: 'recovery_code',
      recoveryCodesLeft: 1,
      recoveryCodesLow: true,
    });
    await untilState(el, 'verified');
    expect(text(part(el, '[part~="warning"]'))).to.equal('You have 1 recovery code left. Generate new ones soon.');
  });

  it('renders the setup and recovery-code steps from the one file, with their styles', async () => {
    const el = await fixture<LitElement>(
      html`<totp-activate endpoint="/mfa" app-link="show" .fetch=${inactiveBackend().fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    expect(text(part(el, '[part~="secret"]'))).to.equal('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(part(el, '[part~="app-link"]').getAttribute('href')).to.equal(OTPAUTH_URL);
    // The step's own sheet is adopted: the QR code keeps its white ground.
    expect(getComputedStyle(part(el, '[part~="qr-frame"]')).backgroundColor).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    submit(el);
    await untilState(el, 'recovery-codes');
    expect(parts(el, '[part~="recovery-code"]').map(text)).to.deep.equal(CODES);
    expect(getComputedStyle(part(el, '[part~="recovery-codes"]')).display).to.equal('grid');
    await expect(el).to.be.accessible();
  });

  it('renders the other elements’ first states', async () => {
    const backend = new StubBackend().on('GET /status', status({ active: true, unused: 2 }));
    const codes = await fixture<LitElement>(
      html`<totp-recovery-codes endpoint="/mfa" .fetch=${backend.fetch}></totp-recovery-codes>`,
    );
    await untilState(codes, 'overview');
    expect(text(part(codes, '[part~="count"]'))).to.equal('2 of 10 recovery codes unused.');
    expect(text(part(codes, '[part~="warning"]'))).to.equal('You have 2 recovery codes left. Generate new ones soon.');
    const off = await fixture<LitElement>(
      html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
    );
    await untilState(off, 'confirm');
    expect(text(part(off, '[part~="description"]'))).to.equal(
      'Your account will then be protected by your password alone. Enter a code to confirm.',
    );
    await expect(off).to.be.accessible();
  });
});

describe('a standalone element beside the bundle (dist/totp-trusted-browsers.js)', () => {
  before(async () => {
    await import(/* @vite-ignore */ BUNDLE);
    expect(customElements.get('totp-trusted-browsers'), 'the bundle alone does not define it').to.equal(undefined);
    await import(/* @vite-ignore */ TRUSTED_BROWSERS);
  });

  it('extends the bundle’s own base class, with the same renamed members: it lists, revokes and confirms', async () => {
    const browser = (id: string, label: string, current = false) => ({
      id,
      label,
      createdAt: '2026-11-20T10:00:00Z',
      lastUsedAt: null,
      expiresAt: '2026-12-04T10:00:00Z',
      current,
    });
    const backend = new StubBackend()
      .on('GET /trusted-browsers', {
        body: { browsers: [browser('b1', 'Chrome on macOS', true), browser('b2', 'Safari on iOS')] },
      })
      .on('POST /trusted-browsers/revoke', { body: { revoked: 1 } });
    const el = await fixture<LitElement>(
      html`<totp-trusted-browsers endpoint="/mfa" .fetch=${backend.fetch}></totp-trusted-browsers>`,
    );
    const bundle = await import(/* @vite-ignore */ BUNDLE);
    expect(el).to.be.instanceOf(bundle.TotpElement);
    await untilState(el, 'list');
    expect(parts(el, '[part~="browser-label"]').map(text)).to.deep.equal(['Chrome on macOS', 'Safari on iOS']);
    expect(text(part(el, '[part~="current"]'))).to.equal('This browser');
    // Its own sheet after the shared ones: the list has no bullets.
    expect(getComputedStyle(part(el, '[part~="browsers"]')).listStyleType).to.equal('none');
    await expect(el).to.be.accessible();
    const revoked = oneEvent(el, 'totp-browser-revoked');
    part<HTMLButtonElement>(el, '[part~="revoke-button"][data-id="b2"]').click();
    expect((await revoked).detail).to.deep.equal({ id: 'b2', revoked: 1 });
    part<HTMLButtonElement>(el, '[part~="revoke-all-button"]').click();
    await untilState(el, 'confirm');
    expect(text(part(el, '[part~="heading"]'))).to.equal('Revoke all trusted browsers?');
    await expect(el).to.be.accessible();
  });
});
