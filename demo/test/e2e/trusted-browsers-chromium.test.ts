/**
 * Issue 17 in Chromium: the demo (in-process, its clock in the test's hands, served on
 * 127.0.0.1) with the real elements. "Don't ask again on this browser" at the second step leaves a
 * cookie Chromium keeps as HttpOnly, Secure and SameSite=Lax on a local origin; the next sign-in
 * skips the code; the security page lists the browser and revokes it; and a change of username,
 * once the sign-in is no longer recent, is confirmed with a code in <totp-verify
 * purpose="reauthenticate">.
 */
import { totpCode } from '@totpkit/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { PASSWORD, uniqueUsername } from '../support/flows.js';
import { enrol, type InProcessDemo, signUpClient, startInProcess } from '../support/in-process.js';

let demo: InProcessDemo;
let browser: Browser;
beforeAll(async () => {
  [demo, browser] = await Promise.all([startInProcess(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${demo.url}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('trusts this browser when asked, skips the code at the next sign-in, revokes it from the list, and confirms a change with a code', async () => {
  // An account with 2FA, made over HTTP; the browser only signs in.
  const client = demo.client();
  const username = await signUpClient(client, uniqueUsername());
  const secret = await enrol(client, demo.now());
  /** The app's code of the next step, on the demo's clock. */
  const nextCode = () => {
    demo.advance(30_000);
    return totpCode(secret, { time: demo.now() / 1000 });
  };

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  await page.waitForURL(`${demo.url}/signin/verify`);
  await page.getByRole('checkbox', { name: 'Don’t ask again on this browser for 14 days' }).check();
  await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(nextCode());
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(`${demo.url}/`);

  const [trust] = (await context.cookies()).filter((cookie) => cookie.name === '__Host-totpkit-trust');
  expect(trust).toMatchObject({ path: '/', httpOnly: true, secure: true, sameSite: 'Lax' });
  expect(trust?.expires).toBeGreaterThan(Date.now() / 1000 + 13 * 86_400);

  // Signed out and in again: the password is enough on this browser.
  await page.getByRole('button', { name: /Sign out/ }).click();
  await signIn(page, username);
  await page.waitForURL(`${demo.url}/`);

  // The security page lists it as this browser; revoking it drops the cookie.
  await page.goto(`${demo.url}/security`);
  const list = page.locator('totp-trusted-browsers');
  await expect.poll(() => list.getByText('This browser').count()).toBe(1);
  await list.getByRole('button', { name: /^Revoke (?!all$)/ }).click();
  await expect.poll(async () => (await context.cookies()).some((c) => c.name === '__Host-totpkit-trust')).toBe(false);

  // Five minutes on, the change of username asks "Confirm it's you"; a code confirms it.
  demo.advance(6 * 60_000);
  await page.goto(`${demo.url}/account/username`);
  await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
  await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(nextCode());
  await page.getByRole('button', { name: 'Confirm' }).click();
  const renamed = uniqueUsername();
  await page.getByLabel('New username').fill(renamed);
  await page.getByRole('button', { name: 'Change username' }).click();
  await page.waitForURL(`${demo.url}/security?renamed=1`);
  await expect.poll(() => page.getByText(`Your username is now ${renamed}`).count()).toBe(1);

  // The trust is gone: the next sign-in asks for the code again.
  await page.getByRole('button', { name: /Sign out/ }).click();
  await signIn(page, renamed);
  await page.waitForURL(`${demo.url}/signin/verify`);
  await context.close();
});
