/**
 * The limits of issue 11 over real HTTP, in every adapter: setup answers 429 with Retry-After past
 * 20 setups an hour (item 10), and a spent guess budget answers 429 with the time until the oldest
 * counted guess leaves the window, while recovery codes still log in (item 2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/index.js';
import { ADAPTERS, type Backend, newSession, protocolHeaders, startBackend } from './support.js';

let backend: Backend;
afterEach(() => backend?.close());

/** A code no authenticator window accepts now: none of the three valid ones. */
function wrongCode(secret: string, timeMs: number): string {
  const valid = new Set([-1, 0, 1].map((offset) => totpCode(secret, { time: timeMs / 1000 + offset * 30 })));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.has(code)) as string;
}

async function start(kind: (typeof ADAPTERS)[number]) {
  backend = await startBackend(kind);
  const { cookie } = newSession();
  return async (path: string, body: unknown = {}) => {
    const response = await fetch(`${backend.baseUrl}${path}`, {
      method: 'POST',
      headers: protocolHeaders(cookie),
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: JSON.parse(text) };
  };
}

describe.each(ADAPTERS)('limits over HTTP (%s)', (kind) => {
  it('answers the 21st setup within an hour with 429 and Retry-After, and the next after the wait', async () => {
    const call = await start(kind);
    for (let i = 0; i < 20; i++) {
      expect((await call('/totp/setup')).status).toBe(200);
      backend.clock.advance(60_000);
    }
    const refused = await call('/totp/setup');
    expect(refused).toEqual({
      status: 429,
      retryAfter: String(3600 - 20 * 60),
      body: { error: { code: 'rate_limited', message: expect.any(String), retryAfter: 3600 - 20 * 60 } },
    });
    expect(backend.reported).toEqual([]);
    backend.clock.advance((3600 - 20 * 60) * 1000);
    expect((await call('/totp/setup')).status).toBe(200);
  });

  it('answers 429 once 30 wrong codes are spent in 24 h, with the wait until the oldest leaves; recovery codes still work', async () => {
    const call = await start(kind);
    const setup = (await call('/totp/setup')).body;
    const code = () => totpCode(setup.secret, { time: backend.clock.now() / 1000 });
    const activated = await call('/totp/activate', { enrollmentToken: setup.enrollmentToken, code: code() });
    backend.clock.advance(30_000);
    const first = backend.clock.now();
    let last = await call('/verify', { code: wrongCode(setup.secret, backend.clock.now()) });
    for (let i = 2; i <= 30; i++) {
      // Four a window, so the 5-in-5-minutes lock never comes into it.
      if (i % 4 === 1) backend.clock.advance(300_000);
      last = await call('/verify', { code: wrongCode(setup.secret, backend.clock.now()) });
    }
    const wait = 86_400 - (backend.clock.now() - first) / 1000;
    expect(last.status).toBe(429);
    expect(last.retryAfter).toBe(String(wait));
    expect((await call('/verify', { code: code() })).status).toBe(429);
    const recovery = await call('/verify', { code: activated.body.recoveryCodes[0] });
    expect(recovery).toMatchObject({ status: 200, body: { method: 'recovery_code' } });
  });
});
