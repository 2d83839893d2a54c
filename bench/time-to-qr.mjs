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
// @totpkit/server (createTotpHandler over a MemoryStore). Four pages, loaded in interleaved rounds:
// - one-file: the bundle, and the server's QR (a data: URI in the setup answer; the default);
// - split: the same sources in the layout the bundle had before issue 12 (esbuild's code splitting:
//   the entry, its shared chunks, a chunk per lazy step), for comparison. Since the setup view is no
//   longer a lazy step this costs one hop less than it did then (bench/README.md has that run);
// - no-qr: the bundle against a server with `qrCode: false`, so the browser draws the QR with the
//   encoder chunk;
// - no-qr-preload: the same page with the encoder's line of the generated modulepreload.html.
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
// that sends none. The requests listed are those sent before that request was answered, all read
// from the browser's one network clock: the page's own clock (performance.timeOrigin) is never
// mapped onto it, since the two can disagree by more than a round trip on a busy machine. data:
// URLs and the favicon are not requests to the server.

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
import { buildBundle, ESBUILD_OPTIONS, PRELOAD_SNIPPET } from '../packages/elements/scripts/bundle.mjs';
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

/**
 * The page of a scenario: the bundle's script tag, the element and, if asked for, the hint a page
 * whose server sends no QR image copies from the generated modulepreload.html (the encoder's line).
 */
function page({ dir, endpoint, preload }) {
  const snippet = preload ? readFileSync(join(dir, PRELOAD_SNIPPET), 'utf8') : '';
  const hints = snippet
    .split('\n')
    .filter((line) => line.includes('qr-encoder'))
    .map((line) => `${line}\n`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>time to QR</title>
${hints}<script type="module" src="totpkit-elements.js"></script>
<script>customElements.whenDefined('totp-activate').then(() => performance.mark('defined'))</script></head>
<body><totp-activate endpoint="${endpoint}"></totp-activate></body>
</html>`;
}

/** The real protocol handler under `basePath`; each page load is a user of its own, named by a cookie. */
function protocolHandler(basePath, qrCode) {
  const totpkit = createTotpkit({
    issuer: 'totpkit bench',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    qrCode,
    logger: { warn: () => {}, error: (message) => console.error(message) },
  });
  return toNodeListener(
    createTotpHandler({
      totpkit,
      basePath,
      getUser: (request) => {
        const id = /bench-user=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1];
        return id ? { id, email: `${id}@example.com` } : null;
      },
    }),
  );
}

/** Serves `/{scenario}/` (the page and the files of its build) and the protocol, on a spare port. */
async function startServer(scenarios) {
  let user = 0;
  const protocols = { '/mfa/': protocolHandler('/mfa', true), '/mfa-no-qr/': protocolHandler('/mfa-no-qr', false) };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const protocol = Object.entries(protocols).find(([base]) => url.pathname.startsWith(base))?.[1];
    if (protocol) return protocol(req, res);
    const [, name, ...rest] = url.pathname.split('/');
    const scenario = scenarios[name];
    if (!scenario) return res.writeHead(404).end();
    const file = rest.join('/');
    if (file === '') {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Set-Cookie': `bench-user=u${++user}; Path=/`,
        'Cache-Control': 'no-store',
      });
      return res.end(page(scenario));
    }
    const path = normalize(join(scenario.dir, file));
    if (!path.startsWith(scenario.dir) || extname(path) !== '.js') return res.writeHead(404).end();
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

/** In the page: when the bundle, status and setup requests started and ended, and when the element was defined. */
function timings() {
  const resource = (pattern) => {
    const entry = performance.getEntriesByType('resource').find(({ name }) => pattern.test(name));
    return entry && { start: entry.startTime, end: entry.responseEnd };
  };
  return {
    bundle: resource(/totpkit-elements\.js$/),
    defined: performance.getEntriesByName('defined')[0]?.startTime,
    status: resource(/\/status$/),
    setup: resource(/\/totp\/setup$/),
  };
}

/**
 * Where the time to the QR code goes, in ms, from the page's own clock: until the bundle is asked
 * for; its download; its compile and run until <totp-activate> is defined; until the status request
 * leaves; the status round trip; until the setup request leaves (the first render competes with the
 * status answer for the main thread); the setup round trip; and from its answer to the QR on screen
 * (the setup step's render, layout and the image's decode).
 */
function phasesOf({ bundle, defined, status, setup }, shown) {
  if (!bundle || defined === undefined || !status || !setup) return undefined;
  return {
    'page → bundle request': bundle.start,
    'bundle download': bundle.end - bundle.start,
    'bundle compile + run → defined': defined - bundle.end,
    'defined → status request': status.start - defined,
    'status round trip': status.end - status.start,
    'status answer → setup request': setup.start - status.end,
    'setup round trip': setup.end - setup.start,
    'setup answer → QR on screen': shown - setup.end,
  };
}

/** What the QR on screen needs: the setup answer, and the encoder chunk when the server sends no QR. */
const SETUP = /\/totp\/setup$/;
const ENCODER = /\/chunks\/qr-encoder-\w+\.js$/;
const qrNeeds = ({ endpoint }) => (endpoint === '/mfa-no-qr' ? [SETUP, ENCODER] : [SETUP]);

/**
 * Loads `url` once in a fresh context at CPU_THROTTLE×; returns ms to QR and the request hops.
 * `needs` matches the requests the QR on screen needs (`qrNeeds`).
 */
async function loadOnce(browser, url, needs) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp, initiator }) => {
    // `initiator.type`: "parser" for what the HTML asks for (a <script> or <link rel="modulepreload">),
    // "script" for what running code asks for (a fetch, a dynamic import). Unlike the hop, which is
    // read from timing, this does not depend on how busy the machine is.
    const entry = {
      url: request.url,
      method: request.method,
      sent: timestamp,
      finished: Infinity,
      initiator: initiator?.type ?? 'other',
    };
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
  const phases = phasesOf(await page.evaluate(timings), ms);
  await context.close();
  const all = [...requests.values()]
    .filter((entry) => !entry.url.startsWith('data:') && !entry.url.endsWith('/favicon.ico'))
    .sort((a, b) => a.sent - b.sent);
  const [document] = all;
  for (const [index, entry] of all.entries()) {
    const before = all.slice(0, index).filter((other) => other.finished <= entry.sent);
    entry.hop = index === 0 ? 0 : 1 + Math.max(0, ...before.map((other) => other.hop));
  }
  // The QR is on screen, so every request it needs was sent and answered.
  const qrSources = needs.map((pattern) => {
    const entry = all.find((request) => pattern.test(request.url));
    if (!entry) throw new Error(`${url}: the QR showed, but no request matched ${pattern}`);
    return entry;
  });
  const answered = Math.max(...qrSources.map((entry) => entry.finished));
  const beforeQr = all.filter((entry) => entry.sent <= answered);
  return {
    ms,
    phases,
    hops: Math.max(...qrSources.map((entry) => entry.hop)),
    requests: beforeQr.map(({ method, url, hop, sent, finished, initiator }) => ({
      hop,
      request: `${method} ${new URL(url).pathname}`,
      initiator,
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
  const oneFile = join(work, 'one-file');
  const split = join(work, 'split');
  await buildBundle(oneFile);
  await buildSplitLayout(split);
  const scenarios = {
    'one-file': { dir: oneFile, endpoint: '/mfa', name: 'one file (this bundle)' },
    split: { dir: split, endpoint: '/mfa', name: 'split into chunks (code splitting)' },
    'no-qr': { dir: oneFile, endpoint: '/mfa-no-qr', name: 'one file, server sends no QR' },
    'no-qr-preload': {
      dir: oneFile,
      endpoint: '/mfa-no-qr',
      preload: true,
      name: `the same with ${PRELOAD_SNIPPET}`,
    },
  };
  const started = await startServer(scenarios);
  server = started.server;
  const urlOf = (name) => `${started.origin}/${name}/`;
  if (process.argv.includes('--serve')) {
    // To look at the pages in a browser of one's own: they stay up until Ctrl-C.
    for (const name of Object.keys(scenarios)) console.log(urlOf(name));
    await new Promise(() => {});
  }
  const names = Object.keys(scenarios);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  // A warm-up load each (the first Chromium page of a run pays for its own start-up).
  if (!quick) for (const name of names) await loadOnce(browser, urlOf(name), qrNeeds(scenarios[name]));
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, in a rotating order, so that a busy moment of the machine is shared out.
    const order = names.map((_, index) => names[(index + round) % names.length]);
    for (const name of order) runs[name].push(await loadOnce(browser, urlOf(name), qrNeeds(scenarios[name])));
  }
  const summary = Object.fromEntries(
    names.map((name) => {
      const results = runs[name];
      const times = results.map((result) => result.ms);
      const hops = results.map((result) => result.hops);
      const figures = { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
      // The median of each phase on its own: they need not add up to the median time.
      const measured = results.filter((result) => result.phases).map((result) => result.phases);
      const phases = measured.length
        ? Object.fromEntries(Object.keys(measured[0]).map((phase) => [phase, median(measured.map((p) => p[phase]))]))
        : undefined;
      return [name, { ...figures, hops: Math.max(...hops), phases, requests: results[0].requests }];
    }),
  );
  const report = {
    rounds: ROUNDS,
    cpuThrottle: CPU_THROTTLE,
    scenarios: summary,
    ratio: summary.split.medianMs / summary['one-file'].medianMs,
  };
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`# Time to QR — ${describeMachine()}${quick ? ' (quick smoke run; times meaningless)' : ''}`);
    console.log(`Chromium at ${CPU_THROTTLE}× CPU throttling, ${ROUNDS} round(s), page + real backend on 127.0.0.1\n`);
    console.log('| page | median ms to QR | min–max ms | sequential request hops to the QR |');
    console.log('|---|---:|---:|---:|');
    for (const [name, s] of Object.entries(summary)) {
      const range = `${s.minMs.toFixed(0)}–${s.maxMs.toFixed(0)}`;
      console.log(`| ${scenarios[name].name} | ${s.medianMs.toFixed(0)} | ${range} | ${s.hops} |`);
    }
    console.log(`\nThe split layout takes ${report.ratio.toFixed(2)}× as long as the one file to show the QR.`);
    const { phases } = summary['one-file'];
    if (phases) {
      console.log(`\n${scenarios['one-file'].name}: where the time goes (median of each phase, ms)`);
      for (const [phase, ms] of Object.entries(phases))
        console.log(`  ${phase.padEnd(34)} ${ms.toFixed(0).padStart(5)}`);
    }
    for (const [name, s] of Object.entries(summary)) {
      console.log(`\n${scenarios[name].name}: requests sent before the QR's last request was answered`);
      for (const { hop, request, sentMs, finishedMs } of s.requests) {
        const times = `sent ${sentMs.toFixed(0).padStart(5)} ms, done ${finishedMs.toFixed(0).padStart(5)} ms`;
        console.log(`  hop ${hop}: ${request.padEnd(48)} ${times}`);
      }
    }
  }
} finally {
  await browser.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
}
