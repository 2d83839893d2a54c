// Time to QR (issue 12): how long a page with <totp-activate> takes, at 4× CPU throttling, until the
// QR code is on screen, and how many sequential request hops come before it.
//
//   node bench/time-to-qr.mjs            9 rounds, each loads the page once per layout (interleaved)
//   node bench/time-to-qr.mjs --quick    1 round (used by the test suite, which asserts the hops only)
//   node bench/time-to-qr.mjs --json     the figures as JSON (also with --quick)
//   node bench/time-to-qr.mjs --serve    only serves both layouts' pages, to open in a browser
//
// The page is served from 127.0.0.1 with the no-build bundle exactly as
// packages/elements/scripts/bundle.mjs builds it, beside the real protocol handler of
// @totpkit/server (createTotpHandler over a MemoryStore, its default server-drawn QR: a data: URI).
// For comparison, the same sources are also built in the layout the bundle had before (esbuild's
// code splitting: the entry, its shared chunks, a chunk per later step) and loaded the same way.
//
// Chromium (/usr/bin/chromium, DESIGN.md's flags) through playwright-core; every load gets a fresh
// context, so nothing comes from a cache. CDP `Emulation.setCPUThrottlingRate {rate: 4}` applies
// before navigation. "QR visible" is the first animation frame in which the QR <img> in the
// element's shadow root has loaded (`complete` with a natural width), as performance.now() since
// navigation start.
//
// Hops: request r's hop is 1 + the largest hop among the requests that had finished before r was
// sent (0 for the document, the page itself): the length of the chain of sequential round trips
// that led to r. The figure reported is the hop of the request that brought the QR code: the
// setup call (the server's QR is a data: URI in its answer), or the QR encoder chunk for a server
// that sends none. Requests sent meanwhile for later steps are listed but not counted. data: URLs
// and the favicon are not requests to the server.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { createTotpkit, generateEncryptionKey, MemoryStore } from '@totpkit/server';
import { createTotpHandler } from '@totpkit/server/http';
import { toNodeListener } from '@totpkit/server/http/node';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { buildBundle, ESBUILD_OPTIONS } from '../packages/elements/scripts/bundle.mjs';
import { minifyTemplates } from '../packages/elements/scripts/minify-templates.mjs';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { describeMachine } from './lib/harness.mjs';

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const ROUNDS = quick ? 1 : 9;
const CPU_THROTTLE = Number(process.env.THROTTLE ?? 4);

/** The layout before issue 12: esbuild's code splitting over the same sources (no terser pass). */
async function buildSplitLayout(outdir) {
  await build({
    ...ESBUILD_OPTIONS,
    entryPoints: { 'totpkit-elements': 'src/index.ts' },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    plugins: [
      {
        name: 'templates',
        setup(b) {
          b.onLoad({ filter: /\/src\/.*\.ts$/ }, async ({ path }) => ({
            contents: minifyTemplates(await readFile(path, 'utf8'), path),
            loader: 'ts',
          }));
        },
      },
    ],
  });
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>time to QR</title>
<script type="module" src="totpkit-elements.js"></script></head>
<body><totp-activate endpoint="/mfa"></totp-activate></body>
</html>`;

/** Serves `/{layout}/` (the page and its bundle) and the protocol under /mfa, on a spare port. */
async function startServer(layouts) {
  let user = 0;
  const totpkit = createTotpkit({
    issuer: 'totpkit bench',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    logger: { warn: () => {}, error: (message) => console.error(message) },
  });
  // Each page load is a user of its own (the element sends no header; the cookie names the user).
  const protocol = toNodeListener(
    createTotpHandler({
      totpkit,
      basePath: '/mfa',
      getUser: (request) => {
        const id = /bench-user=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1];
        return id ? { id, email: `${id}@example.com` } : null;
      },
    }),
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/mfa/')) return protocol(req, res);
    const [, layout, ...rest] = url.pathname.split('/');
    const dir = layouts[layout];
    if (!dir) return res.writeHead(404).end();
    const file = rest.join('/');
    if (file === '') {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Set-Cookie': `bench-user=u${++user}; Path=/`,
        'Cache-Control': 'no-store',
      });
      return res.end(PAGE);
    }
    const path = normalize(join(dir, file));
    if (!path.startsWith(dir) || extname(path) !== '.js') return res.writeHead(404).end();
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Loads `url` once in a fresh context at CPU_THROTTLE×; returns ms to QR and the request hops. */
async function loadOnce(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp, wallTime }) => {
    const entry = { url: request.url, method: request.method, sent: timestamp, wallTime, finished: Infinity };
    requests.set(requestId, entry);
  });
  const finish = ({ requestId, timestamp }) => {
    const entry = requests.get(requestId);
    if (entry) entry.finished = timestamp;
  };
  cdp.on('Network.loadingFinished', finish);
  cdp.on('Network.loadingFailed', finish);
  await cdp.send('Network.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
  await page.goto(url);
  const shown = await page.waitForFunction(
    () => {
      const img = document.querySelector('totp-activate')?.shadowRoot?.querySelector('img[part~="qr"]');
      return img?.complete && img.naturalWidth > 0 ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  const ms = await shown.jsonValue();
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  await context.close();
  const all = [...requests.values()]
    .filter((entry) => !entry.url.startsWith('data:') && !entry.url.endsWith('/favicon.ico'))
    .sort((a, b) => a.sent - b.sent);
  // CDP's request times are monotonic seconds; the document's wall time maps the page's clock onto them.
  const [document] = all;
  const shownAt = (timeOrigin + ms) / 1000 - (document.wallTime - document.sent);
  for (const [index, entry] of all.entries()) {
    const before = all.slice(0, index).filter((other) => other.finished <= entry.sent);
    entry.hop = index === 0 ? 0 : 1 + Math.max(0, ...before.map((other) => other.hop));
  }
  const beforeQr = all.filter((entry) => entry.sent <= shownAt);
  // The QR comes with the setup answer (a data: URI), or from the encoder chunk when a server sends none.
  const qrSources = beforeQr.filter((entry) => /\/totp\/setup$|qr-encoder/.test(entry.url));
  return {
    ms,
    hops: Math.max(0, ...qrSources.map((entry) => entry.hop)),
    requests: beforeQr.map(({ method, url, hop, sent, finished }) => ({
      hop,
      request: `${method} ${new URL(url).pathname}`,
      sentMs: (sent - document.sent) * 1000,
      finishedMs: (finished - document.sent) * 1000,
    })),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

const work = mkdtempSync(join(tmpdir(), 'totpkit-time-to-qr-'));
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
let server;
try {
  const layouts = { 'one-file': join(work, 'one-file'), split: join(work, 'split') };
  await buildBundle(layouts['one-file']);
  await buildSplitLayout(layouts.split);
  const started = await startServer(layouts);
  server = started.server;
  if (process.argv.includes('--serve')) {
    // To look at the pages in a browser of one's own: both layouts stay up until Ctrl-C.
    console.log(`${started.origin}/one-file/  ${started.origin}/split/`);
    await new Promise(() => {});
  }
  const runs = { 'one-file': [], split: [] };
  // A warm-up load per layout (the first Chromium page of a run pays for its own start-up).
  if (!quick) for (const layout of Object.keys(runs)) await loadOnce(browser, `${started.origin}/${layout}/`);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['one-file', 'split'] : ['split', 'one-file'];
    for (const layout of order) runs[layout].push(await loadOnce(browser, `${started.origin}/${layout}/`));
  }
  const summary = Object.fromEntries(
    Object.entries(runs).map(([layout, results]) => [
      layout,
      {
        medianMs: median(results.map((r) => r.ms)),
        minMs: Math.min(...results.map((r) => r.ms)),
        maxMs: Math.max(...results.map((r) => r.ms)),
        hops: Math.max(...results.map((r) => r.hops)),
        requests: results[0].requests,
      },
    ]),
  );
  const report = {
    rounds: ROUNDS,
    cpuThrottle: CPU_THROTTLE,
    layouts: summary,
    ratio: summary.split.medianMs / summary['one-file'].medianMs,
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`# Time to QR — ${describeMachine()}${quick ? ' (quick smoke run; times meaningless)' : ''}`);
    console.log(`Chromium at ${CPU_THROTTLE}× CPU throttling, ${ROUNDS} round(s), page + real backend on 127.0.0.1\n`);
    console.log('| layout | median ms to QR | min–max ms | request hops before the QR |');
    console.log('|---|---:|---:|---:|');
    const names = { 'one-file': 'one file (this bundle)', split: 'split into chunks (before)' };
    for (const [layout, s] of Object.entries(summary)) {
      console.log(
        `| ${names[layout]} | ${s.medianMs.toFixed(0)} | ${s.minMs.toFixed(0)}–${s.maxMs.toFixed(0)} | ${s.hops} |`,
      );
    }
    console.log(`\nThe one-file layout shows the QR ${report.ratio.toFixed(2)}× as fast as the split one.`);
    for (const [layout, s] of Object.entries(summary)) {
      console.log(`\n${names[layout]}, requests before the QR (hop: request):`);
      for (const { hop, request, sentMs, finishedMs } of s.requests) {
        console.log(
          `  ${hop}: ${request.padEnd(48)} sent ${sentMs.toFixed(0).padStart(5)} ms, done ${finishedMs.toFixed(0).padStart(5)} ms`,
        );
      }
    }
  }
} finally {
  await browser.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
}
