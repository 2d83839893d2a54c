// Elements size report (issue 5): builds the no-build ESM bundle of @totpkit/elements exactly as
// its `build` script does, measures every output with gzip -9, and compares the result with
// @teamhanko/hanko-elements 2.7.0's dist/elements.js, the bundle the issue names as the bar.
//
//   node bench/elements-size.mjs          prints the table; exits 1 when a budget is exceeded
//   node bench/elements-size.mjs --json   the same figures as JSON
//
// Budgets: all four elements with lit, the protocol checks and the English texts, i.e. the main
// chunk and the chunks it imports statically, at most 15 KB gzip; the lazily loaded QR encoder
// chunk at most 10 KB gzip.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

// Everything below the elements' own code: lit with its decorators, and the response checks.
const LIT = `import { LitElement, css, html, nothing, render } from 'lit';
import { property, state } from 'lit/decorators.js';
globalThis.keep = [LitElement, css, html, nothing, render, property, state];`;
const CHECKS = `import { ENDPOINTS, ErrorResponse } from '@totpkit/protocol';
globalThis.keep2 = [...Object.values(ENDPOINTS).map((e) => e.response), ErrorResponse].map((s) => s.safeParse(0));`;
const ONE_SCHEMA = `import * as z from 'zod/mini'; globalThis.keep3 = z.object({ a: z.string() }).safeParse(0);`;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

/** Which part of the bundle an input file belongs to. */
function owner(input) {
  if (input.includes('node_modules/zod/')) return 'zod/mini (checks)';
  if (/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\//.test(input)) return 'lit';
  if (input.includes('packages/protocol/') || input.startsWith('../protocol/')) return '@totpkit/protocol schemas';
  if (input.includes('uqr/')) return 'uqr (QR encoder)';
  if (input.includes('src/shared/strings/')) return 'texts';
  if (input.startsWith('src/')) return 'elements (own code and styles)';
  return 'esbuild runtime';
}

const outdir = mkdtempSync(join(tmpdir(), 'totpkit-elements-size-'));
try {
  const { metafile } = await buildBundle(outdir);
  const outputs = Object.entries(metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => {
      const bytes = readFileSync(file);
      return { file: relative(outdir, file), output, min: bytes.length, gzip: gzip(bytes) };
    });
  const byFile = new Map(outputs.map((entry) => [entry.file, entry]));
  const main = outputs.find((entry) => entry.output.entryPoint);
  if (!main) throw new Error('the bundle has no entry chunk');
  // What a page downloads before the first element renders: the entry and its static imports.
  const eager = [main];
  for (const imported of main.output.imports) {
    if (imported.kind === 'import-statement') eager.push(byFile.get(relative(outdir, imported.path)));
  }
  const eagerMin = eager.reduce((sum, entry) => sum + entry.min, 0);
  const eagerGzip = gzip(Buffer.concat(eager.map((entry) => readFileSync(join(outdir, entry.file)))));
  const qr = outputs.find((entry) => Object.keys(entry.output.inputs).some((input) => input.includes('uqr/')));
  const locales = outputs.filter((entry) =>
    Object.keys(entry.output.inputs).some((input) => /strings\/(de|fr|es)\.ts$/.test(input)),
  );

  // Share of the eager bundle per part: minified bytes, and the gzip size of that part alone.
  const parts = new Map();
  for (const entry of eager) {
    for (const [input, { bytesInOutput }] of Object.entries(entry.output.inputs)) {
      const part = parts.get(owner(input)) ?? { min: 0, files: [] };
      part.min += bytesInOutput;
      part.files.push(input);
      parts.set(owner(input), part);
    }
  }

  const floors = {
    lit: await floor(LIT),
    checks: await floor(CHECKS),
    litAndChecks: await floor(`${LIT}\n${CHECKS}`),
    oneZodMiniObject: await floor(ONE_SCHEMA),
  };

  const hanko = readFileSync(HANKO);
  const hankoGzip = gzip(hanko);
  const report = {
    main: { files: eager.map((entry) => entry.file), min: eagerMin, gzip: eagerGzip, budget: BUDGET_MAIN },
    qr: qr && { file: qr.file, min: qr.min, gzip: qr.gzip, budget: BUDGET_QR },
    locales: locales.map((entry) => ({ file: entry.file, min: entry.min, gzip: entry.gzip })),
    parts: Object.fromEntries([...parts].map(([name, part]) => [name, part.min])),
    floors,
    hanko: { file: 'dist/elements.js', min: hanko.length, gzip: hankoGzip },
    ratio: eagerGzip / hankoGzip,
  };

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log('@totpkit/elements no-build bundle (esbuild, minified; gzip -9)\n');
    console.log(
      `  four elements + lit + checks + English  ${kb(eagerMin)} min  ${kb(eagerGzip)} gzip  (budget ${kb(BUDGET_MAIN)})`,
    );
    if (qr)
      console.log(
        `  QR encoder chunk (lazy)                 ${kb(qr.min)} min  ${kb(qr.gzip)} gzip  (budget ${kb(BUDGET_QR)})`,
      );
    for (const entry of locales)
      console.log(`  locale chunk ${entry.file.padEnd(26)} ${kb(entry.min)} min  ${kb(entry.gzip)} gzip`);
    console.log('\n  minified bytes of the eager bundle, by part:');
    for (const [name, min] of [...parts].map(([n, p]) => [n, p.min]).sort((a, b) => b[1] - a[1])) {
      console.log(
        `    ${name.padEnd(32)} ${kb(min).padStart(8)}  ${((100 * min) / eagerMin).toFixed(0).padStart(3)} %`,
      );
    }
    console.log('\n  what the elements stand on, each bundled alone (gzip):');
    console.log(`    lit 3 with decorators                    ${kb(floors.lit)}`);
    console.log(`    protocol response checks (zod/mini)      ${kb(floors.checks)}`);
    console.log(`    both together                            ${kb(floors.litAndChecks)}`);
    console.log(`    a single zod/mini z.object({a: string}) ${kb(floors.oneZodMiniObject)}`);
    console.log(`    so the elements' own code adds           ${kb(eagerGzip - floors.litAndChecks)}`);
    console.log(`\n  @teamhanko/hanko-elements 2.7.0 dist/elements.js  ${kb(hanko.length)} min  ${kb(hankoGzip)} gzip`);
    console.log(`  ratio (ours / Hanko, gzip): ${report.ratio.toFixed(2)}`);
  }

  const over = [];
  if (eagerGzip > BUDGET_MAIN) over.push(`main ${kb(eagerGzip)} > ${kb(BUDGET_MAIN)}`);
  if (qr && qr.gzip > BUDGET_QR) over.push(`QR ${kb(qr.gzip)} > ${kb(BUDGET_QR)}`);
  if (over.length > 0) {
    console.log(`\n  OVER BUDGET: ${over.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
