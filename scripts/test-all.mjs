#!/usr/bin/env node
// Runs every check of the project and ends with one line, `N passed, N failed`, which CI reads.
//   1. Biome (format + lint) and the TypeScript type check count as one test each.
//   2. One vitest run covers the Node-side projects (protocol, server, demo end-to-end, bench
//      self-checks) against the real PostgreSQL and Redis.
//   3. @web/test-runner runs the elements in Debian's Chromium, from source and from the bundle.
// Set TOTPKIT_REQUIRE_SERVICES=1 (as .ci/run does) to make a missing PostgreSQL or Redis a
// failure instead of a loudly skipped test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.totpkit-test');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  console.log(`  ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status ?? 1;
}

function single(label, status) {
  if (status === 0) totals.passed++;
  else {
    totals.failed++;
    failures.push(label);
  }
}

single('biome check', run('Format and lint (Biome)', bin('biome'), ['check', '.']));
single('typecheck', pnpm(['-r', 'typecheck']) === 0 ? 0 : 1);

const vitestJson = join(out, 'vitest.json');
const vitestStatus = run('Node tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A test file that fails to load, or whose beforeAll throws (its tests then count as skipped),
  // has no failed test to count; count the file once.
  for (const file of report.testResults) {
    if (file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')) {
      totals.failed++;
      failures.push(`vitest: ${file.name} failed outside its tests (load or hook)`);
    }
  }
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'failed') failures.push(`vitest: ${test.fullName}`);
    }
  }
} else {
  single('vitest produced no report', 1);
}
if (vitestStatus !== 0 && totals.failed === 0) single(`vitest exited ${vitestStatus}`, 1);

/** One @web/test-runner run of the element suite; `config` picks sources or the built bundle. */
function runElements(label, args, countsFile) {
  const status = run(label, join(root, 'packages/elements/node_modules/.bin/wtr'), args, {
    cwd: join(root, 'packages/elements'),
    env: { ...process.env, TOTPKIT_COUNTS_FILE: countsFile },
  });
  if (!existsSync(countsFile)) {
    single(`${label} produced no report`, 1);
    return;
  }
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (counts.failed > 0) failures.push(`${label}: ${counts.failed} element test(s)`);
  if (status !== 0 && counts.failed === 0) single(`${label} exited ${status}`, 1);
}

runElements('Element tests in Chromium (@web/test-runner)', [], join(out, 'wtr.json'));
// The same suite against the minified no-build bundle that pages load with a script tag.
runElements(
  'Element tests against the bundle',
  ['--config', 'web-test-runner.bundle.config.mjs'],
  join(out, 'wtr-bundle.json'),
);

console.log('');
if (failures.length > 0) console.log(`Failures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
if (totals.skipped > 0) console.log(`${totals.skipped} skipped`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
