/**
 * The reauthenticate state leads somewhere: a link to the page's sign-in (`reauthenticate-url`,
 * with `next` back here), or the page's own dialog on `totp-reauthentication-required`, whose
 * `retry()` then tries the action again.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import type { TotpDeactivate } from '../../src/totp-deactivate/totp-deactivate.js';
import type { TotpRecoveryCodes } from '../../src/totp-recovery-codes/totp-recovery-codes.js';
import { CODES, inactiveBackend, StubBackend, status } from '../helpers/backend.js';
import { part, text, untilState } from '../helpers/dom.js';

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
});
