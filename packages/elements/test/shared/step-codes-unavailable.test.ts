/**
 * The new recovery codes' module loads on demand (the setup view is part of `<totp-activate>`
 * itself, so that the setup call follows the status with no request in between). When it cannot
 * be loaded, the element reports it like a network failure and, above all, never sends
 * the request whose answer it could not show: recovery codes are shown only once.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/totp-activate/totp-activate.js';
import '../../src/totp-recovery-codes/totp-recovery-codes.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import type { TotpRecoveryCodes } from '../../src/totp-recovery-codes/totp-recovery-codes.js';
import { inactiveBackend, StubBackend, status } from '../helpers/backend.js';
import { part, submit, text, type, untilState } from '../helpers/dom.js';

/**
 * Makes the test server fail every request for a module whose path contains `name`. Chromium keeps
 * a module that loaded (or failed) for the rest of the page, so the module is made unavailable in
 * this test file only, before anything loads it.
 */
async function makeUnavailable(name: string): Promise<void> {
  // An earlier page may have the module in the browser cache; this page must ask the server.
  await executeServerCommand('disable-cache');
  await cookieStore.set({ name: 'totpkit-unavailable', value: name, path: '/' });
}

describe('a step whose module cannot be loaded: the new recovery codes', () => {
  afterEach(() => cookieStore.delete({ name: 'totpkit-unavailable', path: '/' }));

  it('<totp-activate>: the code is not sent when the codes could not be shown', async () => {
    await makeUnavailable('recovery-codes-list');
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    const event = oneEvent(el, 'totp-error');
    submit(el);
    expect((await event).detail).to.include({ code: 'network_error', endpoint: 'activate' });
    await el.updateComplete;
    expect(text(part(el, '[part~="error"]'))).to.equal(
      'The server could not be reached. Check your connection and try again.',
    );
    expect(el.state).to.equal('setup');
    expect(backend.callsTo('POST /totp/activate')).to.have.length(0);
  });

  it('<totp-recovery-codes>: no new codes are asked for when they could not be shown', async () => {
    await makeUnavailable('recovery-codes-list');
    const backend = new StubBackend().on('GET /status', status({ active: true }));
    const el = await fixture<TotpRecoveryCodes>(
      html`<totp-recovery-codes endpoint="/mfa" .fetch=${backend.fetch}></totp-recovery-codes>`,
    );
    await untilState(el, 'overview');
    part<HTMLButtonElement>(el, '[part~="regenerate-button"]').click();
    await untilState(el, 'confirm');
    type(part<HTMLInputElement>(el, 'input[part~="input"]'), '123456');
    const event = oneEvent(el, 'totp-error');
    submit(el);
    expect((await event).detail).to.include({ code: 'network_error', endpoint: 'regenerateRecoveryCodes' });
    expect(el.state).to.equal('confirm');
    expect(backend.callsTo('POST /recovery-codes/regenerate')).to.have.length(0);
  });
});
