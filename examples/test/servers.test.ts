/**
 * The server examples (server/express.ts, server/fastify.ts, server/hono.ts), each built the way
 * its file says, with the shared service of server/totpkit.ts, listening on a real socket:
 * - the protocol conformance kit passes every check against each;
 * - the login's second step works through each, with the sessions of server/sessions.ts;
 * - the requireRecentAuth hook of server/totpkit.ts refuses a stale session.
 */
import { runConformance, type SessionProvider } from '@totpkit/protocol/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySessions } from '../server/sessions.js';
import {
  call,
  cookieOf,
  createTestService,
  enableTotp,
  freshUser,
  type Running,
  SERVER_EXAMPLES,
  startExample,
  type TestService,
} from './support.js';

let service: TestService | undefined;
let server: Running | undefined;
afterEach(async () => {
  await server?.close();
  await service?.close();
  server = undefined;
  service = undefined;
});

/**
 * The kit's sessions for `user`, as a login would make them: a complete session for the settings,
 * and for the challenge a new sign-in each time the kit asks (pending once TOTP is on).
 */
function kitSessions(
  sessions: MemorySessions,
  totpkit: TestService['totpkit'],
  user: ReturnType<typeof freshUser>,
): SessionProvider {
  const complete = cookieOf(sessions.start(user, 'complete'));
  return async (phase) =>
    phase === 'pending' ? [['Cookie', cookieOf(await sessions.signIn(totpkit, user))]] : [['Cookie', complete]];
}

/** The request a browser would send with this cookie, for asking the session store directly. */
const withCookie = (cookie: string) => new Request('http://127.0.0.1/', { headers: { Cookie: cookie } });

describe.each(SERVER_EXAMPLES)('the %s example', (kind) => {
  it('passes every check of the conformance kit', async () => {
    service = createTestService();
    const { totpkit } = service;
    const sessions = new MemorySessions();
    server = await startExample(kind, totpkit, sessions);
    const user = freshUser('conformance');
    // The sessions of server/sessions.ts, as a login would make them: signing in gives a complete
    // session while TOTP is off and a pending one once it is on, which verify then replaces.
    const report = await runConformance({
      baseUrl: `${server.origin}/mfa`,
      session: kitSessions(sessions, totpkit, user),
      clock: service.clock,
    });

    expect(report.results.filter((result) => !result.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, skipped: 0 });
    expect(report.passed).toBeGreaterThan(60);
    expect(new Set(report.results.map((result) => result.step))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    );
    expect(await service.totpkit.status(user)).toMatchObject({ active: false, recoveryCodes: null });
  });

  it('completes a second step: the pending session may only verify, and a right code replaces it', async () => {
    service = createTestService();
    const sessions = new MemorySessions();
    server = await startExample(kind, service.totpkit, sessions);
    const user = freshUser('ada');
    const currentCode = await enableTotp(service, user);

    // The password was right and two-factor is on: the session waits for the code.
    const pending = cookieOf(await sessions.signIn(service.totpkit, user));
    expect(sessions.find(withCookie(pending))?.stage).toBe('pending');
    expect((await call(server.origin, '/status', { cookie: pending })).status).toBe(401);

    const wrongCode = String((Number(currentCode()) + 500_000) % 1_000_000).padStart(6, '0');
    const wrong = await call(server.origin, '/verify', { cookie: pending, body: { code: wrongCode } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_code' } });
    expect(wrong.headers.getSetCookie()).toEqual([]);

    await service.clock.sleep(30_000); // the activation code is spent; use the next step's
    const right = await call(server.origin, '/verify', { cookie: pending, body: { code: currentCode() } });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ method: 'totp', recoveryCodesLeft: 10 });
    const setCookies = right.headers.getSetCookie();
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(/^session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const complete = cookieOf(setCookies[0] as string);
    expect(complete).not.toBe(pending);

    // The old id is worth nothing; the new session is complete: settings yes, challenge no.
    expect(sessions.find(withCookie(pending))).toBeUndefined();
    expect(sessions.find(withCookie(complete))?.stage).toBe('complete');
    expect((await call(server.origin, '/verify', { cookie: pending, body: { code: '123456' } })).status).toBe(401);
    const status = await call(server.origin, '/status', { cookie: complete });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ totp: { active: true }, recoveryCodes: { total: 10, unused: 10 } });
    expect((await call(server.origin, '/verify', { cookie: complete, body: { code: '123456' } })).status).toBe(401);
  });
});

describe('server/sessions.ts and server/totpkit.ts', () => {
  it('signs a user without two-factor straight in', async () => {
    service = createTestService();
    const sessions = new MemorySessions();
    const cookie = cookieOf(await sessions.signIn(service.totpkit, { id: 'no-2fa' }));
    expect(sessions.find(withCookie(cookie))).toMatchObject({ stage: 'complete', user: { id: 'no-2fa' } });
  });

  it('asks for the password again before setup when it was typed over 10 minutes ago', async () => {
    service = createTestService();
    const sessions = new MemorySessions();
    server = await startExample('express', service.totpkit, sessions);
    const stale = { ...freshUser('stale'), authenticatedAt: Date.now() - 11 * 60_000 };
    const staleCookie = cookieOf(sessions.start(stale, 'complete'));
    const freshCookie = cookieOf(sessions.start(freshUser('fresh'), 'complete'));

    const status = await call(server.origin, '/status', { cookie: staleCookie });
    expect(await status.json()).toMatchObject({ reauthenticationRequired: true });
    const refused = await call(server.origin, '/totp/setup', { cookie: staleCookie, body: {} });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'reauthentication_required' } });

    const allowed = await call(server.origin, '/totp/setup', { cookie: freshCookie, body: {} });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ issuer: 'ACME Co', accountName: 'fresh@example.test' });
  });
});
