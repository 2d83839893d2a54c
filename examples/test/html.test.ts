/**
 * The plain-HTML pages (elements/plain.html, elements/login.html) in Debian's Chromium, served
 * with the elements bundle by one Node server next to the Express example's /mfa, as the doc
 * tells a newcomer to serve them.
 */

import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { createExpressApp } from '../server/express.js';
import { MemorySessions } from '../server/sessions.js';
import { cookieOf, createTestService, enableTotp, freshUser, type TestService } from './support.js';

const pages = join(dirname(fileURLToPath(import.meta.url)), '../elements');
// The bundle and its chunks, as `pnpm -r build` leaves them in the package. Not `/bundle`: in Node
// that export resolves to the package's ESM entry (its `node` condition), not the browser file.
const bundle = createRequire(import.meta.url).resolve('@totpkit/elements/totpkit-elements.js');

let browser: Browser;
let service: TestService;
let sessions: MemorySessions;
let server: Server;
let origin: string;

beforeAll(async () => {
  service = createTestService();
  sessions = new MemorySessions();
  const app = createExpressApp(service.totpkit, sessions);
  app.get('/assets/totpkit/totpkit-elements.js', (_request, response) => response.sendFile(bundle));
  app.use('/assets/totpkit/chunks', express.static(join(dirname(bundle), 'chunks')));
  app.get('/settings', (_request, response) => response.sendFile(join(pages, 'plain.html')));
  app.get('/login', (_request, response) => response.sendFile(join(pages, 'login.html')));
  // Chromium asks for one on every page; a 404 would be logged as a console error.
  app.get('/favicon.ico', (_request, response) => response.status(204).end());
  app.get('/', (_request, response) => response.type('html').send('<!doctype html><title>Home</title><h1>Home</h1>'));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: chromiumPath as string,
    // playwright-core adds its own headless flag.
    args: (chromiumArgs as string[]).filter((flag) => !flag.startsWith('--headless')),
  });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await service?.close();
});

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console warnings and errors, and uncaught exceptions. */
  problems: string[];
}

let visit: Visit | undefined;
afterEach(async () => {
  await visit?.context.close();
  visit = undefined;
});

/** A browser tab holding `cookie` (a `session=…` pair), recording what the page does. */
async function open(cookie: string): Promise<Visit> {
  const context = await browser.newContext();
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: origin, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  visit = { context, page, requests: [], problems: [] };
  const { requests, problems } = visit;
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return visit;
}

/** Nothing but the page's own origin, and images drawn in the page (`data:`). */
function foreign(requests: string[]): string[] {
  return requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'));
}

describe('elements/plain.html', () => {
  it('shows the QR code of a new setup, loading everything from its own origin', async () => {
    const cookie = cookieOf(sessions.start(freshUser('html'), 'complete'));
    const { page, requests, problems } = await open(cookie);

    await page.goto(`${origin}/settings`);
    await page.locator('totp-activate[state="setup"]').waitFor();
    const qr = page.locator('totp-activate [part="qr"]');
    await expect
      .poll(() => qr.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
      .toBeGreaterThan(0);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await qr.isVisible()).toBe(true);

    expect(requests).toContain(`${origin}/assets/totpkit/totpkit-elements.js`);
    expect(requests).toContain(`${origin}/mfa/status`);
    expect(foreign(requests)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('elements/login.html', () => {
  it('completes the second step: a right code, a new session id, then the home page', async () => {
    const user = freshUser('login');
    const currentCode = await enableTotp(service, user);
    await service.clock.sleep(30_000); // the activation code is spent
    const pending = cookieOf(await sessions.signIn(service.totpkit, user));
    const { page, context, requests, problems } = await open(pending);

    await page.goto(`${origin}/login`);
    await page.locator('totp-verify input').fill(currentCode());
    await page.locator('totp-verify input').press('Enter');
    await page.waitForURL(`${origin}/`);

    const [session] = (await context.cookies(origin)).filter((cookie) => cookie.name === 'session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(`session=${session?.value}`).not.toBe(pending);
    const sent = new Request(origin, { headers: { Cookie: `session=${session?.value}` } });
    expect(sessions.find(sent)).toMatchObject({ stage: 'complete', user: { id: user.id } });
    expect(foreign(requests)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
