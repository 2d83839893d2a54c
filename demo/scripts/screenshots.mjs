#!/usr/bin/env node
// Refreshes the demo screenshots in docs/images/ from the real demo in Debian's Chromium:
//   node demo/scripts/screenshots.mjs        (after `npm start` or `npm test` has built everything)
// It runs the demo in this process (server/demo.js, as main.js does) on a free port with a
// throwaway data directory, and a clock it can move forward to show the "confirm your password"
// state. The desktop shots (docs/images/demo-*.png) are taken at 900 px; every page is also taken
// at 375 px, a common phone width, into docs/images/demo-375/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTotpUrl, totpCode } from '@totpkit/server';
import jsQR from 'jsqr';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { createDemo } from '../server/demo.js';

const images = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const phoneImages = join(images, 'demo-375');
mkdirSync(phoneImages, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'totpkit-shots-'));
let skew = 0; // moved forward for the "confirm your password" page
const demo = await createDemo({ dataDir, env: {}, now: () => Date.now() + skew });
const server = createServer(demo.app);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const PASSWORD = 'correct horse battery staple';

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: chromiumArgs.filter((flag) => !flag.startsWith('--headless')),
});

/** The app's code for the key in the QR code on screen, `offset` steps ahead. */
async function scan(page) {
  const qr = page.getByRole('img', { name: /^QR code for / });
  await qr.waitFor();
  const png = PNG.sync.read(await qr.screenshot());
  return parseTotpUrl(jsQR(new Uint8ClampedArray(png.data), png.width, png.height).data).secret;
}
const code = (secret, offset = 0) => totpCode(secret, { time: (Date.now() + skew) / 1000 + offset * 30 });

async function signUp(page, username) {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(`${base}/security`);
}

async function signInTo(page, username) {
  await page.goto(`${base}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/signin/verify`);
  await page.getByRole('textbox', { name: /code/i }).waitFor();
}

/** The desktop set, as before: sign-up, setup, recovery codes, the second step, theming. */
async function desktop() {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 }, deviceScaleFactor: 1 });
  const shoot = (name) => page.screenshot({ path: join(images, `demo-${name}.png`), fullPage: true });
  await page.goto(`${base}/signup`);
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill(PASSWORD);
  await shoot('signup');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const secret = await scan(page);
  await shoot('setup');
  await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(code(secret));
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.locator('totp-activate [part~="recovery-code"]').first().waitFor();
  await shoot('recovery-codes');
  await page.getByRole('button', { name: /Sign out/ }).click();
  await signInTo(page, 'ada');
  await shoot('verify');
  await page.goto(`${base}/theming`);
  await page
    .getByRole('img', { name: /^QR code for / })
    .first()
    .waitFor();
  await shoot('theming');
  await page.close();
}

/** Every page at 375 px, in the order a newcomer meets them. */
async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  let n = 0;
  const shoot = async (name) => {
    await page.waitForLoadState('networkidle');
    n += 1;
    await page.screenshot({ path: join(phoneImages, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const username = 'grace_hopper_of_the_long_names';

  await page.goto(base);
  await shoot('home');
  await page.goto(`${base}/signup`);
  await shoot('signup');
  await page.goto(`${base}/signin`);
  await shoot('signin');
  await page.goto(`${base}/theming`);
  await page
    .getByRole('img', { name: /^QR code for / })
    .nth(2)
    .waitFor();
  await shoot('theming');
  await page.goto(`${base}/no-such-page`);
  await shoot('not-found');

  await signUp(page, username);
  await scan(page);
  await shoot('security-2fa-off');
  await page.goto(base);
  await shoot('home-2fa-off');
  await page.goto(`${base}/reauth?next=/security`);
  await shoot('confirm-password');

  await page.goto(`${base}/security`);
  const secret = await scan(page);
  await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(code(secret));
  await page.getByRole('button', { name: 'Activate' }).click();
  const codes = page.locator('totp-activate [part~="recovery-code"]');
  await codes.first().waitFor();
  const recoveryCode = (await codes.first().textContent()).trim();
  await shoot('security-new-recovery-codes');
  await page.getByRole('checkbox', { name: /saved these codes/ }).check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.locator('totp-deactivate[state="confirm"]').waitFor();
  await shoot('security-2fa-on');

  const recovery = page.locator('totp-recovery-codes');
  await recovery.getByRole('button', { name: 'Generate new codes' }).click();
  await recovery.getByRole('button', { name: /recovery code instead/i }).click();
  await recovery.getByRole('textbox', { name: /recovery code/i }).fill(recoveryCode);
  await recovery.getByRole('button', { name: 'Generate new codes' }).click();
  await recovery.locator('[part~="recovery-code"]').first().waitFor();
  await shoot('security-regenerated-codes');
  await recovery.getByRole('checkbox', { name: /saved these codes/ }).check();
  await recovery.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: /Sign out/ }).click();
  await signInTo(page, username);
  await shoot('second-step');
  await page.getByRole('textbox', { name: /code/i }).fill(code(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(`${base}/`);
  await shoot('home-2fa-on');

  skew += 6 * 60_000; // the password was typed over five minutes ago
  await page.goto(`${base}/security`);
  await shoot('security-confirm-password-first');

  await page.getByRole('button', { name: /Sign out/ }).click();
  await page.goto(`${base}/signin`);
  for (let i = 0; i < 6; i++) {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('not my password');
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState();
  }
  await shoot('signin-too-many-attempts');
  await context.close();
}

try {
  await desktop();
  await phone();
  console.log(`Screenshots written to ${images}demo-*.png and ${phoneImages}/`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
}
