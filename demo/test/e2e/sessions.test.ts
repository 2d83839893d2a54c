/**
 * The demo's sessions over real HTTP (checklist item 38, ASVS 5 §7.2.4): the second step upgrades
 * the session only after the server verified a code, and then under a new session id; nothing a
 * client claims about itself can skip it.
 */
import { totpCode } from '@totpkit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemo } from '../support/demo-server.js';
import { PASSWORD, uniqueUsername } from '../support/flows.js';

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo?.stop();
});

const PROTOCOL = { 'Totpkit-Protocol': '1', 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' };

function sid(response: Response): string | null {
  return /sid=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1] || null;
}

async function form(path: string, fields: Record<string, string>, cookie = '', headers: Record<string, string> = {}) {
  return fetch(`${demo.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `sid=${cookie}`, ...headers },
    body: new URLSearchParams(fields),
  });
}

const mfa = (path: string, body: unknown, cookie: string) =>
  fetch(`${demo.url}/mfa${path}`, {
    method: 'POST',
    headers: { ...PROTOCOL, Cookie: `sid=${cookie}` },
    body: JSON.stringify(body),
  });

/** A user with TOTP on, enrolled through the protocol; returns the secret and the username. */
async function userWithTotp() {
  const username = uniqueUsername();
  const cookie = sid(await form('/signup', { username, password: PASSWORD })) as string;
  const setup = await (await mfa('/totp/setup', {}, cookie)).json();
  const activated = await mfa(
    '/totp/activate',
    { enrollmentToken: setup.enrollmentToken, code: totpCode(setup.secret) },
    cookie,
  );
  expect(activated.status).toBe(200);
  return { username, secret: setup.secret as string };
}

describe('demo sessions', () => {
  it('keeps a password-only session out until a code is verified, then issues a new session id', async () => {
    const { username, secret } = await userWithTotp();
    const signin = await form('/signin', { username, password: PASSWORD });
    expect(signin.headers.get('location')).toBe('/signin/verify');
    const pending = sid(signin) as string;

    // The pending session reaches nothing but the second step.
    const security = await fetch(`${demo.url}/security`, { redirect: 'manual', headers: { Cookie: `sid=${pending}` } });
    expect(security.headers.get('location')).toBe('/signin');
    expect((await mfa('/totp/setup', {}, pending)).status).toBe(401);
    expect((await mfa('/recovery-codes/regenerate', { code: '123456' }, pending)).status).toBe(401);

    // Claiming success client-side does nothing: the home page still says "sign in".
    const home = await (await fetch(`${demo.url}/`, { headers: { Cookie: `sid=${pending}` } })).text();
    expect(home).not.toContain('Hello,');

    const verified = await mfa('/verify', { code: totpCode(secret, { time: Date.now() / 1000 + 30 }) }, pending);
    expect(verified.status).toBe(200);
    const upgraded = sid(verified) as string;
    expect(upgraded).toBeTruthy();
    expect(upgraded).not.toBe(pending);
    expect(await (await fetch(`${demo.url}/`, { headers: { Cookie: `sid=${upgraded}` } })).text()).toContain(
      `Hello, ${username}`,
    );
    // The pending session id is gone.
    expect(await (await fetch(`${demo.url}/`, { headers: { Cookie: `sid=${pending}` } })).text()).not.toContain(
      'Hello,',
    );
  });

  it('does not let a complete session run the login challenge again', async () => {
    const username = uniqueUsername();
    const cookie = sid(await form('/signup', { username, password: PASSWORD })) as string;
    expect((await mfa('/verify', { code: '123456' }, cookie)).status).toBe(401);
  });

  it('answers an unknown user and a wrong password alike', async () => {
    const { username } = await userWithTotp();
    const unknown = await form('/signin', { username: `${username}x`, password: PASSWORD });
    const wrong = await form('/signin', { username, password: `${PASSWORD}x` });
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    const message = (html: string) => /<p class="error"[^>]*>([^<]*)</.exec(html)?.[1];
    expect(message(await unknown.text())).toBe(message(await wrong.text()));
  });

  it('refuses cross-site form posts', async () => {
    const response = await form('/signup', { username: uniqueUsername(), password: PASSWORD }, '', {
      'Sec-Fetch-Site': 'cross-site',
    });
    expect(response.status).toBe(403);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const response = await form('/signup', { username: uniqueUsername(), password: PASSWORD });
    expect(response.headers.get('set-cookie')).toMatch(/^sid=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
  });
});
