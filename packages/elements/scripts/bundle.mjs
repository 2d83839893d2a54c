#!/usr/bin/env node
// The no-build ESM bundle, dist/totpkit-elements.js: all four elements with lit, the protocol
// checks (@totpkit/protocol/check) and the English texts, minified. The QR encoder and the
// de/fr/es texts are separate chunks under dist/chunks/, fetched by dynamic import only when a
// page needs them.
//
// Two steps beyond esbuild's own minification keep it within its 15 KB gzip budget:
// - the static text of lit's `css` and `html` templates is minified (scripts/minify-templates.mjs);
// - members named `_like_this` (private and protected ones, by the Lit convention) get short names.
//   So a subclass of TotpElement must be built from the npm package, not from this bundle.
//   node scripts/bundle.mjs            writes dist/totpkit-elements.js and dist/chunks/
// Also used by bench/elements-size.mjs, which needs the metafile.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { minifyTemplatesPlugin } from './minify-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the bundle into `outdir` (default dist/) and returns esbuild's result with its metafile. */
export function buildBundle(outdir = `${root}dist`) {
  // Chunk names carry a content hash; drop the previous build's so that dist/ holds one set.
  rmSync(`${outdir}/chunks`, { recursive: true, force: true });
  return build({
    absWorkingDir: root,
    entryPoints: { 'totpkit-elements': 'src/index.ts' },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    tsconfig: 'tsconfig.build.json',
    // lit's production build, without dev-mode warnings.
    conditions: ['production'],
    legalComments: 'none',
    // `_$…` are lit's own cross-version members, and `__proto__` is not a member: neither is renamed.
    mangleProps: /^_[A-Za-z]/,
    plugins: [minifyTemplatesPlugin()],
    metafile: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildBundle();
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}  ${output.bytes} B`);
  }
}
