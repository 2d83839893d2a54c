import { expect } from '@open-wc/testing';
import { callEndpoint, TotpRequestError } from '../../src/shared/client.js';
import { failure, SECRET, StubBackend, setup, status } from '../helpers/backend.js';

async function rejection(promise: Promise<unknown>): Promise<TotpRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TotpRequestError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function raw(status: number, body: string, contentType: string | null): Response {
  const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};
  return new Response(body, { status, headers });
}

describe('protocol client', () => {
  it('sends the protocol header, JSON, same-origin credentials and the extra headers', async () => {
    const backend = new StubBackend().on('POST /verify', { body: { method: 'totp', recoveryCodesLeft: 3 } });
    const result = await callEndpoint(
      {
        endpoint: '/mfa/',
        fetch: backend.fetch,
        headers: { Authorization: 'Bearer abc' },
        csrfHeader: 'X-CSRFToken',
        csrfToken: 'token-1',
      },
      'verify',
      { code: '123456' },
    );
    expect(result).to.deep.equal({ method: 'totp', recoveryCodesLeft: 3 });
    const [call] = backend.calls;
    expect(call?.url).to.equal('/mfa/verify');
    expect(call?.credentials).to.equal('same-origin');
    expect(call?.headers.get('Totpkit-Protocol')).to.equal('1');
    expect(call?.headers.get('Content-Type')).to.equal('application/json');
    expect(call?.headers.get('Authorization')).to.equal('Bearer abc');
    expect(call?.headers.get('X-CSRFToken')).to.equal('token-1');
    expect(call?.body).to.deep.equal({ code: '123456' });
  });

  it('sends a GET without a body or a Content-Type', async () => {
    const backend = new StubBackend().on('GET /status', status());
    await callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status');
    expect(backend.calls[0]?.method).to.equal('GET');
    expect(backend.calls[0]?.headers.has('Content-Type')).to.equal(false);
    expect(backend.calls[0]?.headers.get('Totpkit-Protocol')).to.equal('1');
  });

  it('uses the global fetch when none is given, called as a plain function', async () => {
    const original = window.fetch;
    let seenThis: unknown = 'unset';
    window.fetch = function (this: unknown) {
      seenThis = this;
      return Promise.resolve(
        new Response(JSON.stringify(status().body), { headers: { 'Content-Type': 'application/json' } }),
      );
    } as typeof fetch;
    try {
      await callEndpoint({ endpoint: '/mfa' }, 'status');
    } finally {
      window.fetch = original;
    }
    expect(seenThis).to.equal(undefined);
  });

  it('turns a protocol error into its code, with retryAfter', async () => {
    const backend = new StubBackend().on('POST /verify', failure('rate_limited', { retryAfter: 12 }));
    const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'verify', { code: '1' }));
    expect(error.code).to.equal('rate_limited');
    expect(error.status).to.equal(429);
    expect(error.retryAfter).to.equal(12);
  });

  it('treats an error code from a later protocol version by its status class', async () => {
    const body = { error: { code: 'quantum_entanglement', message: 'new in v2' } };
    const backend = new StubBackend()
      .on('GET /status', { status: 502, body })
      .on('POST /verify', { status: 422, body });
    const server = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status'));
    expect(server.code).to.equal('internal_error');
    const client = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'verify', { code: '1' }));
    expect(client.code).to.equal('invalid_request');
    expect(client.message).to.contain('unknown error code "quantum_entanglement"');
  });

  it('reports a failed fetch as network_error', async () => {
    const backend = new StubBackend().on('GET /status', new TypeError('Failed to fetch'));
    const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status'));
    expect(error.code).to.equal('network_error');
    expect(error.status).to.equal(null);
    expect(error.message).to.equal('GET /mfa/status failed: Failed to fetch');
  });

  describe('off-protocol answers', () => {
    it('names a wrong endpoint that answers HTML', async () => {
      const backend = new StubBackend().on('GET /status', raw(404, '<!doctype html><h1>Not found</h1>', 'text/html'));
      const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status'));
      expect(error.code).to.equal('invalid_response');
      expect(error.message).to.equal(
        'GET /mfa/status answered 404 with Content-Type text/html, not protocol JSON; is the endpoint attribute right?',
      );
    });

    it('takes a proxy’s HTML 503 for an unavailable backend', async () => {
      const backend = new StubBackend().on('GET /status', raw(503, '<h1>Service Unavailable</h1>', 'text/html'));
      const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status'));
      expect(error.code).to.equal('unavailable');
    });

    it('names a body that is not JSON', async () => {
      const backend = new StubBackend().on('GET /status', raw(200, '{"totp":', 'application/json'));
      const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status'));
      expect(error.message).to.equal('GET /mfa/status answered 200 with a body that is not valid JSON');
    });

    it('names the first field that breaks the schema, without its value', async () => {
      const backend = new StubBackend().on(
        'POST /totp/setup',
        setup({ secret: SECRET.toLowerCase(), digits: 5, algorithm: 'MD5', issuer: undefined, accountName: 7 }),
      );
      const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'setup', {}));
      expect(error.code).to.equal('invalid_response');
      expect(error.message).to.equal(
        'POST /mfa/totp/setup answered 200 off-protocol: secret: does not match ^[A-Z2-7]+$',
      );
      expect(error.message.toLowerCase()).not.to.contain(SECRET.toLowerCase());
    });

    it('names a problem deep inside the body by its path', async () => {
      const backend = new StubBackend()
        .on('POST /totp/activate', { body: { recoveryCodes: ['k7m2q-9xw4t', 7] } })
        .on('GET /status', status({ active: true, digits: 9 }));
      const options = { endpoint: '/mfa', fetch: backend.fetch };
      const codes = await rejection(callEndpoint(options, 'activate', { enrollmentToken: 't', code: '123456' }));
      expect(codes.message).to.equal(
        'POST /mfa/totp/activate answered 200 off-protocol: recoveryCodes[1]: expected a string',
      );
      const digits = await rejection(callEndpoint(options, 'status'));
      expect(digits.message).to.equal('GET /mfa/status answered 200 off-protocol: config.digits: above the maximum 8');
    });

    it('drops the members a later backend adds, as v1 requires', async () => {
      const body = { method: 'totp', recoveryCodesLeft: 2, webauthn: true };
      const backend = new StubBackend().on('POST /verify', { body });
      const result = await callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'verify', { code: '123456' });
      expect(result).to.deep.equal({ method: 'totp', recoveryCodesLeft: 2 });
    });

    it('names an error body that is off-protocol', async () => {
      const backend = new StubBackend().on('GET /status', { status: 500, body: { message: 'boom' } });
      const error = await rejection(callEndpoint({ endpoint: '/mfa', fetch: backend.fetch }, 'status'));
      expect(error.code).to.equal('invalid_response');
      expect(error.message).to.equal('GET /mfa/status answered 500 with an error body off-protocol: error: missing');
    });
  });
});
