#!/usr/bin/env node
// Packs every public package into one folder, exactly as `npm publish` would upload it:
//   npm run release:pack                      install, clean build, then .totpkit-pack/*.tgz
//   node scripts/release-pack.mjs --no-build  pack what dist/ holds now (the install test does this
//                                             after `npm test` has built, so no test sees dist/ rewritten)
//   node scripts/release-pack.mjs --out DIR   another folder
// pnpm packs, not npm: it rewrites `workspace:*` to the real versions. Each tarball is then
// checked: no `workspace:` left, only dist/, the README, LICENSE, CHANGELOG and declared data files,
// no source maps (src/ is not shipped), and every target of `exports`, `bin`, `main` and `types`
// present. The release itself (`changeset publish`) publishes these same directories.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { pnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The workspace packages that are published: packages/* without `"private": true`. */
export function publicPackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

/** The files of a .tgz as a Map of path (without the `package/` prefix) to contents. */
export function readTarball(file) {
  const tar = gunzipSync(readFileSync(file));
  const files = new Map();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(header.subarray(124, 136).toString('utf8').trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^package\//, '');
    if (type === '0') files.set(path, tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Every file path that `exports`, `bin`, `main` and `types` point at. */
function declaredTargets(manifest) {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  walk(manifest.main);
  walk(manifest.types);
  return [...targets];
}

/** What is wrong with a packed tarball; empty when nothing is. */
export function checkTarball(file) {
  const files = readTarball(file);
  const manifestText = files.get('package.json')?.toString('utf8');
  if (!manifestText) return ['no package.json'];
  const manifest = JSON.parse(manifestText);
  const problems = [];
  if (manifestText.includes('workspace:')) problems.push('package.json still has a workspace: specifier');
  for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (!files.has(required)) problems.push(`${required} is missing`);
  }
  const allowed = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', ...declaredTargets(manifest)]);
  for (const path of files.keys()) {
    if (path.endsWith('.map')) problems.push(`${path}: source maps point at src/, which is not shipped`);
    else if (!path.startsWith('dist/') && !allowed.has(path)) problems.push(`${path} should not be in the tarball`);
  }
  for (const target of declaredTargets(manifest)) {
    if (!files.has(target)) problems.push(`${target} is declared in package.json but not in the tarball`);
  }
  return problems;
}

/** Packs every public package into `out` (emptied first); returns one entry per tarball. */
export function releasePack({ out = join(root, '.totpkit-pack'), build = true } = {}) {
  const packages = publicPackages();
  if (build) {
    if (pnpm(['install', '--frozen-lockfile']) !== 0) throw new Error('pnpm install failed');
    // From empty dist/ folders, so no file of a removed source is packed.
    for (const { dir } of packages) rmSync(join(dir, 'dist'), { recursive: true, force: true });
    if (pnpm(['-r', '--filter', './packages/**', 'build']) !== 0) throw new Error('the build failed');
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const packed = [];
  for (const { dir, manifest } of packages) {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${manifest.name} has no dist/: build it first`);
    const before = new Set(readdirSync(out));
    const status = pnpm(['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    const file = readdirSync(out).find((name) => !before.has(name));
    if (status !== 0 || !file) throw new Error(`pnpm pack failed for ${manifest.name} (exit ${status})`);
    const path = join(out, file);
    const problems = checkTarball(path);
    if (problems.length > 0) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
    packed.push({ name: manifest.name, version: manifest.version, file: path, bytes: statSync(path).size });
  }
  return packed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex === -1 ? undefined : resolve(args[outIndex + 1] ?? '');
  try {
    for (const { name, version, file, bytes } of releasePack({ out, build: !args.includes('--no-build') })) {
      console.log(`${name}@${version}  ${(bytes / 1024).toFixed(1)} KB  ${file}`);
    }
  } catch (error) {
    console.error(`✖ ${error.message}`);
    process.exit(1);
  }
}
