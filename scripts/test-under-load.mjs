#!/usr/bin/env node
// Runs the whole suite (scripts/test-all.mjs) twice while two other processes burn a CPU core each,
// and prints each run's `N passed, N failed` line. A test that fails here depends on the machine's
// speed (a count of successes in a time window, a fixed sleep, a parsed figure) and is broken.
//   node scripts/test-under-load.mjs            two runs; build first (npm test does) if dist/ is stale
//   node scripts/test-under-load.mjs --runs 1
// Each run's full output goes to .totpkit-test-load/run-N.log; only the summaries are printed.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const logs = join(root, '.totpkit-test-load');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg === -1 ? 2 : Number(process.argv[runsArg + 1]);
const BURNERS = 2;

/** A process that keeps one core busy until it is killed. */
function burner() {
  return spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random());'], { stdio: 'ignore' });
}

/** One run of the suite; resolves its exit status once its log is fully written. */
function suite(log) {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [join(root, 'scripts/test-all.mjs')], { cwd: root, env: process.env });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('close', (status) => out.end(() => resolve(status ?? 1)));
  });
}

mkdirSync(logs, { recursive: true });
const summaries = [];
let failed = false;
for (let run = 1; run <= runs; run++) {
  const burners = Array.from({ length: BURNERS }, burner);
  const started = Date.now();
  const log = join(logs, `run-${run}.log`);
  console.log(`▶ run ${run} of ${runs}, beside ${BURNERS} CPU-burning processes (log: ${log})`);
  let status;
  try {
    status = await suite(log);
  } finally {
    for (const busy of burners) busy.kill();
  }
  const text = readFileSync(log, 'utf8');
  const summary = text.match(/^\d+ passed, \d+ failed$/gm)?.at(-1) ?? `no summary line (exit ${status})`;
  const failures = text.match(/^Failures:\n(?: {2}- .*\n)+/m)?.[0] ?? '';
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  summaries.push(`run ${run} (under load, ${minutes} min): ${summary}`);
  console.log(`  ${summaries.at(-1)}`);
  if (failures) console.log(failures.trimEnd());
  if (status !== 0) failed = true;
}
console.log(`\n${summaries.join('\n')}`);
process.exit(failed ? 1 : 0);
