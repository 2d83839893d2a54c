/**
 * Issue 16, item 7: every page of the demo on a phone (320 and 375 px wide), in Chromium, as a
 * newcomer walks through it. On each page: nothing wider than the screen, not one failed request
 * (a network error or a 4xx/5xx), no CSP violation or console error, and one top-level heading
 * that no other heading repeats. The security page shows one state at a time, and the home page
 * says whether 2FA is on.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type DemoServer, startDemo } from '../support/demo-server.js';
import { appCode, PASSWORD, scanQrCode, signIn, signOut } from '../support/flows.js';

let demo: DemoServer;
let browser: Browser;
beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** What went wrong on a page, collected as it happens. */
interface Problems {
  failed: string[];
  console: string[];
}

async function phone(width: number): Promise<{ page: Page; problems: Problems; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width, height: 740 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: Problems = { failed: [], console: [] };
  page.on('requestfailed', (request) => problems.failed.push(`${request.url()} ${request.failure()?.errorText}`));
  // The one answer that is meant to be a 404 is the "not found" page itself.
  const expected = (url: string, status: number) => url.endsWith('/no-such-page') && status === 404;
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response.url(), response.status())) {
      problems.failed.push(`${response.url()} ${response.status()}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    if (/status of 404/.test(message.text()) && expected(message.location().url, 404)) return;
    problems.console.push(message.text());
  });
  // CSP violations, reported from inside the page (init scripts are exempt from the page's CSP).
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return { page, problems, close: () => context.close() };
}

/** The checks every page must pass. */
async function checkPage(page: Page, problems: Problems, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${name}: page width`).toBeLessThanOrEqual(innerWidth);
  const h1 = page.getByRole('heading', { level: 1 });
  expect(await h1.count(), `${name}: h1 count`).toBe(1);
  const title = (await h1.textContent())?.trim();
  const headings = (await page.getByRole('heading').allTextContents()).map((text) => text.trim());
  expect(
    headings.filter((text) => text === title),
    `${name}: headings ${JSON.stringify(headings)}`,
  ).toHaveLength(1);
  expect(problems.failed, `${name}: failed requests`).toEqual([]);
  expect(problems.console, `${name}: console`).toEqual([]);
}

// The longest name sign-up accepts; 29 characters used to overflow the header.
const longName = () => `a${Date.now().toString(36)}${'x'.repeat(32)}`.slice(0, 32);

describe.each([320, 375])('the demo at %i px', (width) => {
  it('fits every page on the screen with no failed request, one heading, and one state at a time', async () => {
    const { page, problems, close } = await phone(width);
    const base = demo.url;
    try {
      for (const path of ['/', '/signin', '/signup', '/no-such-page']) {
        await page.goto(`${base}${path}`);
        await checkPage(page, problems, path);
      }
      await page.goto(`${base}/theming`);
      await page
        .getByRole('img', { name: /^QR code for / })
        .nth(2)
        .waitFor();
      await checkPage(page, problems, '/theming');

      // Sign up with a 32-character name: the security page offers setup, and only setup.
      const username = longName();
      await page.goto(`${base}/signup`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(`${base}/security`);
      await scanQrCode(page);
      await checkPage(page, problems, 'security, 2FA off');
      expect(await page.locator('totp-deactivate').isVisible()).toBe(false);
      expect(await page.locator('totp-recovery-codes').isVisible()).toBe(false);
      // The name in the header is cut short rather than widening the page.
      const who = page.locator('header .who');
      expect(await who.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);

      await page.goto(base);
      await page.getByRole('heading', { name: `Hello, ${username}` }).waitFor();
      expect(await page.locator('main').textContent()).toMatch(/Two-factor authentication is off/);
      await checkPage(page, problems, 'home, 2FA off');
      await page.goto(`${base}/reauth?next=/security`);
      await checkPage(page, problems, '/reauth');

      // Activate: while the new recovery codes are on screen, nothing else can be done with 2FA.
      await page.goto(`${base}/security`);
      const url = await scanQrCode(page); // each visit starts a new setup, with a new key
      await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(appCode(url));
      await page.getByRole('button', { name: 'Activate' }).click();
      const codes = page.locator('totp-activate [part~="recovery-code"]');
      await codes.first().waitFor();
      const recoveryCode = ((await codes.first().textContent()) ?? '').trim();
      await checkPage(page, problems, 'security, new recovery codes');
      expect(await page.getByRole('button', { name: 'Turn off' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Generate new codes' }).count()).toBe(0);
      await page.getByRole('checkbox', { name: /saved these codes/ }).check();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.locator('totp-deactivate[state="confirm"]').waitFor();
      await page.locator('totp-recovery-codes[state="overview"]').waitFor();
      await checkPage(page, problems, 'security, 2FA on');
      expect(await page.locator('totp-activate').isVisible()).toBe(false);

      // Regenerate: "Turn off" is out of reach until the new codes are confirmed.
      const recovery = page.locator('totp-recovery-codes');
      await recovery.getByRole('button', { name: 'Generate new codes' }).click();
      // A recovery code, so that the app's next code is still unused for the sign-in below.
      await recovery.getByRole('button', { name: /recovery code instead/i }).click();
      await recovery.getByRole('textbox', { name: /recovery code/i }).fill(recoveryCode);
      await recovery.getByRole('button', { name: 'Generate new codes' }).click();
      await recovery.locator('[part~="recovery-code"]').first().waitFor();
      await checkPage(page, problems, 'security, regenerated codes');
      expect(await page.locator('totp-deactivate').evaluate((element) => (element as HTMLElement).inert)).toBe(true);
      await recovery.getByRole('checkbox', { name: /saved these codes/ }).check();
      await recovery.getByRole('button', { name: 'Done' }).click();
      await page.locator('totp-recovery-codes[state="overview"]').waitFor();
      expect(await page.locator('totp-deactivate').evaluate((element) => (element as HTMLElement).inert)).toBe(false);

      // The second step: one heading, the element's own.
      await signOut(page, base);
      await signIn(page, base, username);
      await page.waitForURL(`${base}/signin/verify`);
      await page.getByRole('textbox', { name: /code/i }).waitFor();
      await checkPage(page, problems, '/signin/verify');
      await page.getByRole('textbox', { name: /code/i }).fill(appCode(url, 1));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${base}/`);
      expect(await page.locator('main').textContent()).toMatch(/two-factor authentication is on/);
      await checkPage(page, problems, 'home, 2FA on');
    } finally {
      await close();
    }
  });
});
