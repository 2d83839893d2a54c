/**
 * The elements against the real `createTotpHandler` (MemoryStore), served by the test runner's
 * dev server on 127.0.0.1 (see test/server/real-backend.mjs). The test acts as the authenticator
 * app, computing codes from the key the element shows.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { TotpActivate } from '../src/totp-activate/totp-activate.js';
import type { TotpDeactivate } from '../src/totp-deactivate/totp-deactivate.js';
import type { TotpRecoveryCodes } from '../src/totp-recovery-codes/totp-recovery-codes.js';
import type { TotpVerify } from '../src/totp-verify/totp-verify.js';
import { part, parts, submit, text, type, untilState } from './helpers/dom.js';
import { totp } from './helpers/totp.js';

const ENDPOINT = '/real-mfa';
let users = 0;

/** A user nobody else uses, so each test starts with TOTP off. */
function newUser(prefix = 'user'): Record<string, string> {
  return { 'X-Test-User': `${prefix}-${Date.now()}-${++users}` };
}

/** Activates TOTP for `headers`' user through <totp-activate>; returns the recovery codes. */
async function activateThroughTheElement(headers: Record<string, string>): Promise<string[]> {
  const el = await fixture<TotpActivate>(
    html`<totp-activate endpoint=${ENDPOINT} .headers=${headers}></totp-activate>`,
  );
  await untilState(el, 'setup');
  const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), await totp(secret));
  submit(el);
  await untilState(el, 'recovery-codes');
  return parts(el, '[part~="recovery-code"]').map(text);
}

function useRecoveryCode(el: TotpVerify | TotpDeactivate | TotpRecoveryCodes, code: string) {
  part<HTMLButtonElement>(el, '[part~="toggle"]').click();
  return el.updateComplete.then(() => {
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), code);
    submit(el);
  });
}

describe('against the real createTotpHandler', () => {
  it('activates with a code from the app and shows ten recovery codes of the server’s shape', async () => {
    const headers = newUser();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint=${ENDPOINT} .headers=${headers}></totp-activate>`,
    );
    await untilState(el, 'setup');
    expect(part<HTMLImageElement>(el, 'img[part~="qr"]').src).to.match(/^data:image\/svg\+xml;base64,/);
    expect(text(part(el, '[part~="account"]'))).to.equal(
      `Account: ${headers['X-Test-User']}@example.com (totpkit elements test)`,
    );
    const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), await totp(secret));
    const activated = oneEvent(el, 'totp-activated');
    submit(el);
    expect((await activated).detail).to.deep.equal({ recoveryCodeCount: 10 });
    await untilState(el, 'recovery-codes');
    const codes = parts(el, '[part~="recovery-code"]').map(text);
    expect(codes).to.have.length(10);
    for (const code of codes) expect(code).to.match(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

    const again = await fixture<TotpActivate>(
      html`<totp-activate endpoint=${ENDPOINT} .headers=${headers}></totp-activate>`,
    );
    await untilState(again, 'active');
  });

  it('answers a wrong code with invalid_code, shown on the input', async () => {
    const headers = newUser();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint=${ENDPOINT} .headers=${headers}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
    const wrong = String((Number(await totp(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), wrong);
    const error = oneEvent(el, 'totp-error');
    submit(el);
    expect((await error).detail).to.include({ code: 'invalid_code', status: 400, endpoint: 'activate' });
    await waitUntil(() => part(el, 'input[part~="input"]').getAttribute('aria-invalid') === 'true');
  });

  it('verifies a login with a recovery code and counts what is left', async () => {
    const headers = newUser();
    const [code] = await activateThroughTheElement(headers);
    const el = await fixture<TotpVerify>(html`<totp-verify endpoint=${ENDPOINT} .headers=${headers}></totp-verify>`);
    const verified = oneEvent(el, 'totp-verified');
    await useRecoveryCode(el, code ?? '');
    expect((await verified).detail).to.deep.equal({
      method: 'recovery_code',
      recoveryCodesLeft: 9,
      recoveryCodesLow: false,
    });
  });

  it('regenerates the recovery codes after a recovery code, and the old set stops working', async () => {
    const headers = newUser();
    const old = await activateThroughTheElement(headers);
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes endpoint=${ENDPOINT} .headers=${headers}></totp-recovery-codes>`,
    );
    await untilState(el, 'overview');
    expect(text(part(el, '[part~="count"]'))).to.equal('10 of 10 recovery codes unused.');
    part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
    await untilState(el, 'confirm');
    await useRecoveryCode(el, old[0] ?? '');
    await untilState(el, 'codes');
    const fresh = parts(el, '[part~="recovery-code"]').map(text);
    expect(fresh).to.have.length(10);
    expect(fresh.filter((code) => old.includes(code))).to.deep.equal([]);

    const verify = await fixture<TotpVerify>(
      html`<totp-verify endpoint=${ENDPOINT} .headers=${headers}></totp-verify>`,
    );
    await useRecoveryCode(verify, old[1] ?? '');
    await waitUntil(() => text(part(verify, '[part~="error"]')) !== '');
    expect(text(part(verify, '[part~="error"]'))).to.equal('That recovery code did not work. Check it and try again.');
  });

  it('deactivates with a recovery code', async () => {
    const headers = newUser();
    const [, code] = await activateThroughTheElement(headers);
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate endpoint=${ENDPOINT} .headers=${headers}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    const deactivated = oneEvent(el, 'totp-deactivated');
    await useRecoveryCode(el, code ?? '');
    expect((await deactivated).detail).to.deep.equal({ method: 'recovery_code' });
    await untilState(el, 'deactivated');
  });

  it('asks a user who must reauthenticate to do so before any QR code', async () => {
    const headers = newUser('reauth');
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint=${ENDPOINT} .headers=${headers}></totp-activate>`,
    );
    const event = await oneEvent(el, 'totp-reauthentication-required');
    expect(event.detail.action).to.equal('setup');
    await untilState(el, 'reauthenticate');
    expect(el.shadowRoot?.querySelector('[part~="qr"]')).to.equal(null);
  });

  it('confirms it’s the user with purpose="reauthenticate", and the recovery code used is spent', async () => {
    const headers = newUser();
    const [code] = await activateThroughTheElement(headers);
    const el = await fixture<TotpVerify>(
      html`<totp-verify endpoint=${ENDPOINT} purpose="reauthenticate" .headers=${headers}></totp-verify>`,
    );
    const reauthenticated = oneEvent(el, 'totp-reauthenticated');
    await useRecoveryCode(el, code ?? '');
    expect((await reauthenticated).detail).to.deep.equal({ method: 'recovery_code', recoveryCodesLeft: 9 });
    await untilState(el, 'verified');

    const again = await fixture<TotpVerify>(
      html`<totp-verify endpoint=${ENDPOINT} purpose="reauthenticate" .headers=${headers}></totp-verify>`,
    );
    await useRecoveryCode(again, code ?? '');
    await waitUntil(() => text(part(again, '[part~="error"]')) !== '');
    expect(text(part(again, '[part~="error"]'))).to.equal('That recovery code did not work. Check it and try again.');
  });

  it('offers "Don’t ask again" for the server’s maxDays, and verify answers when the trust ends', async () => {
    const headers = newUser();
    const [code] = await activateThroughTheElement(headers);
    const el = await fixture<TotpVerify>(
      html`<totp-verify endpoint=${ENDPOINT} trust-browser-days="30" .headers=${headers}></totp-verify>`,
    );
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="trust-checkbox"]'), 'no checkbox');
    expect(text(part(el, '[part~="trust"]'))).to.equal('Don’t ask again on this browser for 14 days');
    part<HTMLInputElement>(el, '[part~="trust-checkbox"]').click();
    const verified = oneEvent(el, 'totp-verified');
    await useRecoveryCode(el, code ?? '');
    const { trustedUntil } = (await verified).detail;
    const days = (Date.parse(trustedUntil ?? '') - Date.now()) / 86_400_000;
    expect(days).to.be.within(13.9, 14.1);
  });

  it('a stale login deactivates with one code: the right code is the reauthentication (protocol rule 5)', async () => {
    const headers = newUser();
    const [code] = await activateThroughTheElement(headers);
    const required: Event[] = [];
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate endpoint=${ENDPOINT} .headers=${{ ...headers, 'X-Test-Stale-Login': '1' }}
        @totp-reauthentication-required=${(event: Event) => required.push(event)}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    const deactivated = oneEvent(el, 'totp-deactivated');
    await useRecoveryCode(el, code ?? '');
    await deactivated;
    expect(required).to.deep.equal([]);

    // The control: the same stale login with TOTP off, where no code can confirm, must sign in again.
    const activate = await fixture<TotpActivate>(
      html`<totp-activate endpoint=${ENDPOINT} .headers=${{ ...headers, 'X-Test-Stale-Login': '1' }}></totp-activate>`,
    );
    expect((await oneEvent(activate, 'totp-reauthentication-required')).detail.action).to.equal('setup');
  });

  it('locks after repeated wrong codes and counts down from the server’s retryAfter', async () => {
    const headers = newUser();
    await activateThroughTheElement(headers);
    const el = await fixture<TotpVerify>(html`<totp-verify endpoint=${ENDPOINT} .headers=${headers}></totp-verify>`);
    let limited: CustomEvent | undefined;
    el.addEventListener('totp-error', (event) => {
      if (event.detail.code === 'rate_limited') limited = event;
    });
    for (let attempt = 0; attempt < 10 && !limited; attempt++) {
      type(part<HTMLInputElement>(el, 'input[part~="input"]'), '000000');
      submit(el);
      await oneEvent(el, 'totp-error');
    }
    expect(limited?.detail.retryAfter).to.be.a('number').and.above(0);
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="countdown"]'));
    expect(part<HTMLButtonElement>(el, '[part~="submit"]').disabled).to.equal(true);
  });

  it('tells a page with a wrong endpoint what is wrong', async () => {
    const el = await fixture<TotpActivate>(html`<totp-activate endpoint="/no-such-mfa"></totp-activate>`);
    const error = await oneEvent(el, 'totp-error');
    expect(error.detail.code).to.equal('invalid_response');
    expect(error.detail.message).to.contain('GET /no-such-mfa/status answered 404');
  });
});
