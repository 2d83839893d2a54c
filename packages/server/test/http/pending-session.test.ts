/**
 * A session that has passed only the password step (issue 11, item 7): `getUser` returns the user
 * with `pending: true`, and such a session reads only whether TOTP is active, the digits and the
 * period, answers the challenge, and is refused everything else.
 */

import { StatusResponse } from '@totpkit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/index.js';
import { type Backend, newSession, protocolHeaders, startBackend } from './support.js';

let backend: Backend;
afterEach(() => backend?.close());

describe('a pending session', () => {
  it('reads only active, digits and period in the status, answers the challenge, and may do nothing else', async () => {
    const { userId, cookie } = newSession();
    let pending = false;
    backend = await startBackend('node', { handler: { getUser: () => ({ id: userId, pending }) } });
    const call = async (path: string, body?: unknown) => {
      const response = await fetch(`${backend.baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: protocolHeaders(cookie),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };

    // A complete session enrols and uses a recovery code, so there is something to hide.
    const setup = (await call('/totp/setup', {})).body;
    const code = () => totpCode(setup.secret, { time: backend.clock.now() / 1000 });
    const activated = await call('/totp/activate', { enrollmentToken: setup.enrollmentToken, code: code() });
    expect((await call('/verify', { code: activated.body.recoveryCodes[0] })).status).toBe(200);
    const full = (await call('/status')).body;
    expect(full.totp.lastUsedAt).not.toBeNull();
    expect(full.recoveryCodes).toEqual({ total: 10, unused: 9 });
    expect(full.pending).toBeUndefined();

    // Next login: the password is right, the second factor pending.
    pending = true;
    const reduced = await call('/status');
    expect(reduced.status).toBe(200);
    expect(reduced.body).toEqual({
      totp: { active: true, createdAt: null, lastUsedAt: null },
      recoveryCodes: null,
      config: { digits: 6, period: 30 },
      reauthenticationRequired: false,
      pending: true,
      // What the backend offers, so the login page can show "trust this browser": nothing of the account.
      features: { trustedBrowsers: null, codeReauthentication: true },
    });
    expect(StatusResponse.safeParse(reduced.body).success).toBe(true);

    for (const [path, body] of [
      ['/totp/setup', {}],
      ['/totp/deactivate', { code: '123456' }],
      ['/recovery-codes/regenerate', { code: '123456' }],
      ['/totp/activate', { enrollmentToken: setup.enrollmentToken, code: '123456' }],
    ] as const) {
      const refused = await call(path, body);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('unauthenticated');
    }
    backend.clock.advance(30_000);
    expect(await call('/verify', { code: code() })).toMatchObject({ status: 200, body: { method: 'totp' } });
    expect(backend.reported).toEqual([]);
  });

  it('tells a pending session without TOTP only that it is inactive, and the service refuses it any change', async () => {
    const { userId } = newSession();
    backend = await startBackend('node', { handler: { getUser: () => ({ id: userId, pending: true }) } });
    const user = { id: userId, pending: true };
    expect(await backend.totpkit.status(user)).toEqual({ active: false, recoveryCodes: null, pending: true });
    await expect(backend.totpkit.beginSetup(user)).rejects.toMatchObject({ code: 'invalid_user' });
    await expect(backend.totpkit.deactivate(user, { code: '123456' })).rejects.toMatchObject({ code: 'invalid_user' });
  });
});
