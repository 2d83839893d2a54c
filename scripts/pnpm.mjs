#!/usr/bin/env node
// Runs the pnpm version pinned in package.json's "packageManager", whether or not pnpm is
// installed: a fresh machine has only Node and npm, and newer pnpm majors rewrite the lock file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Runs pnpm with `args` in `cwd`; returns the exit status. */
export function pnpm(args, { cwd = root, stdio = 'inherit' } = {}) {
  const result = spawnSync('npx', ['-y', packageManager, ...args], {
    cwd,
    stdio,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(pnpm(process.argv.slice(2), { cwd: process.cwd() }));
}
