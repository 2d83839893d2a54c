import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ErrorCode } from '@totpkit/protocol';
import '../../src/totp-deactivate/totp-deactivate.js';
import type { TotpDeactivate } from '../../src/totp-deactivate/totp-deactivate.js';
import { failure, StubBackend, status } from '../helpers/backend.js';
import { part, text, untilState } from '../helpers/dom.js';

async function mount(backend: StubBackend) {
  return fixture<TotpDeactivate>(html`<totp-deactivate endpoint="/mfa" .fetch=${backend.fetch}></totp-deactivate>`);
}

describe('loading and failures shared by every element', () => {
  it('says it is loading while the status is on its way', async () => {
    const backend = new StubBackend().on('GET /status', status({ active: true }));
    const release = backend.hold('GET /status');
    const el = await mount(backend);
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    expect(text(part(el, '[part~="message"]'))).to.equal('Loading…');
    release();
    await untilState(el, 'confirm');
  });

  const messages: [ErrorCode, string][] = [
    ['unauthenticated', 'You are signed out. Sign in and try again.'],
    ['forbidden', 'Something went wrong.'],
    ['internal_error', 'Something went wrong.'],
    ['not_found', 'Something went wrong.'],
    ['invalid_request', 'Something went wrong.'],
    ['method_not_allowed', 'Something went wrong.'],
    ['payload_too_large', 'Something went wrong.'],
    ['unsupported_media_type', 'Something went wrong.'],
  ];
  for (const [code, message] of messages) {
    it(`${code} while loading: the error state says “${message}” and offers a retry`, async () => {
      const backend = new StubBackend().on('GET /status', failure(code), status({ active: true }));
      const el = await mount(backend);
      const event = await oneEvent(el, 'totp-error');
      expect(event.detail).to.include({ code, endpoint: 'status' });
      await untilState(el, 'error');
      expect(text(part(el, '[part~="error"]'))).to.equal(message);
      part<HTMLButtonElement>(el, '[part~="retry-button"]').click();
      await untilState(el, 'confirm');
    });
  }

  it('rate_limited while loading: the retry waits for the countdown', async () => {
    const el = await mount(new StubBackend().on('GET /status', failure('rate_limited', { retryAfter: 20 })));
    await untilState(el, 'error');
    expect(text(part(el, '[part~="countdown"]'))).to.equal('You can try again in 20 seconds.');
    expect(part<HTMLButtonElement>(el, '[part~="retry-button"]').disabled).to.equal(true);
  });

  it('drops an answer that arrives after reload()', async () => {
    const backend = new StubBackend().on('GET /status', status({ active: false }), status({ active: true }));
    const release = backend.hold('GET /status');
    const el = await mount(backend);
    const states: string[] = [];
    el.addEventListener('totp-state-change', (event) => states.push(event.detail.state));
    await el.updateComplete;
    el.reload();
    release();
    await untilState(el, 'confirm');
    expect(backend.callsTo('GET /status')).to.have.length(2);
    // The first answer (TOTP off) came first but belonged to the load that reload() replaced.
    expect(states).not.to.include('inactive');
  });
});
