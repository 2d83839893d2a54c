import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/index.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import type { TotpVerify } from '../../src/totp-verify/totp-verify.js';
import { inactiveBackend } from '../helpers/backend.js';
import { part, untilState } from '../helpers/dom.js';

const style = (node: Element) => getComputedStyle(node);

describe('theming', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('a ::part() rule of the page reaches the part', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <style>
        .branded::part(submit) { background: rgb(255, 0, 128); border-radius: 0; }
        .branded::part(heading) { text-transform: uppercase; }
      </style>
      <totp-verify class="branded"></totp-verify>
    </div>`);
    const el = wrapper.querySelector('totp-verify') as TotpVerify;
    expect(style(part(el, '[part~="submit"]')).backgroundColor).to.equal('rgb(255, 0, 128)');
    expect(style(part(el, '[part~="submit"]')).borderTopLeftRadius).to.equal('0px');
    expect(style(part(el, '[part~="heading"]')).textTransform).to.equal('uppercase');
  });

  it('--totp-* properties change the look, set on the element or inherited from the page', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div style="--totp-color-accent: rgb(0, 128, 0)">
      <totp-verify style="--totp-radius: 3px; --totp-color-background: rgb(250, 240, 230); --totp-font: serif"></totp-verify>
    </div>`);
    const el = wrapper.querySelector('totp-verify') as TotpVerify;
    const base = part(el, '[part~="base"]');
    expect(style(part(el, '[part~="submit"]')).backgroundColor).to.equal('rgb(0, 128, 0)');
    expect(style(base).borderTopLeftRadius).to.equal('3px');
    expect(style(base).backgroundColor).to.equal('rgb(250, 240, 230)');
    expect(style(base).fontFamily).to.equal('serif');
  });

  it('has light and dark defaults through prefers-color-scheme', async () => {
    const light = await fixture<TotpVerify>(html`<totp-verify></totp-verify>`);
    expect(style(part(light, '[part~="base"]')).backgroundColor).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    const dark = await fixture<TotpVerify>(html`<totp-verify></totp-verify>`);
    expect(style(part(dark, '[part~="base"]')).backgroundColor).to.equal('rgb(22, 27, 34)');
    expect(style(part(dark, '[part~="base"]')).color).to.equal('rgb(230, 237, 243)');
  });

  it('keeps the page’s own choices over the dark defaults', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await fixture<TotpVerify>(
      html`<totp-verify style="--totp-color-background: rgb(1, 2, 3)"></totp-verify>`,
    );
    expect(style(part(el, '[part~="base"]')).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('keeps a white quiet zone around a server QR code in a dark theme', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const qrCode = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';
    const backend = inactiveBackend().on('POST /totp/setup', { body: { ...(await setupBody()), qrCode } });
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" style="--totp-color-background: #000" .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const frame = part(el, '[part~="qr-frame"]');
    expect(style(frame).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(Number.parseFloat(style(frame).paddingTop)).to.be.at.least(8);
  });

  it('leaks nothing into the page', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div>
      <p class="error hint">page text</p>
      <button class="button primary">page button</button>
    </div>`);
    const pageText = wrapper.querySelector('p') as HTMLElement;
    const pageButton = wrapper.querySelector('button') as HTMLElement;
    const before = [style(pageText).color, style(pageButton).backgroundColor, style(pageButton).padding];
    const sheets = document.styleSheets.length;
    const adopted = document.adoptedStyleSheets.length;
    const el = document.createElement('totp-verify');
    wrapper.append(el, document.createElement('totp-activate'));
    await (el as TotpVerify).updateComplete;
    expect([style(pageText).color, style(pageButton).backgroundColor, style(pageButton).padding]).to.deep.equal(before);
    expect(document.styleSheets.length).to.equal(sheets);
    expect(document.adoptedStyleSheets.length).to.equal(adopted);
  });
});

async function setupBody() {
  const { setup } = await import('../helpers/backend.js');
  return setup().body;
}
