#!/usr/bin/env node
// The first half of both README commands: install dependencies with the pinned pnpm, fetch
// Chromium when the tests need it, and build every package. Safe to run again; each step is
// quick when there is nothing to do.
import { ensureChromium } from './chromium.mjs';
import { pnpm } from './pnpm.mjs';

const needsBrowser = process.argv.includes('--browser');

function step(label, fn) {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  fn();
  console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function mustPass(status, what) {
  if (status !== 0) {
    console.error(`✖ ${what} failed (exit ${status})`);
    process.exit(status || 1);
  }
}

step('Install dependencies (pnpm, frozen lock file)', () =>
  mustPass(pnpm(['install', '--frozen-lockfile']), 'pnpm install'),
);
if (needsBrowser) step('Chromium', ensureChromium);
step('Build the packages and the demo', () => mustPass(pnpm(['-r', 'build']), 'build'));
