/**
 * `<totp-trusted-browsers>` against the real `createTotpHandler` (test/server/real-backend.mjs,
 * which trusts browsers): trust is minted only by a verify with the checkbox ticked, the element
 * lists it with the server's label and dates, marked "This browser" by the trust cookie the page
 * now sends, and revoking it removes it on the server.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { TotpActivate } from '../src/totp-activate/totp-activate.js';
import type { TotpTrustedBrowsers } from '../src/totp-trusted-browsers/totp-trusted-browsers.js';
import type { TotpVerify } from '../src/totp-verify/totp-verify.js';
import { part, parts, submit, text, type, untilState } from './helpers/dom.js';
import { totp } from './helpers/totp.js';

const ENDPOINT = '/real-mfa';
let users = 0;

/** A user of this file alone, with TOTP turned on through <totp-activate>; returns its recovery codes. */
async function activeUser(): Promise<{ headers: Record<string, string>; codes: string[] }> {
  const headers = { 'X-Test-User': `trusted-${Date.now()}-${++users}` };
  const el = await fixture<TotpActivate>(
    html`<totp-activate endpoint=${ENDPOINT} .headers=${headers}></totp-activate>`,
  );
  await untilState(el, 'setup');
  const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), await totp(secret));
  submit(el);
  await untilState(el, 'recovery-codes');
  return { headers, codes: parts(el, '[part~="recovery-code"]').map(text) };
}

/** Verifies with a recovery code, ticking "Don't ask again" when `trust`. */
async function verify(headers: Record<string, string>, code: string, trust: boolean): Promise<void> {
  const el = await fixture<TotpVerify>(
    html`<totp-verify endpoint=${ENDPOINT} trust-browser-days="14" .headers=${headers}></totp-verify>`,
  );
  await waitUntil(() => el.shadowRoot?.querySelector('[part~="trust-checkbox"]'), 'no trust checkbox');
  if (trust) part<HTMLInputElement>(el, '[part~="trust-checkbox"]').click();
  part<HTMLButtonElement>(el, '[part~="toggle"]').click();
  await el.updateComplete;
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), code);
  const verified = oneEvent(el, 'totp-verified');
  submit(el);
  await verified;
}

async function mount(headers: Record<string, string>): Promise<TotpTrustedBrowsers> {
  return fixture<TotpTrustedBrowsers>(
    html`<totp-trusted-browsers endpoint=${ENDPOINT} .headers=${headers}></totp-trusted-browsers>`,
  );
}

describe('<totp-trusted-browsers> against the real createTotpHandler', () => {
  it('is empty until a verify asks for trust; then lists it, marked as this browser (the __Host- cookie), and revokes it on the server', async () => {
    const { headers, codes } = await activeUser();
    const empty = await mount(headers);
    await untilState(empty, 'empty');

    await verify(headers, codes[0] ?? '', false);
    await untilState(await mount(headers), 'empty');

    await verify(headers, codes[1] ?? '', true);
    const el = await mount(headers);
    await untilState(el, 'list');
    expect(parts(el, '[part~="browser"]').length).to.equal(1);
    expect(text(part(el, '[part~="browser-label"]'))).to.match(/\S/);
    expect(text(part(el, '[part~="current"]'))).to.equal('This browser');
    const expires = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(
      new Date(Date.now() + 14 * 86_400_000),
    );
    expect(text(part(el, '[part~="browser-dates"]'))).to.contain(`expires ${expires}`);
    await expect(el).to.be.accessible();

    const revoked = oneEvent(el, 'totp-browser-revoked');
    part<HTMLButtonElement>(el, '[part~="revoke-button"]').click();
    expect((await revoked).detail.revoked).to.equal(1);
    await untilState(el, 'empty');
    await untilState(await mount(headers), 'empty');
  });

  it('revokes all after the confirm step', async () => {
    const { headers, codes } = await activeUser();
    await verify(headers, codes[0] ?? '', true);
    await verify(headers, codes[1] ?? '', true);
    const el = await mount(headers);
    await untilState(el, 'list');
    expect(parts(el, '[part~="browser"]').length).to.equal(2);
    part<HTMLButtonElement>(el, '[part~="revoke-all-button"]').click();
    await untilState(el, 'confirm');
    const revoked = oneEvent(el, 'totp-browser-revoked');
    part<HTMLButtonElement>(el, '[part~="confirm-button"]').click();
    expect((await revoked).detail).to.deep.equal({ all: true, revoked: 2 });
    await untilState(await mount(headers), 'empty');
  });
});
