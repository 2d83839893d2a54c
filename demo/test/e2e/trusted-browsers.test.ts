/**
 * Issue 17 in the demo, over real HTTP with the demo's clock in the test's hands: "Don't ask again
 * on this browser" skips the second step at the next sign-in (the password is still asked), until
 * the trust expires or is revoked; and a sensitive change of the demo's own (the username) needs a
 * recent sign-in, which a user with 2FA gives with a code (POST /mfa/reauthenticate, recorded by
 * afterReauthenticate as a fresh session).
 */
import { totpCode } from '@totpkit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueUsername } from '../support/flows.js';
import type { Client } from '../support/http.js';
import { enrol, type InProcessDemo, signUpClient, startInProcess } from '../support/in-process.js';

let demo: InProcessDemo;
beforeAll(async () => {
  demo = await startInProcess();
});
afterAll(async () => {
  await demo?.stop();
});

const DAY = 86_400_000;

/** A user with 2FA on, signed out; `code()` is the app's code of the next step. */
async function userWithTotp() {
  const client = demo.client();
  const username = await signUpClient(client);
  const secret = await enrol(client, demo.now());
  const code = () => {
    demo.advance(30_000);
    return totpCode(secret, { time: demo.now() / 1000 });
  };
  await client.form('/signout', {});
  return { client, username, code };
}

/** The password step; resolves with where the demo sends the browser next. */
async function signIn(client: Client, username: string, password = PASSWORD): Promise<string | null> {
  const response = await client.form('/signin', { username, password });
  return response.status === 303 ? response.headers.get('location') : `status ${response.status}`;
}

/** Signs in with the second step, ticking "Don't ask again on this browser for 14 days". */
async function signInTrusting(client: Client, username: string, code: string) {
  expect(await signIn(client, username)).toBe('/signin/verify');
  const verified = await client.mfa('/verify', { code, trustBrowserDays: 14 });
  expect(verified.status).toBe(200);
  return (await verified.json()) as { trustedUntil: string };
}

describe('the demo with trusted browsers', () => {
  it('tells the pages what it offers, and asks for the checkbox on the second step', async () => {
    const { client, username } = await userWithTotp();
    expect(await signIn(client, username)).toBe('/signin/verify');
    const status = await (await client.mfa('/status')).json();
    expect(status.features).toEqual({ trustedBrowsers: { maxDays: 14 }, codeReauthentication: true });
    expect(await (await client.get('/signin/verify')).text()).toContain('trust-browser-days="14"');
  });

  it('skips the second step on a browser the user trusted, after the password, until the trust ends', async () => {
    const { client, username, code } = await userWithTotp();
    const { trustedUntil } = await signInTrusting(client, username, code());
    expect(trustedUntil).toBe(new Date(demo.now() + 14 * DAY).toISOString());
    expect(client.trust).toMatch(/^__Host-totpkit-trust=[\w-]{43}$/);

    await client.form('/signout', {});
    // Signing out ends the session, not the trust: the next sign-in completes with the password.
    expect(client.trust).not.toBe('');
    expect(await signIn(client, username)).toBe('/');
    expect(await (await client.get('/')).text()).toContain(`Hello, ${username}`);

    // The password is still checked, and another browser still gets the second step.
    await client.form('/signout', {});
    expect(await signIn(client, username, 'wrong password')).toBe('status 400');
    const elsewhere = demo.client();
    expect(await signIn(elsewhere, username)).toBe('/signin/verify');

    // Fourteen days later the browser is asked for a code again.
    demo.advance(14 * DAY);
    expect(await signIn(client, username)).toBe('/signin/verify');
  });

  it("does not let one user's trusted browser skip another user's second step", async () => {
    const alice = await userWithTotp();
    const bob = await userWithTotp();
    await signInTrusting(alice.client, alice.username, alice.code());
    await alice.client.form('/signout', {});
    // Bob signs in on Alice's trusted browser: the trust is Alice's, so Bob is asked for his code.
    expect(await signIn(alice.client, bob.username)).toBe('/signin/verify');
  });

  it('lists the browser on the security page and revokes it there, which brings the second step back', async () => {
    const { client, username, code } = await userWithTotp();
    await signInTrusting(client, username, code());
    expect(await (await client.get('/security')).text()).toContain('<totp-trusted-browsers endpoint="/mfa">');

    const { browsers } = await (await client.mfa('/trusted-browsers')).json();
    expect(browsers).toHaveLength(1);
    expect(browsers[0]).toMatchObject({ label: 'Unknown browser', current: true });
    const revoked = await client.mfa('/trusted-browsers/revoke', { id: browsers[0].id });
    expect(await revoked.json()).toEqual({ revoked: 1 });
    // The cookie went with the answer.
    expect(client.trust).toBe('');

    await client.form('/signout', {});
    expect(await signIn(client, username)).toBe('/signin/verify');
  });

  it('ends every trust when 2FA is turned off', async () => {
    const { client, username, code } = await userWithTotp();
    await signInTrusting(client, username, code());
    const trust = client.trust;
    expect((await client.mfa('/totp/deactivate', { code: code() })).status).toBe(200);
    await enrol(client, demo.now());
    await client.form('/signout', {});
    client.trust = trust; // the browser still sends the old cookie
    expect(await signIn(client, username)).toBe('/signin/verify');
  });
});

describe('a sensitive change confirmed with a code', () => {
  it('asks a user with 2FA for a code after five minutes, and lets the change through once it is right', async () => {
    const { client, username, code } = await userWithTotp();
    expect(await signIn(client, username)).toBe('/signin/verify');
    expect((await client.mfa('/verify', { code: code() })).status).toBe(200);

    // Fresh from the sign-in, the form is there.
    expect(await (await client.get('/account/username')).text()).toContain('Change username');
    demo.advance(6 * 60_000);

    // Later, the page asks "Confirm it's you", and the form's post is refused.
    const page = await (await client.get('/account/username')).text();
    expect(page).toContain('purpose="reauthenticate"');
    expect(page).toContain('data-on-reauthenticated="/account/username"');
    const renamed = uniqueUsername();
    const early = await client.form('/account/username', { username: renamed });
    expect(early.headers.get('location')).toBe('/account/username');
    expect(await signIn(demo.client(), renamed)).toBe('status 400'); // no such user yet

    // A wrong code changes nothing; a right one is recorded by afterReauthenticate in a new session.
    expect((await client.mfa('/reauthenticate', { code: '000000' })).status).toBe(400);
    const before = client.sessionId;
    const reauthenticated = client.copy();
    const right = code();
    const confirmed = await reauthenticated.mfa('/reauthenticate', { code: right });
    expect(await confirmed.json()).toEqual({ method: 'totp', recoveryCodesLeft: 10 });
    expect(reauthenticated.sessionId).not.toBe(before);
    // The same code cannot confirm twice, and the old session id is gone.
    expect((await reauthenticated.mfa('/reauthenticate', { code: right })).status).toBe(400);
    expect((await client.get('/account/username')).headers.get('location')).toBe('/signin');

    expect(await (await reauthenticated.get('/account/username')).text()).toContain('Change username');
    const done = await reauthenticated.form('/account/username', { username: renamed });
    expect(done.headers.get('location')).toBe('/security?renamed=1');
    expect(await (await reauthenticated.get('/security?renamed=1')).text()).toContain(
      `Your username is now ${renamed}`,
    );
    await reauthenticated.form('/signout', {});
    expect(await signIn(demo.client(), renamed)).toBe('/signin/verify');
  });

  it('sends a user without 2FA to the password, and a trusted browser gives no recent sign-in', async () => {
    const client = demo.client();
    await signUpClient(client);
    demo.advance(6 * 60_000);
    expect((await client.get('/account/username')).headers.get('location')).toBe('/reauth?next=/account/username');

    // Skipping the second step on a trusted browser is a sign-in with the password: recent for
    // five minutes like any other, and not a moment longer because the browser was trusted.
    const { client: trusted, username, code } = await userWithTotp();
    await signInTrusting(trusted, username, code());
    await trusted.form('/signout', {});
    expect(await signIn(trusted, username)).toBe('/');
    demo.advance(6 * 60_000);
    expect(await (await trusted.get('/account/username')).text()).toContain('purpose="reauthenticate"');
  });
});
