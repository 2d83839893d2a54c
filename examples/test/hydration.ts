/**
 * What the hydration tests (react-ssr, vue-ssr) share: a backend that wants a bearer token and a
 * CSRF token on every protocol call and records what each call carried; the framework's client
 * code bundled for the browser with esbuild; and Chromium pages that get server-rendered markup
 * and hydrate it only when the test says so, so that a test can look at the page in between.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTotpHandler } from '@totpkit/server/http';
import { totpkitExpress } from '@totpkit/server/http/express';
import { type BuildOptions, build } from 'esbuild';
import express from 'express';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { createTestService, freshUser, type TestService } from './support.js';

/** The header the example components send the CSRF token in. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** One protocol call as the backend saw it. */
export interface SeenCall {
  call: string;
  authorization: string | null;
  csrf: string | null;
}

export interface Visitor {
  /** The bearer token that names the user, and the CSRF token of the page. */
  token: string;
  csrfToken: string;
  /** `{ Authorization: 'Bearer …' }` */
  headers: Record<string, string>;
}

export interface HydrationBackend {
  origin: string;
  service: TestService;
  /** Every protocol call, in order. */
  calls: SeenCall[];
  /** A signed-in user with TOTP off; the backend knows their bearer token and the page's CSRF token. */
  visitor(): Visitor;
  /** Serves `html` at the returned path. */
  page(html: string): string;
  close(): Promise<void>;
}

/**
 * The backend: createTotpHandler under /mfa behind a CSRF check, with users named by bearer
 * tokens, and the client bundle under /assets. A call without both tokens fails, as it would in
 * production: 403 without the CSRF token, 401 without the bearer token.
 */
export async function startHydrationBackend(assets: string): Promise<HydrationBackend> {
  const service = createTestService();
  const users = new Map<string, ReturnType<typeof freshUser>>();
  const csrfTokens = new Set<string>();
  const calls: SeenCall[] = [];
  const pages = new Map<string, string>();
  const app = express();
  app.use('/mfa', (request, response, next) => {
    const csrf = request.get(CSRF_HEADER) ?? null;
    calls.push({
      call: `${request.method} ${request.path}`,
      authorization: request.get('Authorization') ?? null,
      csrf,
    });
    if (csrf && csrfTokens.has(csrf)) return next();
    response.status(403).json({ error: { code: 'forbidden', message: 'missing or wrong CSRF token' } });
  });
  const getUser = (request: Request) => users.get(request.headers.get('Authorization') ?? '') ?? null;
  app.use(totpkitExpress(createTotpHandler({ totpkit: service.totpkit, basePath: '/mfa', getUser })));
  app.use('/assets', express.static(assets));
  app.get('/page/:id', (request, response) => response.type('html').send(pages.get(request.params.id) ?? ''));
  app.get('/favicon.ico', (_request, response) => response.status(204).end());
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    service,
    calls,
    visitor() {
      const token = crypto.randomUUID();
      const csrfToken = crypto.randomUUID();
      users.set(`Bearer ${token}`, freshUser('hydration'));
      csrfTokens.add(csrfToken);
      return { token, csrfToken, headers: { Authorization: `Bearer ${token}` } };
    },
    page(html) {
      const id = String(pages.size + 1);
      pages.set(id, html);
      return `/page/${id}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
    },
  };
}

/** Bundles `entry` for the browser into a temporary folder (ES modules with their chunks). */
export async function buildClient(entry: string, options: BuildOptions = {}): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-hydration-'));
  await build({
    entryPoints: { client: entry },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: dir,
    logLevel: 'error',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', ...options.define },
    ...options,
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A whole HTML page: the server-rendered markup in #app, the client script, and its data. */
export function htmlPage(markup: string, data: unknown): string {
  return `<!doctype html>
<html lang="en">
<head><title>Two-factor authentication</title></head>
<body>
<div id="app">${markup}</div>
<script>window.__PAGE__ = ${JSON.stringify(data).replace(/</g, '\\u003c')};</script>
<script type="module" src="/assets/client.js"></script>
</body>
</html>`;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath as string,
    // playwright-core adds its own headless flag.
    args: (chromiumArgs as string[]).filter((flag) => !flag.startsWith('--headless')),
  });
}

/** Console warnings and errors, and uncaught exceptions, of a page. */
export function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** The path of every request a page makes. */
export function requestsOf(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

/**
 * Waits until the client script has defined `tag` and the server-rendered element has upgraded
 * and rendered; the framework has not hydrated yet.
 */
export async function untilUpgraded(page: Page, tag: string): Promise<void> {
  await page.evaluate(async (name) => {
    await customElements.whenDefined(name);
    const element = document.querySelector(name) as HTMLElement & { updateComplete: Promise<unknown> };
    await element.updateComplete;
    // A load would start after the first update has settled: let that happen, if it would.
    await element.updateComplete;
    await new Promise(requestAnimationFrame);
  }, tag);
}

/**
 * Activates TOTP in <totp-activate> as a user would: reads the key it shows, types the code of
 * the service's clock, and submits.
 */
export async function activate(page: Page, backend: HydrationBackend): Promise<void> {
  const { totpCode } = await import('@totpkit/server');
  const element = page.locator('totp-activate[state="setup"]');
  await element.waitFor();
  const secret = ((await element.locator('[part~="secret"]').textContent()) ?? '').replace(/\s/g, '');
  await element.locator('input[part~="input"]').fill(totpCode(secret, { time: backend.service.clock.now() / 1000 }));
  await element.locator('input[part~="input"]').press('Enter');
}

/** Every call carried the visitor's bearer token and CSRF token, and activation was among them. */
export function expectConfiguredCalls(backend: HydrationBackend, visitor: Visitor): void {
  const calls = backend.calls.map((seen) => seen.call);
  expect(calls).toEqual(['GET /status', 'POST /totp/setup', 'POST /totp/activate']);
  for (const seen of backend.calls) {
    expect(seen, seen.call).toEqual({
      call: seen.call,
      authorization: `Bearer ${visitor.token}`,
      csrf: visitor.csrfToken,
    });
  }
}
