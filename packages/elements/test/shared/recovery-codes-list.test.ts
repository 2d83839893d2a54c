import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import type { TotpRecoveryCodes } from '../../src/totp-recovery-codes/totp-recovery-codes.js';
import { CODES, inactiveBackend, SECRET, StubBackend, setup, status } from '../helpers/backend.js';
import { part, submit, text, type, untilState } from '../helpers/dom.js';
import { captureDownloads, capturePrints, stubClipboard } from '../helpers/spies.js';

/** An element showing a freshly issued set of codes, reached through activation. */
async function showingCodes(issuer = 'Example'): Promise<TotpActivate> {
  const backend = inactiveBackend().on('POST /totp/setup', setup({ issuer }));
  const el = await fixture<TotpActivate>(html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`);
  await untilState(el, 'setup');
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
  submit(el);
  await untilState(el, 'recovery-codes');
  return el;
}

const liveRegion = (el: HTMLElement & { shadowRoot: ShadowRoot | null }) =>
  text(el.shadowRoot?.querySelector('[role="status"]') ?? el);

describe('recovery codes and copy buttons', () => {
  let restore: (() => void)[] = [];
  afterEach(() => {
    for (const undo of restore) undo();
    restore = [];
  });

  it('copies all codes, one per line, and announces it', async () => {
    const clipboard = stubClipboard();
    restore.push(clipboard.restore);
    const el = await showingCodes();
    const button = part<HTMLButtonElement>(el, '[part~="recovery-codes"] ~ [part~="actions"] [part~="copy-button"]');
    button.click();
    await waitUntil(() => liveRegion(el) === 'Copied');
    expect(clipboard.written).to.deep.equal([CODES.join('\n')]);
    expect(text(button)).to.equal('Copied');
  });

  it('announces a copy that the browser refused', async () => {
    const clipboard = stubClipboard(true);
    restore.push(clipboard.restore);
    const el = await showingCodes();
    part<HTMLButtonElement>(el, '[part~="copy-button"]').click();
    await waitUntil(() => liveRegion(el) === 'Could not copy. Select the text and copy it by hand.');
  });

  it('downloads a .txt named after the issuer, with a title, the account and the codes', async () => {
    const capture = captureDownloads();
    restore.push(capture.restore);
    const el = await showingCodes();
    part<HTMLButtonElement>(el, '[part~="download-button"]').click();
    expect(capture.downloads.map((download) => download.name)).to.deep.equal(['Example-recovery-codes.txt']);
    const content = await (await fetch(capture.downloads[0]?.href ?? '')).text();
    expect(content.split('\r\n')).to.deep.equal([
      'Recovery codes for Example',
      'alice@example.com',
      'Each code works once.',
      '',
      ...CODES,
      '',
    ]);
  });

  it('makes a file name safe from any issuer', async () => {
    const capture = captureDownloads();
    restore.push(capture.restore);
    const el = await showingCodes('ACME: Prod/EU "Ä"');
    part<HTMLButtonElement>(el, '[part~="download-button"]').click();
    expect(capture.downloads[0]?.name).to.equal('ACME-Prod-EU-Ä-recovery-codes.txt');
  });

  it('prints the codes alone, not the page around them', async () => {
    const prints = capturePrints();
    restore.push(prints.restore);
    const el = await showingCodes();
    part<HTMLButtonElement>(el, '[part~="print-button"]').click();
    expect(prints.printed).to.have.length(1);
    const printed = prints.printed[0] ?? '';
    expect(printed).to.contain('Recovery codes for Example');
    for (const code of CODES) expect(printed).to.contain(code);
    expect(printed).not.to.contain('I have saved these codes');
  });

  it('the setup key copies without its spaces', async () => {
    const clipboard = stubClipboard();
    restore.push(clipboard.restore);
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${inactiveBackend().fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    part<HTMLDetailsElement>(el, '[part~="manual"]').open = true;
    part<HTMLButtonElement>(el, '[part~="manual"] [part~="copy-button"]').click();
    await waitUntil(() => liveRegion(el) === 'Copied');
    expect(clipboard.written).to.deep.equal([SECRET]);
  });

  it('uses the issuer attribute of <totp-recovery-codes> for its download', async () => {
    const capture = captureDownloads();
    restore.push(capture.restore);
    const backend = new StubBackend()
      .on('GET /status', status({ active: true }))
      .on('POST /recovery-codes/regenerate', { body: { recoveryCodes: CODES } });
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes endpoint="/mfa" issuer="Acme" .fetch=${backend.fetch}></totp-recovery-codes>`,
    );
    await untilState(el, 'overview');
    part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
    await untilState(el, 'confirm');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    submit(el);
    await untilState(el, 'codes');
    part<HTMLButtonElement>(el, '[part~="download-button"]').click();
    expect(capture.downloads[0]?.name).to.equal('Acme-recovery-codes.txt');
  });
});
