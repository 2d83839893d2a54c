/**
 * The finishing touches of issue 12: what a screen-reader, keyboard or small-screen user meets
 * around the main flows (announcements, copy failures, focus after Print, Escape and Cancel,
 * slots, parts, headings, dates, fonts).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import '../../src/index.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import type { TotpDeactivate } from '../../src/totp-deactivate/totp-deactivate.js';
import type { TotpRecoveryCodes } from '../../src/totp-recovery-codes/totp-recovery-codes.js';
import type { TotpVerify } from '../../src/totp-verify/totp-verify.js';
import { CODES, failure, inactiveBackend, SECRET, StubBackend, status } from '../helpers/backend.js';
import { deepActiveElement, part, parts, submit, text, type, untilState } from '../helpers/dom.js';
import { press, tabTo } from '../helpers/keyboard.js';
import { capturePrints, stubClipboard } from '../helpers/spies.js';

const liveRegion = (el: LitElement) => text(part(el, '[role="status"]'));
const heading = (el: LitElement) => text(part(el, '[part~="heading"]'));

function activeBackend(totp: Record<string, unknown> = {}): StubBackend {
  const body = status({ active: true }).body;
  return new StubBackend()
    .on('GET /status', { body: { ...body, totp: { ...body.totp, ...totp } } })
    .on('POST /recovery-codes/regenerate', { body: { recoveryCodes: CODES } })
    .on('POST /totp/deactivate', { body: {} });
}

async function recoveryCodes(backend = activeBackend(), inner = html``): Promise<TotpRecoveryCodes> {
  const el = await fixture<TotpRecoveryCodes>(
    html`<totp-recovery-codes endpoint="/mfa" issuer="Example" .fetch=${backend.fetch}>${inner}</totp-recovery-codes>`,
  );
  await untilState(el, 'overview');
  return el;
}

async function toConfirm(el: TotpRecoveryCodes): Promise<void> {
  part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
  await untilState(el, 'confirm');
}

async function toCodes(el: TotpRecoveryCodes): Promise<void> {
  await toConfirm(el);
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
  submit(el);
  await untilState(el, 'codes');
}

describe('finishing touches', () => {
  let restore: (() => void)[] = [];
  afterEach(() => {
    for (const undo of restore) undo();
    restore = [];
  });

  it('announces a rate limit with its wait, and links the countdown to the input', async () => {
    const backend = new StubBackend().on('POST /verify', failure('rate_limited', { retryAfter: 42 }));
    const el = await fixture<TotpVerify>(html`<totp-verify endpoint="/mfa" .fetch=${backend.fetch}></totp-verify>`);
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    submit(el);
    await waitUntil(() => liveRegion(el).startsWith('Too many attempts. You can try again in'));
    expect(liveRegion(el)).to.match(/^Too many attempts\. You can try again in 4[12] seconds\.$/);
    const timer = part(el, '[role="timer"]');
    const describedBy = part(el, 'input[part~="input"]').getAttribute('aria-describedby')?.split(' ');
    expect(describedBy).to.include(timer.id);
  });

  it('announces the rate limit’s end in the element’s language, with the browser’s unit names', async () => {
    const backend = new StubBackend().on('POST /verify', failure('rate_limited', { retryAfter: 1 }));
    const el = await fixture<TotpVerify>(
      html`<totp-verify lang="de" endpoint="/mfa" .fetch=${backend.fetch}></totp-verify>`,
    );
    await waitUntil(() => text(part(el, '[part~="submit"]')) === 'Bestätigen');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    submit(el);
    const second = new Intl.NumberFormat('de', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(1);
    await waitUntil(() => liveRegion(el) === `Zu viele Versuche. Sie können es in ${second} erneut versuchen.`);
    await waitUntil(() => liveRegion(el) === 'Sie können es jetzt erneut versuchen.', 'no end', { timeout: 2500 });
    expect(el.shadowRoot?.querySelector('[role="timer"]')).to.equal(null);
  });

  it('shows a refused copy under the button and selects the codes to copy by hand', async () => {
    restore.push(stubClipboard(true).restore);
    const el = await recoveryCodes();
    await toCodes(el);
    part<HTMLButtonElement>(el, '[part~="copy-button"]').click();
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="copy-error"]'));
    const message = part(el, '[part~="copy-error"]');
    expect(text(message)).to.equal('Could not copy. Select the text and copy it by hand.');
    expect(message.getBoundingClientRect().height).to.be.greaterThan(0);
    const selected = getSelection()?.toString() ?? '';
    for (const code of CODES) expect(selected).to.contain(code);
    // A new step starts without the old message.
    part<HTMLInputElement>(el, '[part~="saved-checkbox"]').click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, '[part~="done-button"]').click();
    await untilState(el, 'overview');
    await toCodes(el);
    expect(el.shadowRoot?.querySelector('[part~="copy-error"]')).to.equal(null);
  });

  it('selects the setup key when copying it is refused', async () => {
    restore.push(stubClipboard(true).restore);
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    part<HTMLDetailsElement>(el, '[part~="manual"]').open = true;
    part<HTMLButtonElement>(el, '[part~="copy-button"]').click();
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="copy-error"]'));
    expect((getSelection()?.toString() ?? '').replace(/\s/g, '')).to.equal(SECRET);
  });

  it('does not show a stale "Copied" on the next set of codes', async () => {
    restore.push(stubClipboard().restore);
    const el = await recoveryCodes();
    await toCodes(el);
    part<HTMLButtonElement>(el, '[part~="copy-button"]').click();
    await waitUntil(() => text(part(el, '[part~="copy-button"]')) === 'Copied');
    part<HTMLInputElement>(el, '[part~="saved-checkbox"]').click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, '[part~="done-button"]').click();
    await untilState(el, 'overview');
    await toCodes(el);
    expect(text(part(el, '[part~="copy-button"]'))).to.equal('Copy codes');
  });

  it('puts focus back on the Print button after printing', async () => {
    restore.push(capturePrints().restore);
    const el = await recoveryCodes();
    await toCodes(el);
    await tabTo('[part~="print-button"]');
    await press('Enter');
    expect(deepActiveElement()).to.equal(part(el, '[part~="print-button"]'));
  });

  it('Escape cancels regeneration: back to the overview, with totp-cancel', async () => {
    const el = await recoveryCodes();
    await toConfirm(el);
    part<HTMLInputElement>(el, 'input[part~="input"]').focus();
    const cancelled = oneEvent(el, 'totp-cancel');
    await press('Escape');
    expect((await cancelled).detail).to.deep.equal({ state: 'confirm' });
    await untilState(el, 'overview');
  });

  it('Escape in the confirm step of <totp-deactivate> fires totp-cancel for the page to close it', async () => {
    const backend = activeBackend();
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    part<HTMLInputElement>(el, 'input[part~="input"]').focus();
    const cancelled = oneEvent(el, 'totp-cancel');
    await press('Escape');
    expect((await cancelled).detail).to.deep.equal({ state: 'confirm' });
    expect(backend.callsTo('POST /totp/deactivate')).to.have.length(0);
  });

  it('cancels the light-DOM form too: its Cancel button and Escape fire totp-cancel', async () => {
    const backend = activeBackend();
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes endpoint="/mfa" light-dom-input .fetch=${backend.fetch}></totp-recovery-codes>`,
    );
    await untilState(el, 'overview');
    await toConfirm(el);
    await waitUntil(() => el.querySelector('[part~="cancel-button"]'), 'no light-DOM Cancel');
    let cancelled = oneEvent(el, 'totp-cancel');
    (el.querySelector('[part~="cancel-button"]') as HTMLButtonElement).click();
    expect((await cancelled).detail.state).to.equal('confirm');
    await untilState(el, 'overview');
    await toConfirm(el);
    await waitUntil(() => el.querySelector('input[name="code"]'), 'no light-DOM input');
    (el.querySelector('input[name="code"]') as HTMLInputElement).focus();
    cancelled = oneEvent(el, 'totp-cancel');
    await press('Escape');
    await cancelled;
    await untilState(el, 'overview');
  });

  it('puts the page’s cancel control in the form’s row of buttons and fires totp-cancel on it', async () => {
    const backend = activeBackend();
    const el = await fixture<TotpDeactivate>(html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}>
      <button slot="cancel" type="button">Keep it on</button>
    </totp-deactivate>`);
    await untilState(el, 'confirm');
    const slot = part<HTMLSlotElement>(el, '[part~="actions"] slot[name="cancel"]');
    const mine = el.querySelector('button') as HTMLButtonElement;
    expect(slot.assignedElements()).to.deep.equal([mine]);
    const cancelled = oneEvent(el, 'totp-cancel');
    mine.click();
    expect((await cancelled).detail.state).to.equal('confirm');
  });

  it('has slots for a logo, help and recommended apps', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}>
      <img slot="logo" alt="Example" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" />
      <ul slot="apps"><li><a href="https://example.com/app">An app</a></li></ul>
      <p slot="help"><a href="/help/2fa">Help</a></p>
    </totp-activate>`);
    await untilState(el, 'setup');
    const assigned = (name: string) => part<HTMLSlotElement>(el, `slot[name="${name}"]`).assignedElements();
    expect(assigned('logo')).to.deep.equal([el.querySelector('img')]);
    expect(assigned('apps')).to.deep.equal([el.querySelector('ul')]);
    expect(assigned('help')).to.deep.equal([el.querySelector('p')]);
    // The logo comes before the heading, the apps after the scan instruction, help after the content.
    const order = (a: Node, b: Node) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
    expect(order(part(el, 'slot[name="logo"]'), part(el, '[part~="heading"]'))).to.not.equal(0);
    expect(order(part(el, '[part~="description"]'), part(el, 'slot[name="apps"]'))).to.not.equal(0);
    expect(order(part(el, '[part~="content"]'), part(el, 'slot[name="help"]'))).to.not.equal(0);
    await expect(el).to.be.accessible();
  });

  it('names the content wrapper and the Done row as parts', async () => {
    const el = await recoveryCodes();
    await toCodes(el);
    expect(part(el, '[part~="base"] > [part~="content"]').contains(part(el, '[part~="recovery-codes"]'))).to.equal(
      true,
    );
    expect(part(el, '[part~="done-actions"]').contains(part(el, '[part~="done-button"]'))).to.equal(true);
  });

  it('shows codes in --totp-font-mono everywhere: input, key and recovery codes', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" style="--totp-font-mono: Courier New" .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const font = (selector: string) => getComputedStyle(part(el, selector)).fontFamily;
    expect(font('input[part~="input"]')).to.equal('"Courier New"');
    expect(font('[part~="secret"]')).to.equal('"Courier New"');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    submit(el);
    await untilState(el, 'recovery-codes');
    for (const code of parts(el, '[part~="recovery-code"] code')) {
      expect(getComputedStyle(code).fontFamily).to.equal('"Courier New"');
    }
    // The printout too.
    restore.push(capturePrints().restore);
    part<HTMLButtonElement>(el, '[part~="print-button"]').click();
    const printed = part<HTMLIFrameElement>(el, 'iframe').contentDocument?.querySelector('pre');
    expect(printed?.style.fontFamily).to.equal('"Courier New"');
  });

  it('titles each state for what it is, not "Set up" or "Turn off" once done', async () => {
    const on = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${activeBackend().fetch}></totp-activate>`,
    );
    await untilState(on, 'active');
    expect(heading(on)).to.equal('Two-factor authentication');
    const backend = activeBackend();
    const off = await fixture<TotpDeactivate>(
      html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
    );
    await untilState(off, 'confirm');
    expect(heading(off)).to.equal('Turn off two-factor authentication');
    type(part<HTMLInputElement>(off, 'input[part~="input"]'), '123456');
    submit(off);
    await untilState(off, 'deactivated');
    expect(heading(off)).to.equal('Two-factor authentication');
  });

  it('shows when TOTP was turned on and last used, in the element’s language', async () => {
    const createdAt = '2026-01-02T03:04:05Z';
    const lastUsedAt = '2026-11-30T12:00:00Z';
    const el = await fixture<TotpActivate>(
      html`<totp-activate lang="de" endpoint="/mfa" .fetch=${activeBackend({ lastUsedAt }).fetch}></totp-activate>`,
    );
    await untilState(el, 'active');
    const date = (iso: string) => new Intl.DateTimeFormat('de', { dateStyle: 'medium' }).format(new Date(iso));
    await waitUntil(() => heading(el) === 'Zwei-Faktor-Authentifizierung');
    expect(text(part(el, '[part~="dates"]'))).to.equal(
      `Aktiviert am ${date(createdAt)}. Zuletzt verwendet am ${date(lastUsedAt)}.`,
    );
  });

  it('shows only the dates the status has (never used yet)', async () => {
    const backend = activeBackend({ lastUsedAt: null });
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    const createdAt = status({ active: true }).body.totp.createdAt ?? '';
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(createdAt));
    expect(text(part(el, '[part~="dates"]'))).to.equal(`Turned on ${date}.`);
  });
});
