/**
 * What the service decides reaches the client as the protocol says: each outcome maps to its code
 * and status, 429 carries a right Retry-After, host failures are 5xx reported to `onError` with
 * nothing leaked, and no response but setup ever carries the secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, totpCode } from '../../src/index.js';
import type { TotpStore } from '../../src/stores/types.js';
import { type Backend, type BackendOptions, newSession, protocolHeaders, startBackend } from './support.js';

let backend: Backend;
afterEach(() => backend?.close());

async function start(options: BackendOptions = {}) {
  backend = await startBackend('node', options);
  const session = newSession();
  const responses: { path: string; status: number; text: string; headers: Headers }[] = [];
  const call = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${backend.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: protocolHeaders(session.cookie, headers),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    responses.push({ path, status: response.status, text, headers: response.headers });
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  /** Setup and activation; later codes come from `code(stepsAhead)` after the clock moves on. */
  const activate = async () => {
    const setup = (await call('/totp/setup', {})).body;
    const code = () => totpCode(setup.secret, { time: backend.clock.now() / 1000 });
    const activated = await call('/totp/activate', { enrollmentToken: setup.enrollmentToken, code: code() });
    expect(activated.status).toBe(200);
    const next = () => {
      backend.clock.advance(30_000);
      return code();
    };
    return { setup, recoveryCodes: activated.body.recoveryCodes as string[], next };
  };
  return { ...session, call, activate, responses };
}

describe('service outcomes over HTTP', () => {
  it('answers 429 with Retry-After equal to retryAfter once the account locks', async () => {
    const { call, activate } = await start();
    await activate();
    const wrong = async () => call('/verify', { code: '000000' });
    for (let i = 0; i < 4; i++) expect((await wrong()).body.error.code).toBe('invalid_code');
    const locked = await wrong();
    expect(locked.status).toBe(429);
    expect(locked.body.error).toEqual({ code: 'rate_limited', message: expect.any(String), retryAfter: 300 });
    expect(locked.headers.get('retry-after')).toBe('300');
    backend.clock.advance(100_000);
    const later = await wrong();
    expect(later.headers.get('retry-after')).toBe('200');
    expect(later.body.error.retryAfter).toBe(200);
  });

  it('refuses codes that cannot be codes without counting them against the account', async () => {
    const { call, activate } = await start();
    const { next } = await activate();
    for (const code of ['12345a', '+123456', '1e5', '123456\n', '12345', '１２３４５a', 'abc']) {
      expect((await call('/verify', { code })).body.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    }
    expect((await call('/verify', { code: next() })).status).toBe(200);
  });

  it('accepts a code typed with spaces, hyphens or full-width digits', async () => {
    const { call, activate } = await start();
    const { next } = await activate();
    const code = next();
    const fullWidth = [...code].map((digit) => String.fromCharCode(0xff10 + Number(digit))).join('');
    expect((await call('/verify', { code: fullWidth })).body).toEqual({ method: 'totp', recoveryCodesLeft: 10 });
    const hyphenated = next();
    expect((await call('/verify', { code: `${hyphenated.slice(0, 3)}-${hyphenated.slice(3)}` })).status).toBe(200);
    const spaced = next();
    expect((await call('/verify', { code: ` ${spaced.slice(0, 3)} ${spaced.slice(3)} ` })).status).toBe(200);
  });

  it('maps already_active to 409, not_active to 404 and an expired enrollment to 410', async () => {
    const { call, activate } = await start();
    expect((await call('/verify', { code: '123456' })).body.error.code).toBe('not_active');
    const stale = (await call('/totp/setup', {})).body;
    backend.clock.advance(601_000);
    const expired = await call('/totp/activate', { enrollmentToken: stale.enrollmentToken, code: '123456' });
    expect(expired.status).toBe(410);
    expect(expired.body.error).toMatchObject({ code: 'enrollment_expired', field: 'enrollmentToken' });
    await activate();
    const again = await call('/totp/setup', {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_active');
  });

  it('answers reauthentication_required with 401, and says so ahead in the status', async () => {
    const { call } = await start({ totpkit: { adapter: { requireRecentAuth: () => true } } });
    expect((await call('/status')).body.reauthenticationRequired).toBe(true);
    const setup = await call('/totp/setup', {});
    expect(setup.status).toBe(401);
    expect(setup.body.error.code).toBe('reauthentication_required');
  });

  it("answers the host's refusal to deactivate with 403 deactivation_forbidden", async () => {
    const { call, activate } = await start({ totpkit: { adapter: { canDeactivate: () => false } } });
    const { next } = await activate();
    const refused = await call('/totp/deactivate', { code: next() });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('deactivation_forbidden');
  });

  it('fails closed with 503 unavailable when the store is down, and reports the error', async () => {
    const store = new MemoryStore();
    const broken: TotpStore = Object.assign(Object.create(store), {
      getAuthenticator: async () => {
        throw new Error('connection refused (db.internal:5432)');
      },
    });
    const { call } = await start({ totpkit: { store: broken } });
    const response = await call('/verify', { code: '123456' });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('unavailable');
    expect(JSON.stringify(response.body)).not.toContain('db.internal');
    expect(backend.reported).toHaveLength(1);
  });

  it('answers 500 for host bugs (getUser throwing, a user without an id) and reports them', async () => {
    const { call } = await start({
      handler: {
        getUser: (request) => {
          if (request.headers.get('x-bug') === 'throw') throw new Error('session store exploded');
          return { id: '' };
        },
      },
    });
    for (const bug of ['throw', 'empty-id']) {
      const response = await call('/status', undefined, { 'x-bug': bug });
      expect(response.status).toBe(500);
      expect(response.body.error.code).toBe('internal_error');
      expect(JSON.stringify(response.body)).not.toContain('exploded');
    }
    expect(backend.reported).toHaveLength(2);
  });

  it('answers 500 rather than send a response off the protocol (a host hook returning a bad otpauth URL)', async () => {
    const { call } = await start({ totpkit: { adapter: { buildTotpUrl: () => 'https://example.com/not-otpauth' } } });
    const response = await call('/totp/setup', {});
    expect(response.status).toBe(500);
    expect(String(backend.reported[0])).toContain('the setup response does not match the protocol at otpauthUrl');
  });

  it('passes the call to getUser, and lets afterVerify set cookies on a successful verify only', async () => {
    const calls: string[] = [];
    const { call, activate } = await start({
      handler: {
        getUser: (request, { call: name }) => {
          calls.push(name);
          const match = /session=([^;]+)/.exec(request.headers.get('cookie') ?? '');
          return match ? { id: match[1] as string } : null;
        },
        afterVerify: ({ user, method }) => [
          ['Set-Cookie', `session=${user.id}-2fa; HttpOnly; Secure; SameSite=Lax`],
          ['Set-Cookie', `mfa=${method}`],
        ],
      },
    });
    const { next } = await activate();
    expect((await call('/verify', { code: '000000' })).headers.getSetCookie()).toEqual([]);
    const verified = await call('/verify', { code: next() });
    expect(verified.status).toBe(200);
    expect(verified.headers.getSetCookie()).toEqual([expect.stringMatching(/-2fa; HttpOnly/), 'mfa=totp']);
    expect(verified.headers.get('cache-control')).toBe('no-store');
    expect(calls).toEqual(['setup', 'activate', 'verify', 'verify']);
  });

  it('answers 500 without a cookie when afterVerify throws, and the code stays spent', async () => {
    const { call, activate } = await start({
      handler: {
        afterVerify: () => {
          throw new Error('session store down');
        },
      },
    });
    const { next } = await activate();
    const code = next();
    const failed = await call('/verify', { code });
    expect(failed.status).toBe(500);
    expect(failed.headers.getSetCookie()).toEqual([]);
    expect(failed.body).toMatchObject({ error: { code: 'internal_error' } });
    expect(String(backend.reported[0])).toContain('session store down');
    // The login did not complete, and the same code cannot complete it on a retry.
    expect((await call('/verify', { code })).status).toBe(400);
  });

  it('sends the secret in the setup response only, and codes in no error', async () => {
    const { call, activate, responses } = await start();
    const { setup, recoveryCodes, next } = await activate();
    await call('/status');
    await call('/verify', { code: next() });
    await call('/verify', { code: recoveryCodes[0] });
    await call('/verify', { code: recoveryCodes[0] });
    await call('/recovery-codes/regenerate', { code: next() });
    await call('/totp/activate', { enrollmentToken: setup.enrollmentToken, code: next() });
    await call('/totp/deactivate', { code: next() });
    expect(responses.length).toBeGreaterThan(8);
    for (const response of responses) {
      const carriesSecret = response.text.includes(setup.secret) || response.text.includes(setup.otpauthUrl);
      expect(carriesSecret, `${response.path} → ${response.status}`).toBe(response.path === '/totp/setup');
      expect(response.headers.get('cache-control')).toBe('no-store');
      if (response.status >= 400) expect(response.text).not.toContain(recoveryCodes[0]);
    }
  });
});
