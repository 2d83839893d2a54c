// Which @totpkit/server the login benchmark runs: the TypeScript sources of the working tree (the
// default, so a run measures whatever is in the tree, built or not), or those of one commit
// (`--at <commit>`, extracted with `git archive` beside the tree's node_modules), so a figure can
// be tied to a commit id. Both load through the test suite's ts-hooks (types erased, ES2022, the
// same output as the package build), in the orchestrator and in each server process alike.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TREE_SERVER = join(REPO, 'packages/server');
const TS_HOOKS = pathToFileURL(join(TREE_SERVER, 'test/support/ts-hooks.mjs'));

const git = (...args) => execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).trimEnd();

/**
 * The package root to run (a folder with `src/` and `node_modules/`) and what it is, for the
 * report: `{ root, commit, dirty, dispose() }`. `dirty` lists the tree's uncommitted files under
 * packages/server/src, which a tree run measures too.
 */
export function serverSource(at) {
  if (!at) {
    const dirty = git('status', '--porcelain', '--', 'packages/server/src')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { root: TREE_SERVER, commit: git('rev-parse', '--short=12', 'HEAD'), dirty, dispose() {} };
  }
  const commit = git('rev-parse', '--short=12', `${at}^{commit}`);
  const dir = mkdtempSync(join(tmpdir(), `totpkit-login-bench-${commit}-`));
  execFileSync('sh', [
    '-c',
    `git -C "$1" archive "$2" packages/server/src packages/server/package.json | tar -x -C "$3"`,
    'sh',
    REPO,
    commit,
    dir,
  ]);
  const root = join(dir, 'packages/server');
  // The commit's sources resolve their dependencies (pg, ioredis, better-sqlite3, zod…) from the tree's install.
  symlinkSync(join(TREE_SERVER, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, commit, dirty: [], dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

let hooked = false;

/** Imports the entry points of the package at `root` from its sources. */
export async function loadServer(root) {
  if (!hooked) {
    register(TS_HOOKS);
    hooked = true;
  }
  const entry = (path) => import(pathToFileURL(join(root, 'src', path)).href);
  const optional = (path) => (existsSync(join(root, 'src', path)) ? entry(path) : null);
  return {
    index: await entry('index.ts'),
    sqlite: await entry('sqlite.ts'),
    postgres: await entry('postgres.ts'),
    redis: await entry('redis.ts'),
    http: await entry('http/index.ts'),
    node: await optional('http/node.ts'),
  };
}

/** `require` as the package at `root` resolves it: the very better-sqlite3, pg and ioredis its stores load. */
export function packageRequire(root) {
  return createRequire(join(root, 'package.json'));
}
