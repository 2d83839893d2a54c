// Elements size report (issue 5): builds the no-build ESM bundle of @totpkit/elements exactly as
// its `build` script does, measures every output with gzip -9, and compares the result with
// @teamhanko/hanko-elements 2.7.0's dist/elements.js, the bundle the issue names as the bar.
//
//   node bench/elements-size.mjs          prints the table; exits 1 when a budget is exceeded
//   node bench/elements-size.mjs --json   the same figures as JSON
//
// Budgets: all four elements with lit, the protocol checks and the English texts, i.e. the entry
// chunk and every chunk it imports statically, at most 15 KB gzip; the lazily loaded QR encoder
// chunk at most 10 KB gzip. The other chunks a page may load later are listed with what loads
// them, and "everything but the QR encoder and the other languages" sums what a page that uses
// every step and input mode downloads in English, so that nothing hides behind the eager figure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildBundle } from '../packages/elements/scripts/bundle.mjs';

const KB = 1000;
const BUDGET_MAIN = 15 * KB;
const BUDGET_QR = 10 * KB;
const HANKO = fileURLToPath(new URL('node_modules/@teamhanko/hanko-elements/dist/elements.js', import.meta.url));

const ELEMENTS = fileURLToPath(new URL('../packages/elements/', import.meta.url));

/** Bytes after `gzip -9` (the CLI, as the issue measured Hanko); zlib level 9 where there is no gzip. */
function gzip(bytes) {
  const cli = spawnSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 64 * 1024 * 1024 });
  return cli.status === 0 ? cli.stdout.length : gzipSync(bytes, { level: 9 }).length;
}

/** Minified, gzipped size of a one-off bundle of `source`, resolved from the elements package. */
async function floor(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: ELEMENTS, loader: 'ts' },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    conditions: ['production'],
    legalComments: 'none',
    logLevel: 'error',
  });
  return gzip(Buffer.from(result.outputFiles[0].contents));
}

// What the elements stand on, and what they would stand on with zod in the browser.
const LIT = `import { LitElement, html, nothing, render, unsafeCSS, adoptStyles } from 'lit';
globalThis.keep = [LitElement, html, nothing, render, unsafeCSS, adoptStyles];`;
const LIT_DECORATORS = `import { LitElement, css, html, nothing, render } from 'lit';
import { property, state } from 'lit/decorators.js';
globalThis.keep = [LitElement, css, html, nothing, render, property, state];`;
const CHECKS = `import { checkResponse, ENDPOINT_SHAPES } from '@totpkit/protocol/check';
globalThis.keep2 = [checkResponse, ENDPOINT_SHAPES];`;
const ZOD_CHECKS = `import { ENDPOINTS, ErrorResponse } from '@totpkit/protocol';
globalThis.keep2 = [...Object.values(ENDPOINTS).map((e) => e.response), ErrorResponse].map((s) => s.safeParse(0));`;
const ONE_SCHEMA = `import * as z from 'zod/mini'; globalThis.keep3 = z.object({ a: z.string() }).safeParse(0);`;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

/** Which part of the bundle an input file belongs to. */
function owner(input) {
  if (input.includes('node_modules/zod/')) return 'zod/mini';
  if (/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\//.test(input)) return 'lit';
  if (input.includes('packages/protocol/') || input.startsWith('../protocol/'))
    return 'protocol checks (table + interpreter)';
  if (input.includes('uqr/')) return 'uqr (QR encoder)';
  if (input.includes('src/shared/strings/')) return 'texts';
  if (input.startsWith('src/')) return 'elements (own code and styles)';
  return 'esbuild runtime';
}

/** When a page fetches a chunk that is not part of the eager bundle. */
function loadedWhen(inputs) {
  if (inputs.some((input) => input.includes('uqr/'))) return 'QR encoder: only when the server sends no QR image';
  const locale = inputs.map((input) => /strings\/(de|fr|es)\.ts$/.exec(input)?.[1]).find(Boolean);
  if (locale) return `${locale} texts: when the page's language is ${locale}`;
  if (inputs.some((input) => input.endsWith('setup-step.ts')))
    return '<totp-activate> setup step: with the status call';
  if (inputs.some((input) => input.endsWith('recovery-codes-list.ts')))
    return 'new recovery codes (list, copy, download, print): while the code is typed';
  if (inputs.some((input) => input.endsWith('page-input.ts'))) return 'light-dom-input or a slotted <input>: on use';
  if (inputs.some((input) => input.endsWith('copy.ts'))) return 'copy buttons: with either step above';
  return 'shared by the chunks above';
}

const outdir = mkdtempSync(join(tmpdir(), 'totpkit-elements-size-'));
try {
  const { metafile } = await buildBundle(outdir);
  const outputs = Object.entries(metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => {
      // esbuild names outputs relative to its working directory, the elements package.
      const bytes = readFileSync(resolve(ELEMENTS, file));
      return {
        file: relative(outdir, resolve(ELEMENTS, file)),
        path: file,
        output,
        bytes,
        min: bytes.length,
        gzip: gzip(bytes),
      };
    });
  const byPath = new Map(outputs.map((entry) => [entry.path, entry]));
  const byFile = new Map(outputs.map((entry) => [entry.file, entry]));
  const main = outputs.find((entry) => entry.output.entryPoint === 'src/index.ts');
  if (!main) throw new Error('the bundle has no entry chunk');

  // What a page downloads before the first element renders: the entry and its static imports, all
  // the way down, in that order (esbuild lists every chunk the entry needs among its own imports).
  const eager = [main];
  for (const entry of eager) {
    for (const imported of entry.output.imports) {
      const chunk = byPath.get(imported.path) ?? byFile.get(imported.path);
      if (imported.kind === 'import-statement' && chunk && !eager.includes(chunk)) eager.push(chunk);
    }
  }
  const gzipOf = (entries) => gzip(Buffer.concat(entries.map((entry) => entry.bytes)));
  const eagerMin = eager.reduce((sum, entry) => sum + entry.min, 0);
  const eagerGzip = gzipOf(eager);
  const later = outputs.filter((entry) => !eager.includes(entry));
  const inputsOf = (entry) => Object.keys(entry.output.inputs);
  const qr = later.find((entry) => inputsOf(entry).some((input) => input.includes('uqr/')));
  const locales = later.filter((entry) => inputsOf(entry).some((input) => /strings\/(de|fr|es)\.ts$/.test(input)));
  const onDemand = later.filter((entry) => entry !== qr && !locales.includes(entry));
  const everythingGzip = gzipOf([...eager, ...onDemand]);

  // Share of the eager bundle per part: minified bytes.
  const parts = new Map();
  for (const entry of eager) {
    for (const [input, { bytesInOutput }] of Object.entries(entry.output.inputs)) {
      parts.set(owner(input), (parts.get(owner(input)) ?? 0) + bytesInOutput);
    }
  }

  const floors = {
    lit: await floor(LIT),
    litWithDecorators: await floor(LIT_DECORATORS),
    checks: await floor(CHECKS),
    zodChecks: await floor(ZOD_CHECKS),
    oneZodMiniObject: await floor(ONE_SCHEMA),
  };

  const hanko = readFileSync(HANKO);
  const hankoGzip = gzip(hanko);
  const describe = (entry) => ({
    file: entry.file,
    min: entry.min,
    gzip: entry.gzip,
    loaded: loadedWhen(inputsOf(entry)),
  });
  const report = {
    main: { files: eager.map((entry) => entry.file), min: eagerMin, gzip: eagerGzip, budget: BUDGET_MAIN },
    qr: qr && { file: qr.file, min: qr.min, gzip: qr.gzip, budget: BUDGET_QR },
    locales: locales.map(describe),
    onDemand: onDemand.map(describe),
    everythingButQrAndLocales: { gzip: everythingGzip },
    parts: Object.fromEntries(parts),
    floors,
    hanko: { file: 'dist/elements.js', min: hanko.length, gzip: hankoGzip },
    ratio: eagerGzip / hankoGzip,
    withinBudget: eagerGzip <= BUDGET_MAIN && (!qr || qr.gzip <= BUDGET_QR),
  };

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const row = (label, min, gz, note = '') =>
      console.log(`  ${label.padEnd(44)} ${kb(min).padStart(8)} min ${kb(gz).padStart(8)} gzip  ${note}`);
    console.log('@totpkit/elements no-build bundle (esbuild, minified; gzip -9)\n');
    row('four elements + lit + checks + English', eagerMin, eagerGzip, `(budget ${kb(BUDGET_MAIN)})`);
    if (qr) row('QR encoder chunk (lazy)', qr.min, qr.gzip, `(budget ${kb(BUDGET_QR)})`);
    for (const entry of locales) row(`locale chunk ${entry.file}`, entry.min, entry.gzip);
    console.log('\n  loaded on demand:');
    for (const entry of onDemand)
      row(`  ${entry.file}`, entry.min, entry.gzip, entry.output ? loadedWhen(inputsOf(entry)) : '');
    const everythingMin = [...eager, ...onDemand].reduce((sum, entry) => sum + entry.min, 0);
    row('everything but the QR encoder and de/fr/es', everythingMin, everythingGzip, '(every step and input mode)');
    console.log('\n  minified bytes of the eager bundle, by part:');
    for (const [name, min] of [...parts].sort((a, b) => b[1] - a[1])) {
      console.log(
        `    ${name.padEnd(40)} ${kb(min).padStart(8)}  ${((100 * min) / eagerMin).toFixed(0).padStart(3)} %`,
      );
    }
    console.log('\n  what the elements stand on, each bundled alone (gzip):');
    console.log(`    lit 3 as the elements use it (static properties)  ${kb(floors.lit)}`);
    console.log(`    lit 3 with its decorators, for comparison           ${kb(floors.litWithDecorators)}`);
    console.log(`    protocol response checks (@totpkit/protocol/check) ${kb(floors.checks)}`);
    console.log(`    the same checks with zod/mini, for comparison       ${kb(floors.zodChecks)}`);
    console.log(`    a single zod/mini z.object({a: string})             ${kb(floors.oneZodMiniObject)}`);
    console.log(`\n  @teamhanko/hanko-elements 2.7.0 dist/elements.js  ${kb(hanko.length)} min  ${kb(hankoGzip)} gzip`);
    console.log(`  ratio (ours / Hanko, gzip): ${report.ratio.toFixed(2)}`);
  }

  const over = [];
  if (eagerGzip > BUDGET_MAIN) over.push(`main ${kb(eagerGzip)} (${eagerGzip} B) > ${kb(BUDGET_MAIN)}`);
  if (qr && qr.gzip > BUDGET_QR) over.push(`QR ${kb(qr.gzip)} > ${kb(BUDGET_QR)}`);
  if (over.length > 0) {
    console.log(`\n  OVER BUDGET: ${over.join('; ')}`);
    process.exitCode = 1;
  } else if (!process.argv.includes('--json')) {
    console.log(`\n  within budget: main ${eagerGzip} B <= ${BUDGET_MAIN} B, QR ${qr?.gzip ?? 0} B <= ${BUDGET_QR} B`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
