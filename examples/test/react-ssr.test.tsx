/**
 * React 19 server rendering and hydration in Chromium. `react-dom/server` renders the page here,
 * in Node, which imports every element module on the way; the browser gets that markup and the
 * client code (bundled by esbuild), whose imports define the elements before `hydrateRoot`.
 *
 * What each test proves: the backend, which wants a bearer token and a CSRF token, received both
 * on every call (and nothing before the page was configured), and React's own state changed in the
 * `totp-activated` handler after a real activation.
 */
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TwoFactorSettings, type TwoFactorSettingsProps } from '../elements/react.js';
import { RawTwoFactorSettings } from './hydration/react-raw.js';
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
  client = await buildClient(fileURLToPath(new URL('./hydration/react-client.tsx', import.meta.url)));
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

/** Renders the page on the server and opens it; React has not hydrated it yet. */
async function open(kind: 'components' | 'raw') {
  const visitor = backend.visitor();
  const props: TwoFactorSettingsProps = { csrfToken: visitor.csrfToken, headers: visitor.headers };
  const Page = kind === 'raw' ? RawTwoFactorSettings : TwoFactorSettings;
  const markup = renderToString(<Page {...props} />);
  const page = await browser.newPage();
  const problems = problemsOf(page);
  const requests = requestsOf(page);
  await page.goto(backend.origin + backend.page(htmlPage(markup, { kind, props })));
  await untilUpgraded(page, 'totp-activate');
  return { visitor, markup, page, problems, requests };
}

describe('React 19: server-rendered, then hydrated', () => {
  it('with the components of @totpkit/elements/react: no call before hydration, then every call configured', async () => {
    const { visitor, markup, page, problems, requests } = await open('components');
    // The component writes no configuration into the markup: it sets properties after hydration.
    expect(markup).toBe('<section><totp-activate></totp-activate></section>');
    // Upgraded, with no endpoint yet: nothing sent, anywhere.
    expect(requests.filter((path) => !path.startsWith('/assets/') && !path.startsWith('/page/'))).toEqual([]);

    await page.evaluate(() => window.__hydrate());
    await activate(page, backend);
    // React's own handler ran: its state change rendered this.
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Two-factor' }).textContent())
      .toBe('Two-factor authentication is on, with 10 recovery codes.');
    expectConfiguredCalls(backend, visitor);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('with the raw tag: text settings survive hydration, a listener added in an effect runs, an ontotp-* prop does not', async () => {
    const { visitor, markup, page, problems } = await open('raw');
    expect(markup).toContain(`csrf-token="${visitor.csrfToken}"`);
    expect(markup).toContain('headers="{&quot;Authorization&quot;');

    await page.evaluate(() => window.__hydrate());
    await activate(page, backend);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Two-factor' }).textContent())
      .toBe('Two-factor authentication is on, with 10 recovery codes.');
    expectConfiguredCalls(backend, visitor);
    // facebook/react#35446: the `ontotp-activated` prop was never attached during hydration.
    expect(await page.evaluate(() => window.__propCalls)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
