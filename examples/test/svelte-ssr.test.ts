/**
 * Svelte 5 server rendering and hydration in Chromium. svelte/compiler compiles
 * svelte/TwoFactorSettings.svelte for the server (rendered here with svelte/server, which imports
 * the element module in Node) and for the browser (bundled by esbuild); the browser defines the
 * element at once and hydrates only when the test says so.
 *
 * What it proves: nothing was sent before Svelte hydrated, the backend (which wants a bearer token
 * and a CSRF token) received both on every call, and the component's own `ontotp-activated`
 * handler ran after a real activation.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import type { Browser } from 'playwright-core';
import { compile } from 'svelte/compiler';
import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const component = fileURLToPath(new URL('../svelte/TwoFactorSettings.svelte', import.meta.url));
/** The server build goes beside the component, so that its imports resolve from examples/. */
const serverBuild = join(dirname(component), '.server-build');

/** Compiles `.svelte` files for the browser, as a bundler's Svelte plugin does. */
const svelteClient: Plugin = {
  name: 'svelte',
  setup(build) {
    build.onLoad({ filter: /\.svelte$/ }, (args) => {
      const { js } = compile(readFileSync(args.path, 'utf8'), { filename: args.path, generate: 'client' });
      return { contents: js.code, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

let client: Awaited<ReturnType<typeof buildClient>>;
let backend: HydrationBackend;
let browser: Browser;

beforeAll(async () => {
  client = await buildClient(fileURLToPath(new URL('./hydration/svelte-client.ts', import.meta.url)), {
    plugins: [svelteClient],
  });
  backend = await startHydrationBackend(client.dir);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await backend?.close();
  client?.remove();
  rmSync(serverBuild, { recursive: true, force: true });
});

/** The component compiled for the server. */
async function serverComponent() {
  const { js } = compile(readFileSync(component, 'utf8'), { filename: component, generate: 'server' });
  mkdirSync(serverBuild, { recursive: true });
  const file = join(serverBuild, `TwoFactorSettings-${process.pid}.js`);
  writeFileSync(file, js.code);
  return (await import(pathToFileURL(file).href)).default;
}

describe('Svelte 5: server-rendered, then hydrated', () => {
  it('sends nothing before Svelte hydrates, then every call with its headers, and runs the component’s handler', async () => {
    const visitor = backend.visitor();
    const props = { csrfToken: visitor.csrfToken, headers: visitor.headers };
    const { body } = render(await serverComponent(), { props });
    expect(body).toContain('defer-hydration');
    expect(body).toContain(`csrf-token="${visitor.csrfToken}"`);

    const page = await browser.newPage();
    const problems = problemsOf(page);
    const requests = requestsOf(page);
    await page.goto(backend.origin + backend.page(htmlPage(body, { props })));
    await untilUpgraded(page, 'totp-activate');
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
});
