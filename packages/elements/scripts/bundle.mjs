#!/usr/bin/env node
// The no-build ESM bundle: dist/totpkit-elements.js holds all four elements with every step, lit,
// the protocol checks (@totpkit/protocol/check) and the English texts, minified, in ONE file. Only
// two kinds of module stay apart, under dist/chunks/, fetched by dynamic import when a page needs
// them: the QR encoder (only for a backend that sends no QR image) and the de/fr/es texts.
//
// Elements that few pages show (STANDALONE_ELEMENTS: <totp-trusted-browsers>, for a settings page)
// are files of their own beside it, such as dist/totp-trusted-browsers.js, so that the pages of the
// four elements do not pay for them. Such a file is the element's own code only: it imports lit,
// the base class and the shared templates from ./totpkit-elements.js (which exports them for it,
// STANDALONE_IMPORTS), and is built with the bundle's renaming of `_members` (esbuild's
// mangleCache), so the subclass and the base class agree. A page adds its script tag after the
// bundle's. Its English texts are in its own file too (src/totp-trusted-browsers/strings.ts); the
// other languages' are in the lazy locale chunks.
//
// Why one file: a page that shows <totp-activate> then needs three sequential requests before its
// QR code is on screen (this file, GET /status, POST /setup; the server's QR is a data: URI), and
// needs no `<link rel="modulepreload">`; dist/modulepreload.html lists the lazy chunks with their
// hashed names for a page that is sure to need one (bench/time-to-qr.mjs). Splitting the later steps into chunks of their own,
// as before, cost more than it saved: each served file is gzipped on its own, so every chunk paid
// gzip's framing and a dictionary of its own plus the import/export glue between chunks (18.7 KB
// in 7 files against 16.8 KB in one, measured by bench/elements-size.mjs), and each chunk that a
// step imported added a request hop before the QR code (6 in all).
//
// The sources keep their `import()` of later steps (src/shared/steps.ts, the page-input modes), so
// an app's own bundler can still split them; here they become static imports (eagerImports below).
//
// Beyond esbuild's minification:
// - the static text of lit's `css` and `html` templates is minified (scripts/minify-templates.mjs);
// - terser runs over esbuild's output: two compress passes find about 1.5 % more than esbuild
//   alone (275 B gzip of the bundle, bench/elements-size.mjs);
// - members named `_like_this` (private and protected ones, by the Lit convention) get short names.
//   So a subclass of TotpElement must be built from the npm package, not from this bundle.
//   node scripts/bundle.mjs            writes dist/totpkit-elements.js, dist/chunks/ and dist/modulepreload.html
// Also used by bench/elements-size.mjs, which needs the metafile.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { minify } from 'terser';
import { minifyTemplates } from './minify-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The modules that stay separate chunks, loaded by `import()` only when a page needs them. */
export const LAZY_CHUNKS = [
  'src/shared/qr-encoder.ts',
  'src/shared/strings/de.ts',
  'src/shared/strings/fr.ts',
  'src/shared/strings/es.ts',
  // Only for protocol="allauth-headless": the default path pays nothing for the mapping.
  'src/transports/allauth-headless.ts',
];

/** Elements that are not in the one file but in a file each beside it, `dist/<tag>.js`. */
export const STANDALONE_ELEMENTS = ['src/totp-trusted-browsers/totp-trusted-browsers.ts'];

/**
 * What the standalone elements import from the bundle, by module: every runtime import of theirs
 * outside their own folder must be listed here (the build fails otherwise, naming it).
 */
const STANDALONE_IMPORTS = {
  lit: ['html', 'nothing'],
  'src/shared/base.ts': ['TotpElement'],
  'src/shared/css.ts': ['css'],
  'src/shared/format.ts': ['intl'],
  'src/shared/strings/index.ts': ['en'],
  'src/shared/templates.ts': ['button', 'messageSlot'],
};

/** The bundle's entry: src/index.ts without the standalone elements, plus what they import from it. */
function bundleEntry(source) {
  const own = STANDALONE_ELEMENTS.map((path) => `./${path.slice('src/'.length).replace(/\.ts$/, '.js')}`);
  let entry = source;
  for (const spec of own) {
    const statement = new RegExp(`export \\{[^}]*\\} from '${spec.replace(/[.]/g, '\\.')}';\\n`);
    if (!statement.test(entry)) throw new Error(`src/index.ts does not export ${spec} as the bundle expects`);
    entry = entry.replace(statement, '');
  }
  // Names src/index.ts exports already (TotpElement) are not exported twice.
  const exported = new Set([...entry.matchAll(/export \{([^}]*)\}/g)].flatMap(([, names]) => names.split(/[\s,]+/)));
  const reexports = Object.entries(STANDALONE_IMPORTS).map(([module, names]) => {
    const missing = names.filter((name) => !exported.has(name));
    const from = module === 'lit' ? 'lit' : `./${module.slice('src/'.length).replace(/\.ts$/, '.js')}`;
    return missing.length ? `export { ${missing.join(', ')} } from '${from}';` : '';
  });
  return `${entry}\n${reexports.join('\n')}\n`;
}

/**
 * Resolves a standalone element's imports outside its own folder to the bundle, checking each
 * against STANDALONE_IMPORTS; esbuild then merges them into one `import { … } from
 * './totpkit-elements.js'`.
 */
function importsFromBundle() {
  return {
    name: 'totpkit-imports-from-bundle',
    setup(build) {
      build.onResolve({ filter: /.*/ }, ({ path, importer, kind }) => {
        if (kind === 'entry-point' || !importer) return undefined;
        const module = path.startsWith('.') ? sourceOf(importer, path) : path;
        if (module.startsWith('.') || dirname(module) === dirname(importer.slice(root.length))) return undefined;
        if (!STANDALONE_IMPORTS[module]) {
          return { errors: [{ text: `${importer} imports ${module}, which STANDALONE_IMPORTS does not list` }] };
        }
        return { path: './totpkit-elements.js', external: true };
      });
    },
  };
}

/** The options both builds share (bench/time-to-qr.mjs builds the former many-chunk layout with them). */
export const ESBUILD_OPTIONS = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  minify: true,
  // No downlevelling: class fields, `??=` and optional chaining stay as written.
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  // lit's production build, without dev-mode warnings (never its `development` export condition).
  conditions: ['production'],
  legalComments: 'none',
  // `_$…` are lit's own cross-version members, and `__proto__` is not a member: neither is renamed.
  mangleProps: /^_[A-Za-z]/,
  metafile: true,
  logLevel: 'warning',
};

/** The path a dynamic `import(spec)` in `importer` resolves to, relative to the package, as `src/….ts`. */
function sourceOf(importer, spec) {
  return resolve(dirname(importer), spec).slice(root.length).replace(/\.js$/, '.ts');
}

/**
 * `source` (the module at `path`) with every `import('./x.js')` of a module that is not a lazy chunk
 * turned into a static import, so the module lands in the one file and its `import()` costs no
 * request: `Promise.resolve(ns)` with `import * as ns from './x.js'`. A lazy chunk's `import()` is
 * pointed at its built file (`chunkFiles`, by source path).
 */
function eagerSource(path, source, chunkFiles) {
  const statics = [];
  const rewritten = source.replace(/\bimport\((['"])(\.[^'"]+)\1\)/g, (_call, _quote, spec) => {
    const chunk = chunkFiles.get(sourceOf(path, spec));
    if (chunk) return `import(${JSON.stringify(`./chunks/${chunk}`)})`;
    const name = `__eager${statics.length}`;
    statics.push(`import * as ${name} from ${JSON.stringify(spec)};`);
    return `Promise.resolve(${name})`;
  });
  return statics.join('') + rewritten;
}

/** Loads the package's sources through `eagerSource`, with their templates minified. */
function eagerImports(chunkFiles) {
  return {
    name: 'totpkit-eager-imports',
    setup(build) {
      build.onLoad({ filter: /\/src\/.*\.ts$/ }, async ({ path }) => {
        let source = await readFile(path, 'utf8');
        if (path === `${root}src/index.ts`) source = bundleEntry(source);
        return { contents: minifyTemplates(eagerSource(path, source, chunkFiles), path), loader: 'ts' };
      });
      // The lazy chunks' `import()`s now name the built files, which sit beside the bundle at run time.
      build.onResolve({ filter: /^\.\/chunks\// }, ({ path }) => ({ path, external: true }));
    },
  };
}

/** Runs terser over each built file (esbuild has mangled and minified it already), in place. */
async function terse(outdir, metafile) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    const top = output.entryPoint === 'src/index.ts' || STANDALONE_ELEMENTS.includes(output.entryPoint);
    const path = resolve(outdir, top ? '' : 'chunks', basename(file));
    const { code } = await minify(await readFile(path, 'utf8'), {
      module: true,
      ecma: 2020,
      compress: { passes: 2 },
      format: { comments: false },
    });
    await writeFile(path, code);
    output.bytes = Buffer.byteLength(code);
  }
}

/** The generated `<link rel="modulepreload">` list, beside the bundle. */
export const PRELOAD_SNIPPET = 'modulepreload.html';

/**
 * The hints a page can copy into its `<head>`, with the hashed chunk names of this build. The
 * bundle itself needs none (it is one file, found by the page's own script tag); a chunk is worth
 * preloading when the page is sure to need it, which saves the request hop after the setup answer
 * (QR encoder) or after the first render (texts).
 */
function preloadSnippet(chunkFiles) {
  const link = (source) => `<link rel="modulepreload" href="chunks/${chunkFiles.get(source)}">`;
  return `<!-- @totpkit/elements ${PRELOAD_SNIPPET}, generated by scripts/bundle.mjs. Prefix each href with the path totpkit-elements.js is served from. -->
<!-- The QR encoder, for a backend that sends no QR image (qrCode: false, or not @totpkit/server): -->
${link('src/shared/qr-encoder.ts')}
<!-- The texts of a page in German, French or Spanish: -->
${link('src/shared/strings/de.ts')}
${link('src/shared/strings/fr.ts')}
${link('src/shared/strings/es.ts')}
`;
}

/**
 * Builds the bundle into `outdir` (default dist/) and returns esbuild's metafile for both builds:
 * the lazy chunks first (each stands alone: none shares code with the bundle), then the bundle,
 * whose `import()`s name the chunks' hashed files. With `annotate` the bundle keeps its line breaks
 * and esbuild's comment naming each module, and terser does not run over it: for
 * `bench/elements-size.mjs --modules`, which weighs each module's share of the gzip.
 */
export async function buildBundle(outdir = `${root}dist`, { annotate = false } = {}) {
  // Chunk names carry a content hash; drop the previous build's so that dist/ holds one set.
  await rm(`${outdir}/chunks`, { recursive: true, force: true });
  const chunks = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: LAZY_CHUNKS,
    outdir: `${outdir}/chunks`,
    entryNames: '[name]-[hash]',
    splitting: false,
  });
  const chunkFiles = new Map(
    Object.entries(chunks.metafile.outputs).map(([file, output]) => [output.entryPoint, basename(file)]),
  );
  const main = await build({
    ...ESBUILD_OPTIONS,
    // Whitespace kept, so that esbuild's `// src/…` comments mark where each module's code starts.
    ...(annotate && { minify: false, minifyIdentifiers: true, minifySyntax: true }),
    entryPoints: { 'totpkit-elements': 'src/index.ts' },
    outdir,
    splitting: false,
    plugins: [eagerImports(chunkFiles)],
    // The renaming of `_members`, for the standalone elements' build to follow.
    mangleCache: {},
  });
  const standalone = await build({
    ...ESBUILD_OPTIONS,
    ...(annotate && { minify: false, minifyIdentifiers: true, minifySyntax: true }),
    entryPoints: STANDALONE_ELEMENTS,
    outdir,
    entryNames: '[name]',
    splitting: false,
    plugins: [importsFromBundle(), eagerImports(chunkFiles)],
    mangleCache: main.mangleCache,
  });
  await terse(outdir, chunks.metafile);
  if (!annotate) {
    await terse(outdir, main.metafile);
    await terse(outdir, standalone.metafile);
  }
  await writeFile(`${outdir}/${PRELOAD_SNIPPET}`, preloadSnippet(chunkFiles));
  return {
    metafile: {
      inputs: { ...chunks.metafile.inputs, ...main.metafile.inputs, ...standalone.metafile.inputs },
      outputs: { ...chunks.metafile.outputs, ...main.metafile.outputs, ...standalone.metafile.outputs },
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { metafile } = await buildBundle();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}  ${output.bytes} B`);
  }
}
