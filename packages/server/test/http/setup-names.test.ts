/**
 * Setup answers 200 for any account name or issuer a host may have (issue 11, item 4): a colon in
 * an id, a lone surrogate, control characters, an all-space name, and a URL too long for a QR
 * code. The names never reach a log, on the success path or an error path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildTotpUrl, parseTotpUrl, totpCode } from '../../src/index.js';
import type { TotpUser } from '../../src/service/types.js';
import { type Backend, type BackendOptions, protocolHeaders, startBackend } from './support.js';

let backend: Backend;
afterEach(() => backend?.close());

const LONG = `${'a'.repeat(3000)}@example.test`;

/** One backend whose getUser answers the user named by the cookie, from `users`. */
async function start(users: Record<string, TotpUser>, options: BackendOptions = {}) {
  const logged: string[] = [];
  backend = await startBackend('node', {
    ...options,
    handler: {
      getUser: (request) => users[/session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? ''] ?? null,
      ...options.handler,
    },
    totpkit: {
      logger: { warn: (m) => logged.push(m), error: (m, e) => logged.push(`${m} ${String(e)} ${(e as Error)?.stack}`) },
      ...options.totpkit,
    },
  });
  const call = async (key: string, path: string, body?: unknown) => {
    const response = await fetch(`${backend.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: protocolHeaders(`session=${key}`),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  return { call, logged };
}

const reportedText = () =>
  backend.reported.map((e) => `${String(e)} ${(e as Error).stack} ${String((e as Error).cause)}`).join('\n');

describe('setup with any account name or issuer', () => {
  const cases: [string, TotpUser, { issuer: string; accountName: string; qr: boolean }][] = [
    ['a colon in the id', { id: 'urn:user:42' }, { issuer: 'totpkit tests', accountName: 'urn:user:42', qr: true }],
    [
      'a lone surrogate',
      { id: 'u-s', email: 'ada\ud800@example.test' },
      { issuer: 'totpkit tests', accountName: 'ada\ufffd@example.test', qr: true },
    ],
    [
      'a control character',
      { id: 'u-c', username: 'ada\nlovelace' },
      { issuer: 'totpkit tests', accountName: 'ada\ufffdlovelace', qr: true },
    ],
    [
      'an all-space name',
      { id: 'u-space', email: '   ' },
      { issuer: 'totpkit tests', accountName: 'u-space', qr: true },
    ],
    [
      'a URL too long for a QR code',
      { id: 'u-long', email: LONG },
      { issuer: 'totpkit tests', accountName: LONG, qr: false },
    ],
  ];

  it.each(cases)(
    'answers 200 for %s, with a URL apps read back and a working secret',
    async (_name, user, expected) => {
      const { call, logged } = await start({ s: user });
      const setup = await call('s', '/totp/setup', {});
      expect(setup.status).toBe(200);
      expect(setup.body).toMatchObject({ issuer: expected.issuer, accountName: expected.accountName });
      expect(setup.body.qrCode === null).toBe(!expected.qr);
      expect(parseTotpUrl(setup.body.otpauthUrl)).toMatchObject({
        issuer: expected.issuer,
        accountName: expected.accountName,
        secret: setup.body.secret,
      });
      const code = totpCode(setup.body.secret, { time: backend.clock.now() / 1000 });
      const activated = await call('s', '/totp/activate', { enrollmentToken: setup.body.enrollmentToken, code });
      expect(activated.status).toBe(200);
      expect(backend.reported).toEqual([]);
      expect(logged).toEqual([]);
    },
  );

  it('shows a colon the label cannot carry, from a getTotpIssuer hook, as a full-width colon', async () => {
    const { call } = await start(
      { s: { id: 'urn:user:7' } },
      { totpkit: { adapter: { getTotpIssuer: () => 'ACME: staging' } } },
    );
    const setup = await call('s', '/totp/setup', {});
    expect(setup.status).toBe(200);
    expect(setup.body).toMatchObject({ issuer: 'ACME\uff1a staging', accountName: 'urn:user:7' });
    expect(parseTotpUrl(setup.body.otpauthUrl)).toMatchObject({
      issuer: 'ACME\uff1a staging',
      accountName: 'urn:user:7',
    });
  });

  it('keeps the account name out of the error report and the log when setup fails', async () => {
    const name = 'urn:secret-customer:42';
    // A host hook that builds its own URL without an issuer, which cannot carry the colon: a host
    // bug, answered 500, and reported without the name.
    const { call, logged } = await start(
      { s: { id: name } },
      {
        totpkit: {
          adapter: { buildTotpUrl: (user, secret) => buildTotpUrl({ secret, accountName: user.id, issuer: '' }) },
        },
      },
    );
    const setup = await call('s', '/totp/setup', {});
    expect(setup.status).toBe(500);
    expect(setup.body.error.code).toBe('internal_error');
    expect(backend.reported).toHaveLength(1);
    expect(reportedText()).not.toContain('secret-customer');
    expect(logged.join('\n')).not.toContain('secret-customer');
    expect(JSON.stringify(setup.body)).not.toContain('secret-customer');
  });
});
