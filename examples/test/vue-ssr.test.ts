/**
 * Vue 3 server rendering and hydration in Chromium. `createSSRApp` with Vue's server renderer
 * renders elements/vue.ts here, in Node, which imports the element modules on the way; the browser
 * gets that markup and the client code (bundled by esbuild), which defines the elements at once
 * and hydrates only when the test says so, as an app that mounts late.
 *
 * What it proves: nothing was sent before Vue mounted, the backend (which wants a bearer token
 * and a CSRF token) received both on every call, and Vue's own `@totp-activated` handler ran after
 * a real activation.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { totpkitElements } from '../elements/vue.js';
import { pageComponent } from './hydration/vue-pages.js';
import {
  activate,
  buildClient,
  expectConfiguredCalls,
  type HydrationBackend,
  htmlPage,
  launch,
  problemsOf,
  requestsOf,
  startHydrationBackend,
  untilUpgraded,
} from './hydration.js';

let client: Awaited<ReturnType<typeof buildClient>>;
let backend: HydrationBackend;
let browser: Browser;

beforeAll(async () => {
  client = await buildClient(fileURLToPath(new URL('./hydration/vue-client.ts', import.meta.url)), {
    // The build with the template compiler: elements/vue.ts has its template as a string.
    // Resolved from this package, not the working directory: vitest runs from the repository root,
    // where pnpm links no `vue`.
    alias: { vue: createRequire(import.meta.url).resolve('vue/dist/vue.esm-bundler.js') },
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'true',
    },
  });
  backend = await startHydrationBackend(client.dir);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await backend?.close();
  client?.remove();
});

beforeEach(() => {
  backend.calls.length = 0;
});

/** Renders the page on the server and opens it; Vue has not mounted yet, the element has upgraded. */
async function open(kind: 'documented' | 'without-defer') {
  const visitor = backend.visitor();
  const props = { csrfToken: visitor.csrfToken, headers: visitor.headers };
  const markup = await renderToString(createSSRApp(pageComponent(kind), props).use(totpkitElements));
  const page = await browser.newPage();
  const problems = problemsOf(page);
  const requests = requestsOf(page);
  await page.goto(backend.origin + backend.page(htmlPage(markup, { kind, props })));
  await untilUpgraded(page, 'totp-activate');
  return { visitor, markup, page, problems, requests };
}

describe('Vue 3: server-rendered, then hydrated', () => {
  it('sends nothing before Vue mounts, then every call with its headers, and runs Vue’s handler', async () => {
    const { visitor, markup, page, problems, requests } = await open('documented');
    expect(markup).toContain('<totp-activate defer-hydration endpoint="/mfa"');
    expect(markup).toContain(`csrf-token="${visitor.csrfToken}"`);
    // Defined and upgraded, with the endpoint in its markup, but Vue has not mounted yet.
    expect(requests.filter((path) => !path.startsWith('/assets/') && !path.startsWith('/page/'))).toEqual([]);

    await page.evaluate(() => window.__mount());
    await activate(page, backend);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Two-factor' }).textContent())
      .toBe('Two-factor authentication is on, with 10 recovery codes.');
    expectConfiguredCalls(backend, visitor);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('without defer-hydration, the element loads from the markup before Vue mounts: no bearer token', async () => {
    const { visitor, page } = await open('without-defer');
    await page.locator('totp-activate[state="error"]').waitFor();
    // What the docs' pattern prevents: the status call left with the markup's attributes only.
    expect(backend.calls).toEqual([{ call: 'GET /status', authorization: null, csrf: visitor.csrfToken }]);
    await page.close();
  });
});
