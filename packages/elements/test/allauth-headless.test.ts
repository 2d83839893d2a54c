/**
 * The four elements with `protocol="allauth-headless"` against the fake django-allauth headless
 * server (test/server/fake-allauth.mjs, written from the measured 0.63.6 API), same-origin on the
 * test runner's dev server: real fetches, real cookies, Django's CSRF check. Each test makes its
 * own user and session, with the session's clock frozen at NOW, so the test (as the authenticator
 * app) computes codes for a known step.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { TotpErrorDetail } from '../src/shared/events.js';
import type { TotpActivate } from '../src/totp-activate/totp-activate.js';
import type { TotpDeactivate } from '../src/totp-deactivate/totp-deactivate.js';
import type { TotpRecoveryCodes } from '../src/totp-recovery-codes/totp-recovery-codes.js';
import type { TotpVerify } from '../src/totp-verify/totp-verify.js';
import { part, parts, submit, text, type, untilState } from './helpers/dom.js';
import { totp } from './helpers/totp.js';

const BASE = '/fake-allauth/_allauth/browser/v1';
/** The middle of a 30 s step, so NOW ± 10 s stays in it. */
const NOW = 1_796_377_125;
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let users = 0;

interface SessionOptions {
  totp?: string;
  noCsrf?: boolean;
  pending?: boolean;
  stale?: boolean;
  issuer?: string;
}

/** A new user and a signed-in session for it (see the fake's test routes); the user's recovery codes. */
async function session(options: SessionOptions = {}): Promise<{ username: string; codes: string[] }> {
  const username = `ada${Date.now()}x${++users}`;
  const response = await fetch('/fake-allauth/__test/session', {
    method: 'POST',
    body: JSON.stringify({ username, now: NOW, ...options }),
  });
  const { data } = await response.json();
  return { username, codes: data.codes };
}

const csrf = () => document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/)?.[1] ?? '';

/** A call the way allauth's own front end makes it. */
function call(method: string, path: string, body?: unknown, token = csrf()): Promise<Response> {
  const headers: Record<string, string> = { 'X-CSRFToken': token, 'Content-Type': 'application/json' };
  return fetch(BASE + path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
}

function enter(el: TotpActivate | TotpDeactivate | TotpRecoveryCodes | TotpVerify, code: string): void {
  type(part<HTMLInputElement>(el, 'input[part~="input"]'), code);
  submit(el);
}

async function useRecoveryCode(el: TotpDeactivate | TotpVerify, code: string): Promise<void> {
  part<HTMLButtonElement>(el, '[part~="toggle"]').click();
  await el.updateComplete;
  enter(el, code);
}

const formError = (el: TotpActivate | TotpDeactivate | TotpRecoveryCodes | TotpVerify) =>
  text(part(el, '[part~="error"]'));

describe('protocol="allauth-headless": <totp-activate>', () => {
  it('builds the otpauth URL with the issuer, draws the QR code, activates and shows the 8-digit codes', async () => {
    const { username } = await session();
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint=${BASE} issuer="Example Co" app-link="show"></totp-activate>`,
    );
    await untilState(el, 'setup');
    expect(text(part(el, '[part~="account"]'))).to.equal(`Account: ${username}@example.com (Example Co)`);
    // allauth sends no image: the element's encoder drew it.
    await waitUntil(
      () => el.shadowRoot?.querySelector('img[part~="qr"]')?.getAttribute('src')?.startsWith('data:image/svg+xml,'),
      'no QR code',
    );
    const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    const link = part<HTMLAnchorElement>(el, '[part~="app-link"]').getAttribute('href') ?? '';
    expect(link).to.equal(
      `otpauth://totp/Example%20Co:${username}%40example.com?secret=${secret}&issuer=Example+Co&algorithm=SHA1&digits=6&period=30`,
    );

    const activated = oneEvent(el, 'totp-activated');
    // allauth only trims; the transport strips the inner space.
    const code = await totp(secret, NOW);
    enter(el, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect((await activated).detail).to.deep.equal({ recoveryCodeCount: 10 });
    await untilState(el, 'recovery-codes');
    const codes = parts(el, '[part~="recovery-code"]').map(text);
    expect(codes).to.have.length(10);
    for (const each of codes) expect(each).to.match(/^\d{8}$/);
    // The same codes the server lists, and the intro says they can be shown again.
    const listed = await (await call('GET', '/account/authenticators/recovery-codes')).json();
    expect(listed.data.unused_codes).to.deep.equal(codes);
    expect(text(part(el, '[part~="description"]'))).to.contain('show the unused ones again');
  });

  it('takes the label and issuer of totp_url when the server sends one (allauth 64+)', async () => {
    const { username } = await session({ issuer: 'Django Site' });
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint=${BASE} issuer="Ignored"></totp-activate>`,
    );
    await untilState(el, 'setup');
    expect(text(part(el, '[part~="account"]'))).to.equal(`Account: ${username}@example.com (Django Site)`);
  });

  it('is active at load when the authenticators list has TOTP', async () => {
    await session({ totp: SECRET });
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint=${BASE}></totp-activate>`,
    );
    await untilState(el, 'active');
    expect(text(part(el, '[part~="dates"]'))).to.match(/^Turned on /);
  });

  it('checks the state before activating: TOTP turned on meanwhile is "active", never allauth’s 500', async () => {
    await session();
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint=${BASE}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
    // Another tab activates with the same pending secret.
    expect((await call('POST', '/account/authenticators/totp', { code: await totp(secret, NOW) })).status).to.equal(
      200,
    );
    enter(el, await totp(secret, NOW));
    await untilState(el, 'active');
  });

  it('says a wrong code on the form (incorrect_code is invalid_code)', async () => {
    await session();
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint=${BASE}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const failed = oneEvent(el, 'totp-error');
    enter(el, '000000');
    const detail = (await failed).detail as TotpErrorDetail;
    expect([detail.code, detail.status]).to.deep.equal(['invalid_code', 400]);
    await el.updateComplete;
    expect(formError(el)).to.equal('That code did not work. Check your app and try again.');
  });

  it('asks for a recent sign-in when allauth answers the 401 with reauthenticate flows', async () => {
    await session({ stale: true });
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint=${BASE}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const secret = text(part(el, '[part~="secret"]')).replace(/\s/g, '');
    const asked = oneEvent(el, 'totp-reauthentication-required');
    enter(el, await totp(secret, NOW));
    expect((await asked).detail.action).to.equal('activate');
    await untilState(el, 'reauthenticate');
  });
});

describe('protocol="allauth-headless": <totp-deactivate>', () => {
  it('sends the code to 2fa/reauthenticate, then deletes, even with a stale sign-in', async () => {
    await session({ totp: SECRET, stale: true });
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate protocol="allauth-headless" endpoint=${BASE}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    const done = oneEvent(el, 'totp-deactivated');
    enter(el, await totp(SECRET, NOW));
    expect((await done).detail).to.deep.equal({ method: 'totp' });
    await untilState(el, 'deactivated');
    expect((await (await call('GET', '/account/authenticators')).json()).data).to.deep.equal([]);
  });

  it('takes an 8-digit recovery code, typed with a dash, and says so in the hint', async () => {
    const { codes } = await session({ totp: SECRET });
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate protocol="allauth-headless" endpoint=${BASE}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    part<HTMLButtonElement>(el, '[part~="toggle"]').click();
    const hint = 'Enter one of your unused 8-digit recovery codes.';
    await waitUntil(() => text(part(el, '[part~="hint"]')) === hint, `hint: ${text(part(el, '[part~="hint"]'))}`);
    const done = oneEvent(el, 'totp-deactivated');
    const code = codes[0] as string;
    enter(el, `${code.slice(0, 4)}-${code.slice(4)}`);
    expect((await done).detail).to.deep.equal({ method: 'recovery_code' });
  });

  it('keeps TOTP on after a wrong code, and counts down after too_many_login_attempts', async () => {
    await session({ totp: SECRET });
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate protocol="allauth-headless" endpoint=${BASE}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    const codes: string[] = [];
    el.addEventListener('totp-error', (event) => codes.push((event as CustomEvent<TotpErrorDetail>).detail.code));
    for (let attempt = 1; attempt <= 6; attempt++) {
      const failed = oneEvent(el, 'totp-error');
      enter(el, '000000');
      await failed;
      await el.updateComplete;
    }
    expect(codes).to.deep.equal([...Array(5).fill('invalid_code'), 'rate_limited']);
    // allauth sends no retry time: the element's default wait.
    expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 30 seconds.');
    expect((await (await call('GET', '/account/authenticators')).json()).data).to.have.length(2);
  });

  it('names a CSRF failure (Django’s 403 HTML page) instead of a blank error', async () => {
    await session({ totp: SECRET });
    // A proxy that drops the header: Django refuses the DELETE with its HTML page.
    const withoutToken: typeof fetch = (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.delete('X-CSRFToken');
      return fetch(input, { ...init, headers });
    };
    const el = await fixture<TotpDeactivate>(
      html`<totp-deactivate protocol="allauth-headless" endpoint=${BASE} .fetch=${withoutToken}></totp-deactivate>`,
    );
    await untilState(el, 'confirm');
    const failed = oneEvent(el, 'totp-error');
    enter(el, await totp(SECRET, NOW));
    const detail = (await failed).detail as TotpErrorDetail;
    expect([detail.code, detail.status]).to.deep.equal(['forbidden', 403]);
    expect(detail.message).to.contain('without JSON').and.contain('CSRF');
  });
});

describe('protocol="allauth-headless": <totp-recovery-codes>', () => {
  it('counts the codes from the authenticators list and regenerates after a code', async () => {
    const { codes: old } = await session({ totp: SECRET, stale: true });
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes protocol="allauth-headless" endpoint=${BASE}></totp-recovery-codes>`,
    );
    await untilState(el, 'overview');
    expect(text(part(el, '[part~="count"]'))).to.equal('10 of 10 recovery codes unused.');
    part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
    await untilState(el, 'confirm');
    enter(el, await totp(SECRET, NOW));
    await untilState(el, 'codes');
    const codes = parts(el, '[part~="recovery-code"]').map(text);
    expect(codes).to.have.length(10);
    expect(codes).not.to.include.members(old.slice(0, 1));
    for (const each of codes) expect(each).to.match(/^\d{8}$/);
  });

  it('is inactive without TOTP', async () => {
    await session();
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes protocol="allauth-headless" endpoint=${BASE}></totp-recovery-codes>`,
    );
    await untilState(el, 'inactive');
  });
});

describe('protocol="allauth-headless": <totp-verify>', () => {
  it('completes the pending login with a TOTP code, and reads the codes left after the CSRF rotation', async () => {
    await session({ totp: SECRET, pending: true });
    const before = csrf();
    const el = await fixture<TotpVerify>(
      html`<totp-verify protocol="allauth-headless" endpoint=${BASE}></totp-verify>`,
    );
    const verified = oneEvent(el, 'totp-verified');
    enter(el, await totp(SECRET, NOW));
    expect((await verified).detail).to.deep.equal({ method: 'totp', recoveryCodesLeft: 10, recoveryCodesLow: false });
    expect(csrf()).to.have.length(64).and.not.equal(before);
  });

  it('fetches a CSRF cookie from GET /config when there is none', async () => {
    await session({ totp: SECRET, pending: true, noCsrf: true });
    // biome-ignore lint/suspicious/noDocumentCookie: a page that has no token yet
    document.cookie = 'csrftoken=; path=/; max-age=0';
    const el = await fixture<TotpVerify>(
      html`<totp-verify protocol="allauth-headless" endpoint=${BASE}></totp-verify>`,
    );
    const verified = oneEvent(el, 'totp-verified');
    enter(el, await totp(SECRET, NOW));
    expect((await verified).detail.method).to.equal('totp');
  });

  it('takes a recovery code: the method from the last entry of data.methods', async () => {
    const { codes } = await session({ totp: SECRET, pending: true });
    const el = await fixture<TotpVerify>(
      html`<totp-verify protocol="allauth-headless" endpoint=${BASE}></totp-verify>`,
    );
    const verified = oneEvent(el, 'totp-verified');
    await useRecoveryCode(el, codes[3] as string);
    expect((await verified).detail).to.deep.equal({
      method: 'recovery_code',
      recoveryCodesLeft: 9,
      recoveryCodesLow: false,
    });
  });

  it('says a wrong code, and a replayed one, on the form', async () => {
    await session({ totp: SECRET, pending: true });
    const el = await fixture<TotpVerify>(
      html`<totp-verify protocol="allauth-headless" endpoint=${BASE}></totp-verify>`,
    );
    const failed = oneEvent(el, 'totp-error');
    enter(el, '000000');
    expect(((await failed).detail as TotpErrorDetail).code).to.equal('invalid_code');
    await el.updateComplete;
    expect(formError(el)).to.equal('That code did not work. Check your app and try again.');
  });

  it('is unauthenticated when nothing is pending (allauth’s 401 with is_authenticated null)', async () => {
    await session({ totp: SECRET });
    const el = await fixture<TotpVerify>(
      html`<totp-verify protocol="allauth-headless" endpoint=${BASE}></totp-verify>`,
    );
    const failed = oneEvent(el, 'totp-error');
    enter(el, await totp(SECRET, NOW));
    const detail = (await failed).detail as TotpErrorDetail;
    expect([detail.code, detail.status]).to.deep.equal(['unauthenticated', 401]);
  });
});

describe('protocol="allauth-headless": configuration', () => {
  it('refuses an unknown protocol and sends nothing', async () => {
    const el = document.createElement('totp-activate');
    const failed = oneEvent(el, 'totp-error');
    el.setAttribute('protocol', 'graphql');
    el.setAttribute('endpoint', BASE);
    document.body.append(el);
    try {
      const detail = (await failed).detail as TotpErrorDetail;
      expect(detail.message).to.equal('<totp-activate> has an unknown protocol. Nothing was sent.');
      await untilState(el, 'error');
    } finally {
      el.remove();
    }
  });

  it('names an endpoint that is not the headless base (Django’s 404 HTML page)', async () => {
    await session();
    const el = await fixture<TotpActivate>(
      html`<totp-activate protocol="allauth-headless" endpoint="/fake-allauth/_allauth/v1"></totp-activate>`,
    );
    await untilState(el, 'error');
    const failed = oneEvent(el, 'totp-error');
    el.reload();
    const detail = (await failed).detail as TotpErrorDetail;
    expect([detail.code, detail.status]).to.deep.equal(['not_found', 404]);
    expect(detail.message).to.contain('is endpoint the headless base');
  });

  it('takes a client of the page’s own, which answers in the protocol’s shapes', async () => {
    const calls: string[] = [];
    const el = await fixture<TotpRecoveryCodes>(html`<totp-recovery-codes endpoint="/own"></totp-recovery-codes>`);
    el.client = async (_options, name) => {
      calls.push(name);
      throw Object.assign(new Error('the page’s backend is down'), { code: 'unavailable', status: 503 });
    };
    el.reload();
    await untilState(el, 'error');
    expect(calls).to.include('status');
    expect(text(part(el, '[part~="error"]'))).to.equal(
      'The service is unavailable right now. Please try again in a moment.',
    );
  });
});

describe('the fake allauth server answers as the reference measured', () => {
  it('403 HTML without the CSRF token, a new token after 2fa/authenticate, 401 when nothing is pending', async () => {
    await session({ totp: SECRET, pending: true });
    const refused = await call('POST', '/auth/2fa/authenticate', { code: '123456' }, 'wrong');
    expect([refused.status, refused.headers.get('Content-Type')]).to.deep.equal([403, 'text/html; charset=utf-8']);
    const old = csrf();
    expect((await call('POST', '/auth/2fa/authenticate', { code: await totp(SECRET, NOW) })).status).to.equal(200);
    expect(csrf()).not.to.equal(old);
    expect((await call('POST', '/auth/2fa/reauthenticate', { code: '000000' }, old)).status).to.equal(403);
    const nothing = await call('POST', '/auth/2fa/authenticate', { code: await totp(SECRET, NOW) });
    expect(await nothing.json()).to.deep.equal({
      status: 401,
      data: { flows: [{ id: 'login' }, { id: 'signup' }] },
      meta: { is_authenticated: null },
    });
  });

  it('a new secret on every GET totp; 500 HTML on a second activation; 404 recovery codes without TOTP', async () => {
    await session();
    const first = await (await call('GET', '/account/authenticators/totp')).json();
    const second = await call('GET', '/account/authenticators/totp');
    const { meta } = await second.json();
    expect(second.status).to.equal(404);
    expect(meta.secret)
      .to.match(/^[A-Z2-7]{32}$/)
      .and.not.equal(first.meta.secret);
    expect((await call('GET', '/account/authenticators/recovery-codes')).status).to.equal(404);
    const code = await totp(meta.secret, NOW);
    expect((await call('POST', '/account/authenticators/totp', { code: ` ${code} ` })).status).to.equal(200);
    const again = await call('POST', '/account/authenticators/totp', { code });
    expect([again.status, again.headers.get('Content-Type')]).to.deep.equal([500, 'text/html; charset=utf-8']);
    expect((await call('DELETE', '/account/authenticators/totp')).status).to.equal(200);
    expect((await call('DELETE', '/account/authenticators/totp')).status).to.equal(200);
    const regenerate = await call('POST', '/account/authenticators/recovery-codes', {});
    expect((await regenerate.json()).errors[0].code).to.equal('cannot_generate_recovery_codes');
  });

  it('400 with an empty HTML body for a body that is not JSON; 404 HTML for an unknown path', async () => {
    await session();
    const bad = await fetch(`${BASE}/auth/reauthenticate`, {
      method: 'POST',
      headers: { 'X-CSRFToken': csrf() },
      body: '{',
    });
    expect([bad.status, await bad.text()]).to.deep.equal([400, '']);
    const unknown = await fetch(`${BASE}/account/nothing`);
    expect([unknown.status, unknown.headers.get('Content-Type')]).to.deep.equal([404, 'text/html; charset=utf-8']);
  });
});
