/**
 * Issue 6, end to end: the demo server (SQLite in a temporary directory) and the elements in
 * Debian's Chromium. A newcomer's whole first session: sign up, enrol by scanning the QR code,
 * keep the recovery codes, sign in with a code and with a recovery code, see replays refused, and
 * turn two-factor authentication off — with no request to any other host.
 */
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type DemoServer, startDemo } from '../support/demo-server.js';
import { appCode, recordRequests, scanQrCode, signIn, signOut, signUp, uniqueUsername } from '../support/flows.js';

let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  return { context, page, requests: recordRequests(page) };
}

const activate = (page: Page) => page.locator('totp-activate');

describe('the demo in Chromium', () => {
  it('enrols by QR code, signs in with a code and with recovery codes, refuses replays, and turns 2FA off', async () => {
    const { context, page, requests } = await newPage();
    const username = uniqueUsername();

    // 1. Sign up; the security page offers setup straight away.
    await signUp(page, demo.url, username);

    // 2. Scan the QR code from a screenshot, as a phone would.
    const otpauthUrl = await scanQrCode(page);
    expect(otpauthUrl).toMatch(
      /^otpauth:\/\/totp\/totpkit%20demo:[a-z0-9]+\?secret=[A-Z2-7]{32}&issuer=totpkit%20demo$/,
    );

    // 3. Type the app's code and activate.
    await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(appCode(otpauthUrl));
    await page.getByRole('button', { name: 'Activate' }).click();

    // 4. The recovery codes are shown, and the download holds them.
    const codes = activate(page).locator('[part~="recovery-code"]');
    await codes.first().waitFor();
    const recoveryCodes = (await codes.allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Download/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^totpkit-demo.*\.txt$/);
    const file = readFileSync((await download.path()) as string, 'utf8');
    for (const code of recoveryCodes) expect(file).toContain(code);
    await page.getByRole('checkbox', { name: /saved these codes/ }).check();
    await page.getByRole('button', { name: 'Done' }).click();
    // The page moves on to what an account with 2FA on can do.
    await page.locator('totp-deactivate[state="confirm"]').waitFor();

    // 5. Sign out, then sign in with a TOTP code (the app's next one; the activation code is spent).
    await signOut(page, demo.url);
    await signIn(page, demo.url, username);
    await page.waitForURL(`${demo.url}/signin/verify`);
    const loginCode = appCode(otpauthUrl, 1);
    await page.getByRole('textbox', { name: /code/i }).fill(loginCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${demo.url}/`);
    await page.getByRole('heading', { name: `Hello, ${username}` }).waitFor();

    // 7. The same code again is refused, with the one generic message.
    await signOut(page, demo.url);
    await signIn(page, demo.url, username);
    await page.waitForURL(`${demo.url}/signin/verify`);
    await page.getByRole('textbox', { name: /code/i }).fill(loginCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    const error = page.locator('totp-verify').getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^That code did not work/);
    expect(page.url()).toBe(`${demo.url}/signin/verify`);

    // 6. A recovery code works instead, once.
    await page.getByRole('button', { name: /recovery code instead/i }).click();
    await page.getByRole('textbox', { name: /recovery code/i }).fill(recoveryCodes[0] as string);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${demo.url}/`);
    await signOut(page, demo.url);
    await signIn(page, demo.url, username);
    await page.waitForURL(`${demo.url}/signin/verify`);
    await page.getByRole('button', { name: /recovery code instead/i }).click();
    await page.getByRole('textbox', { name: /recovery code/i }).fill(recoveryCodes[0] as string);
    await page.getByRole('button', { name: 'Verify' }).click();
    await error.waitFor();
    await page.getByRole('textbox', { name: /recovery code/i }).fill(recoveryCodes[1] as string);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${demo.url}/`);

    // 8. Turn it off, proving possession with another recovery code (the phone may be gone).
    await page.goto(`${demo.url}/security`);
    const deactivate = page.locator('totp-deactivate');
    await page.locator('totp-deactivate[state="confirm"]').waitFor();
    await deactivate.getByRole('button', { name: /recovery code instead/i }).click();
    await deactivate.getByRole('textbox', { name: /recovery code/i }).fill(recoveryCodes[2] as string);
    await deactivate.getByRole('button', { name: /Turn off/ }).click();
    await page.getByRole('status').filter({ hasText: 'Two-factor authentication is now off' }).waitFor();
    await page.locator('totp-activate[state="setup"]').waitFor(); // offered again
    expect(await page.locator('totp-deactivate').isVisible()).toBe(false);

    // 9. Nothing was fetched from anywhere but the demo (QR drawn locally, no CDN).
    expect(requests.length).toBeGreaterThan(10);
    for (const url of requests) expect(new URL(url).origin).toBe(demo.url);
    await context.close();
  });

  it('enrols with the "Can\'t scan?" key, using the keyboard alone', async () => {
    const { context, page, requests } = await newPage();
    await signUp(page, demo.url, uniqueUsername());
    await page.locator('totp-activate[state="setup"]').waitFor();

    // Open "Can't scan the code?" by keyboard, read the key as a person would copy it by hand.
    await tabTo(page, { tag: 'SUMMARY' });
    await page.keyboard.press('Enter');
    const key = (await activate(page).locator('[part~="secret"]').textContent())?.trim() ?? '';
    expect(key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const url = `otpauth://totp/x?secret=${key.replace(/ /g, '')}`;

    // Type the code into the one input and submit with Enter.
    await tabTo(page, { attribute: ['autocomplete', 'one-time-code'] });
    await page.keyboard.type(appCode(url));
    await page.keyboard.press('Enter');

    // Confirm the recovery codes are saved and finish, still by keyboard.
    await activate(page).locator('[part~="recovery-code"]').first().waitFor();
    await tabTo(page, { attribute: ['type', 'checkbox'] });
    await page.keyboard.press('Space');
    await tabTo(page, { text: 'Done' });
    await page.keyboard.press('Enter');
    await page.locator('totp-deactivate[state="confirm"]').waitFor();
    for (const requested of requests) expect(new URL(requested).origin).toBe(demo.url);
    await context.close();
  });

  it('keeps a white quiet zone around the QR code in the dark theme', async () => {
    const { context, page, requests } = await newPage();
    await page.goto(`${demo.url}/theming`);
    const dark = page.locator('.theme-dark');
    const frame = dark.locator('[part~="qr-frame"]');
    await dark.getByRole('img', { name: /^QR code for / }).waitFor();
    const shot = PNG.sync.read(await frame.screenshot());
    // The frame's edges (the quiet zone) are white, not the dark page; the corners are rounded.
    const whiteness: number[] = [];
    const white = (x: number, y: number) => {
      const i = (y * shot.width + x) * 4;
      whiteness.push(Math.min(shot.data[i] as number, shot.data[i + 1] as number, shot.data[i + 2] as number));
    };
    for (let x = 12; x < shot.width - 12; x += 3) for (const y of [2, shot.height - 3]) white(x, y);
    for (let y = 12; y < shot.height - 12; y += 3) for (const x of [2, shot.width - 3]) white(x, y);
    expect(Math.min(...whiteness)).toBeGreaterThan(240);
    // And the page around it really is dark.
    const page_ = PNG.sync.read(await dark.screenshot());
    expect(page_.data[(4 * page_.width + 4) * 4] as number).toBeLessThan(40);
    // It still scans.
    expect(jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height)?.data).toMatch(/^otpauth:\/\/totp\//);
    for (const requested of requests) expect(new URL(requested).origin).toBe(demo.url);
    await context.close();
  });
});

/** What the focused element must be: a tag, an attribute value, or its text. */
interface Target {
  tag?: string;
  attribute?: [name: string, value: string];
  text?: string;
}

/** Presses Tab until the focused element (looking into shadow roots) matches, like a keyboard user. */
async function tabTo(page: Page, target: Target): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(({ tag, attribute, text }) => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (!active) return false;
      return (
        (!tag || active.tagName === tag) &&
        (!attribute || active.getAttribute(attribute[0]) === attribute[1]) &&
        (!text || active.textContent?.trim() === text)
      );
    }, target);
    if (found) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(target)}`);
}
