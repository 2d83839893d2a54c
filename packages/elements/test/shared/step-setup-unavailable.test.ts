/**
 * The setup view of `<totp-activate>` loads on demand. When it cannot be loaded, the element
 * reports it like a network failure and asks for no setup (no secret is made for nothing).
 * A file of its own: Chromium keeps a module that failed to load failed for the rest of the page.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/totp-activate/totp-activate.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import { inactiveBackend } from '../helpers/backend.js';
import { part, text, untilState } from '../helpers/dom.js';

describe('a step whose module cannot be loaded: the setup view', () => {
  before(async () => {
    // An earlier page may have the module in the browser cache; this page must ask the server.
    await executeServerCommand('disable-cache');
    await cookieStore.set({ name: 'totpkit-unavailable', value: 'setup-step', path: '/' });
  });
  after(() => cookieStore.delete({ name: 'totpkit-unavailable', path: '/' }));

  it('<totp-activate> shows a network failure and makes no setup', async () => {
    const backend = inactiveBackend();
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${backend.fetch}></totp-activate>`,
    );
    const event = await oneEvent(el, 'totp-error');
    expect(event.detail).to.include({ code: 'network_error', endpoint: 'setup' });
    await untilState(el, 'error');
    expect(text(part(el, '[part~="error"]'))).to.equal(
      'The server could not be reached. Check your connection and try again.',
    );
    expect(backend.callsTo('POST /totp/setup')).to.have.length(0);
  });
});
