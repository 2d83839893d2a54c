#!/usr/bin/env node
// Refreshes the demo screenshots in docs/images/ from the real demo in Debian's Chromium:
//   node demo/scripts/screenshots.mjs        (after `npm start` or `npm test` has built everything)
// It starts its own demo server on a free port with a throwaway data directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTotpUrl, totpCode } from '@totpkit/server';
import jsQR from 'jsqr';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';

const images = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'totpkit-shots-'));
const server = spawn(process.execPath, [fileURLToPath(new URL('../server/main.js', import.meta.url))], {
  env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise((resolve) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /on (http:\/\/localhost:\d+)/.exec(output);
    if (match) resolve(match[1]);
  });
});

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: chromiumArgs.filter((flag) => !flag.startsWith('--headless')),
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 }, deviceScaleFactor: 1 });
  const shoot = (name) => page.screenshot({ path: join(images, `demo-${name}.png`), fullPage: true });

  await page.goto(`${base}/signup`);
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await shoot('signup');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const qr = page.getByRole('img', { name: /^QR code for / });
  await qr.waitFor();
  await shoot('setup');

  const png = PNG.sync.read(await qr.screenshot());
  const { secret } = parseTotpUrl(jsQR(new Uint8ClampedArray(png.data), png.width, png.height).data);
  await page.getByRole('textbox', { name: 'Code from your authenticator app' }).fill(totpCode(secret));
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.locator('totp-activate [part~="recovery-code"]').first().waitFor();
  await shoot('recovery-codes');

  await page.goto(base);
  await page.getByRole('button', { name: /Sign out/ }).click();
  await page.goto(`${base}/signin`);
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/signin/verify`);
  await page.getByRole('textbox', { name: /code/i }).waitFor();
  await shoot('verify');

  await page.goto(`${base}/theming`);
  await page
    .getByRole('img', { name: /^QR code for / })
    .first()
    .waitFor();
  await page.screenshot({ path: join(images, 'demo-theming.png'), fullPage: true });
  console.log(`Screenshots written to ${images}demo-*.png`);
} finally {
  await browser.close();
  server.kill('SIGINT');
  rmSync(dataDir, { recursive: true, force: true });
}
