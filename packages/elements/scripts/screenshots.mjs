#!/usr/bin/env node
// Screenshots for the docs, taken in Debian's Chromium with playwright-core (no browser download).
// The page loads the no-build bundle, so run `build` first.
//   node scripts/screenshots.mjs           both sets below
//   node scripts/screenshots.mjs themes    docs/images/theme-{light,dark,brand}.png for docs/theming.md:
//     the built-in light look, a dark theme and a brand theme. Each shows <totp-activate> at setup
//     (QR drawn in the browser), the recovery codes it shows after activation, and <totp-verify>
//     after a wrong code.
//   node scripts/screenshots.mjs states    docs/images/elements-de-320/<element>-<state>.png for
//     docs/elements.md: every state of every element in German on a 320 px wide screen
//     (`states <name>` for one of them).
// Requests never leave the browser: page.route() serves the bundle from dist/ and answers the
// protocol with fixed responses.
import { mkdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.mjs';
import { STATES, setupBody, statePage, stateRoutes } from './screenshot-states.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
const ORIGIN = 'https://app.example';

/** The CSS of each theme, exactly as docs/theming.md shows it. */
export const THEMES = {
  light: '',
  dark: `
    body { background: #0d1117; color: #e6edf3; }
    totp-activate, totp-verify {
      --totp-color-text: #e6edf3;
      --totp-color-background: #161b22;
      --totp-color-muted: #9198a1;
      --totp-color-border: #30363d;
      --totp-color-accent: #4493f8;
      --totp-color-on-accent: #0d1117;
      --totp-color-error: #ff7b72;
      --totp-color-field: #0d1117;
      --totp-color-field-border: #768390;
    }`,
  brand: `
    body { background: #f4f1fb; }
    totp-activate, totp-verify {
      --totp-color-accent: #6d28d9;
      --totp-color-on-accent: #ffffff;
      --totp-color-background: #ffffff;
      --totp-color-border: #ddd3f3;
      --totp-color-focus: #f59e0b;
      --totp-radius: 14px;
      --totp-spacing: 1.25rem;
      --totp-font: Georgia, 'DejaVu Serif', serif;
    }
    ::part(base) { box-shadow: 0 10px 30px rgb(76 29 149 / 0.12); border: 0; }
    ::part(heading) { color: #4c1d95; }
    ::part(submit) { border-radius: 999px; padding-inline: 1.5rem; }`,
};

const codes = [
  'k7m2q-9xw4t',
  'a1b2c-3d4e5',
  'f6g7h-8j9k0',
  'm1n2p-3q4r5',
  's6t7v-8w9x0',
  'y1z2a-3b4c5',
  'd6e7f-8g9h0',
  'j1k2m-3n4p5',
  'q6r7s-8t9v0',
  'w1x2y-3z4a5',
];

const protocol = {
  'GET /mfa/status': [
    200,
    {
      totp: { active: false, createdAt: null, lastUsedAt: null },
      recoveryCodes: null,
      config: { digits: 6, period: 30 },
      reauthenticationRequired: false,
    },
  ],
  'POST /mfa/totp/setup': [200, setupBody(new Date(Date.now() + 600_000).toISOString())],
  'POST /mfa/totp/activate': [200, { recoveryCodes: codes }],
  'POST /mfa/verify': [400, { error: { code: 'invalid_code', message: 'invalid code' } }],
};

function page(theme) {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>totpkit ${theme}</title>
<style>
  body { margin: 0; padding: 32px; font: 16px system-ui, sans-serif; }
  main { display: grid; grid-template-columns: repeat(3, 360px); gap: 24px; align-items: start; }
  ${THEMES[theme]}
</style>
<main>
  <totp-activate endpoint="/mfa" id="setup"></totp-activate>
  <totp-activate endpoint="/mfa" id="codes"></totp-activate>
  <totp-verify endpoint="/mfa" id="verify"></totp-verify>
</main>
<script type="module" src="/dist/totpkit-elements.js"></script>`;
}

/** Types a code into an element's input and submits it, then waits for `state`. */
function submitCode(id, code, until) {
  return `(async () => {
    const el = document.getElementById('${id}');
    const input = el.shadowRoot.querySelector('input[part~="input"]');
    input.value = '${code}';
    el.shadowRoot.querySelector('[part~="submit"]').click();
    while (!(${until})) await new Promise((resolve) => setTimeout(resolve, 20));
  })()`;
}

/** Fulfils a request for the bundle from dist/; false for any other path. */
function serveDist(route, url) {
  if (!url.pathname.startsWith('/dist/')) return false;
  const type = extname(url.pathname) === '.js' ? 'text/javascript' : 'application/octet-stream';
  route.fulfill({ contentType: type, body: readFileSync(join(ROOT, url.pathname)) });
  return true;
}

async function themes(browser) {
  for (const theme of Object.keys(THEMES)) {
    const context = await browser.newContext({ viewport: { width: 1240, height: 800 }, deviceScaleFactor: 1 });
    const tab = await context.newPage();
    await tab.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: page(theme) });
      if (serveDist(route, url)) return;
      const answer = protocol[`${route.request().method()} ${url.pathname}`];
      if (!answer) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
      return route.fulfill({ status: answer[0], contentType: 'application/json', body: JSON.stringify(answer[1]) });
    });
    await tab.goto(`${ORIGIN}/`);
    await tab.waitForFunction(() =>
      [...document.querySelectorAll('totp-activate')].every((el) => el.shadowRoot?.querySelector('[part~="input"]')),
    );
    await tab.evaluate(submitCode('codes', '123456', `el.getAttribute('state') === 'recovery-codes'`));
    await tab.evaluate(submitCode('verify', '000000', `el.shadowRoot.querySelector('[part~="error"]').textContent`));
    await tab.waitForFunction(() => document.getElementById('setup')?.shadowRoot?.querySelector('img[part~="qr"]'));
    // Open "Can't scan the code?" so the grouped key and its copy button are in the picture.
    await tab.evaluate(() => {
      document.getElementById('setup').shadowRoot.querySelector('[part~="manual"]').open = true;
      document.activeElement?.blur();
    });
    const file = join(IMAGES, `theme-${theme}.png`);
    await tab.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
    await context.close();
  }
}

/** Every state of every element in German at 320 px, one image each. */
async function states(browser, only) {
  const dir = join(IMAGES, 'elements-de-320');
  mkdirSync(dir, { recursive: true });
  for (const state of STATES.filter((each) => !only || each.name === only)) {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 });
    const tab = await context.newPage();
    tab.on('pageerror', (error) => console.error(`${state.name}: ${error}`));
    const routes = stateRoutes(state);
    await tab.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: statePage(state) });
      if (serveDist(route, url)) return;
      const answer = routes[`${route.request().method()} ${url.pathname}`];
      // `null`: the request never gets an answer, for the loading state.
      if (answer === null) return undefined;
      if (!answer) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' });
      return route.fulfill({ status: answer[0], contentType: 'application/json', body: JSON.stringify(answer[1]) });
    });
    await tab.goto(`${ORIGIN}/`);
    await tab.evaluate(state.drive);
    await tab.evaluate(() => document.activeElement?.blur());
    const file = join(dir, `${state.name}.png`);
    await tab.screenshot({ path: file, fullPage: true });
    console.log(`wrote ${file}`);
    await context.close();
  }
}

const which = process.argv[2];
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
try {
  if (which !== 'states') await themes(browser);
  if (which !== 'themes') await states(browser, process.argv[3]);
} finally {
  await browser.close();
}
