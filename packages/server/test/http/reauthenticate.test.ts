/**
 * Reauthentication by code over real HTTP (protocol §5.7 and rule 5): a signed-in user confirms a
 * sensitive change with a TOTP or recovery code, under verify's one-time-use and rate-limit rules,
 * and the host hears of it through `afterReauthenticate` (to record "recently authenticated") and
 * the service's `onReauthenticated` event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReauthenticatedContext } from '../../src/http/index.js';
import { startTrustHost, TRANSPORTS, type TrustHost, userOf } from './trust-backend.js';

let host: TrustHost;
afterEach(() => host?.close());

describe.each(TRANSPORTS)('POST /reauthenticate over %s', (kind) => {
  it('accepts a TOTP code once, tells the host, and adds the headers afterReauthenticate returns', async () => {
    const contexts: ReauthenticatedContext[] = [];
    const events: unknown[] = [];
    host = await startTrustHost(kind, {
      totpkit: { adapter: { onReauthenticated: (user, event) => void events.push({ id: user.id, ...event }) } },
      handler: {
        afterReauthenticate: (context) => {
          contexts.push(context);
          return { 'Set-Cookie': 'session=fresh; Path=/; HttpOnly' };
        },
      },
    });
    const alice = userOf(host);
    await alice.enrol();

    const code = alice.nextCode();
    const confirmed = await alice.send('/reauthenticate', { code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ method: 'totp', recoveryCodesLeft: 10 });
    expect(confirmed.headers.getSetCookie()).toEqual(['session=fresh; Path=/; HttpOnly']);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ user: { id: alice.userId }, method: 'totp', recoveryCodesLeft: 10 });
    expect(events).toEqual([{ id: alice.userId, at: new Date(host.clock.now()), method: 'totp' }]);

    // The same code again, in the same step: refused as a replay, and the host hears nothing.
    const replayed = await alice.send('/reauthenticate', { code });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    expect(replayed.headers.getSetCookie()).toEqual([]);
    // Nor can the step's code, spent here, then answer the login challenge.
    expect((await alice.send('/verify', { code }, { pending: true })).status).toBe(400);
    expect(contexts).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect(host.reported).toEqual([]);
  });

  it('consumes and counts a recovery code used here', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    const [first] = await alice.enrol();
    const confirmed = await alice.send('/reauthenticate', { code: first });
    expect(confirmed.body).toEqual({ method: 'recovery_code', recoveryCodesLeft: 9 });
    expect((await alice.send('/reauthenticate', { code: first })).status).toBe(400);
    expect((await alice.send('/verify', { code: first }, { pending: true })).status).toBe(400);
    expect((await alice.send('/status', undefined)).body.recoveryCodes).toEqual({ total: 10, unused: 9 });
  });

  it('locks after maxFailures wrong codes with 429 and Retry-After, on the same limit as the login challenge', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    await alice.enrol();
    for (let i = 0; i < 2; i++)
      expect((await alice.send('/verify', { code: '000000' }, { pending: true })).status).toBe(400);
    for (let i = 0; i < 2; i++) expect((await alice.send('/reauthenticate', { code: '000000' })).status).toBe(400);
    // The fifth failure in all, the first two at the login challenge: the account locks.
    const locked = await alice.send('/reauthenticate', { code: '000000' });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'rate_limited', retryAfter: 300 });
    expect(locked.headers.get('retry-after')).toBe('300');
    // Locked means locked: a right code waits too, here and at the login challenge.
    expect((await alice.send('/reauthenticate', { code: alice.nextCode() })).status).toBe(429);
    expect((await alice.send('/verify', { code: alice.nextCode() }, { pending: true })).status).toBe(429);
  });

  it('answers 500 without the hook headers when afterReauthenticate throws, and reports it', async () => {
    host = await startTrustHost(kind, {
      handler: {
        afterReauthenticate: () => {
          throw new Error('the session store is down');
        },
      },
    });
    const alice = userOf(host);
    await alice.enrol();
    const failed = await alice.send('/reauthenticate', { code: alice.nextCode() });
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('internal_error');
    expect(failed.headers.getSetCookie()).toEqual([]);
    expect(host.reported).toHaveLength(1);
  });

  it('answers 404 not_active when TOTP is off, and 401 to a pending session', async () => {
    host = await startTrustHost(kind);
    const alice = userOf(host);
    const inactive = await alice.send('/reauthenticate', { code: '123456' });
    expect(inactive.status).toBe(404);
    expect(inactive.body.error.code).toBe('not_active');
    await alice.enrol();
    const pending = await alice.send('/reauthenticate', { code: alice.nextCode() }, { pending: true });
    expect(pending.status).toBe(401);
    expect(pending.body.error.code).toBe('unauthenticated');
  });
});

describe('reauthentication by code, rule 5 over HTTP', () => {
  /** A host whose policy asks for recent authentication before every sensitive change. */
  const strict = (codeReauthentication: boolean) =>
    startTrustHost('node', {
      totpkit: {
        codeReauthentication,
        adapter: {
          requireRecentAuth: () => true,
          onReauthenticated: (_user, event) => void heard.push(event.method),
        },
      },
    });
  let heard: string[] = [];
  afterEach(() => {
    heard = [];
  });

  it('takes the right code at deactivation and regeneration as the reauthentication; a wrong one is invalid_code', async () => {
    host = await strict(true);
    const alice = userOf(host);
    await host.totpkit.importAuthenticator(alice.user, { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    const code = async () => {
      host.clock.advance(30_000);
      const { totpCode } = await import('../../src/index.js');
      return totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', { time: host.clock.now() / 1000 });
    };
    const status = await alice.send('/status', undefined);
    expect(status.body.reauthenticationRequired).toBe(false);
    expect(status.body.features.codeReauthentication).toBe(true);

    const wrong = await alice.send('/recovery-codes/regenerate', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_code', field: 'code' });
    expect(heard).toEqual([]);

    expect((await alice.send('/recovery-codes/regenerate', { code: await code() })).status).toBe(200);
    expect((await alice.send('/totp/deactivate', { code: await code() })).status).toBe(200);
    expect(heard).toEqual(['totp', 'totp']);

    // With TOTP off no code can be asked: setup still needs the host's own reauthentication.
    const setup = await alice.send('/totp/setup', {});
    expect(setup.status).toBe(401);
    expect(setup.body.error.code).toBe('reauthentication_required');
    expect((await alice.send('/status', undefined)).body.reauthenticationRequired).toBe(true);
  });

  it('without codeReauthentication, refuses them with 401 and answers /reauthenticate 404', async () => {
    host = await strict(false);
    const alice = userOf(host);
    await host.totpkit.importAuthenticator(alice.user, { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    const status = await alice.send('/status', undefined);
    expect(status.body.reauthenticationRequired).toBe(true);
    expect(status.body.features.codeReauthentication).toBe(false);
    for (const [path, body] of [
      ['/totp/deactivate', { code: '123456' }],
      ['/recovery-codes/regenerate', { code: '123456' }],
    ] as const) {
      const refused = await alice.send(path, body);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('reauthentication_required');
    }
    const reauth = await alice.send('/reauthenticate', { code: '123456' });
    expect(reauth.status).toBe(404);
    expect(reauth.body.error.code).toBe('not_found');
  });
});
