/**
 * The steps a person takes in the demo, driven through the real page: forms by their labels,
 * the totpkit elements by their accessible names (Playwright's locators pierce open shadow roots).
 */
import { parseTotpUrl, totpCode } from '@totpkit/server';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';

export const PASSWORD = 'correct horse battery staple';

export function uniqueUsername(): string {
  return `ada${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function signUp(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(`${base}/security`);
}

export async function signOut(page: Page, base: string): Promise<void> {
  await page.goto(base);
  await page.getByRole('button', { name: /Sign out/ }).click();
  await page.waitForURL(`${base}/`);
}

/** The password step; lands on the second step when the user has TOTP. */
export async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Reads the QR code the way a phone does: from pixels, not from the DOM. */
export async function scanQrCode(page: Page): Promise<string> {
  const image = page.getByRole('img', { name: /^QR code for / });
  await image.waitFor();
  const png = PNG.sync.read(await image.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error('the QR code on screen did not decode');
  return decoded.data;
}

/** The authenticator app: the code for `secret` at the current step plus `offsetSteps`. */
export function appCode(otpauthUrl: string, offsetSteps = 0): string {
  const { secret, period, digits, algorithm } = parseTotpUrl(otpauthUrl);
  return totpCode(secret, { time: Date.now() / 1000 + offsetSteps * period, period, digits, algorithm });
}

/** Every request the page makes, to check that nothing leaves the demo's origin. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}
