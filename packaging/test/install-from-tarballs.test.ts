/**
 * The packages as a stranger gets them: `release-pack` writes the three tarballs, plain npm installs
 * them into a fresh folder outside the workspace (their dependencies come from the registry), and
 * from there, with nothing of the workspace in reach:
 * - every export imports in Node (the elements' browser bundle file is the one exception);
 * - a strict TypeScript consumer compiles under `module: nodenext` and `moduleResolution: bundler`,
 *   its server half with `lib: ["ES2022"]` and `types: ["node"]`, no DOM lib;
 * - the quick start of docs/getting-started.md serves GET /mfa/status over HTTP;
 * - `npx totpkit-conformance --help` runs;
 * - a store of one's own passes the contract from `@totpkit/server/testing` under node:test, and a
 *   store that reads and then writes in two steps fails it; the replay-cache and rate-limiter
 *   contracts pass there against the memory implementations.
 * better-sqlite3 is an optional peer dependency, so npm does not install (or compile) it here.
 */
import { type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const consumer = join(root, 'packaging/consumer');
const PACKAGES = ['@totpkit/protocol', '@totpkit/server', '@totpkit/elements'];
/** Exports that are not for Node, and why. */
const NOT_FOR_NODE: Record<string, string> = {
  '@totpkit/elements/totpkit-elements.js': 'the browser bundle as a file, for a script tag',
};

/** The child's environment without the npm_* variables of the `npm test` that started vitest. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...cleanEnv, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { status: result.status, output };
}

/** The version of a package installed in the workspace, so the temp install matches what CI tests. */
function workspaceVersion(dir: string, name: string): string {
  return JSON.parse(readFileSync(join(root, dir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The strict consumer's options; `skipLibCheck: false`, so a broken .d.ts of ours fails too. */
const strict = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  target: 'ES2022',
  noEmit: true,
};
const resolutions = {
  nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
  bundler: { module: 'Preserve', moduleResolution: 'Bundler' },
};
const sides = {
  'server (lib ES2022, types node, no DOM)': { file: 'server.ts', lib: ['ES2022'], types: ['node'] },
  'browser (lib ES2022 + DOM)': { file: 'elements.ts', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] },
};
/** The four compilations, started together once the install is done (each checks all of @types/node). */
const compilations = new Map<string, Promise<{ status: number | null; output: string }>>();

function runAsync(command: string, args: string[], cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: cleanEnv });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => resolve({ status, output }));
  });
}

let base: string;
let app: string;
const tarballs: Record<string, string> = {};

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'totpkit-install-'));
  app = join(base, 'app');
  const packed = run(process.execPath, ['scripts/release-pack.mjs', '--no-build', '--out', join(base, 'tarballs')], {
    cwd: root,
  });
  expect(packed.status, packed.output).toBe(0);
  console.log(`release-pack:\n${packed.output.trim()}`);
  for (const line of packed.output.trim().split('\n')) {
    const [spec, , , file] = line.split(/\s+/);
    if (spec && file) tarballs[spec.slice(0, spec.lastIndexOf('@'))] = file;
  }
  expect(Object.keys(tarballs).sort()).toEqual([...PACKAGES].sort());

  mkdirSync(app, { recursive: true });
  cpSync(consumer, app, { recursive: true });
  const dependencies = {
    ...Object.fromEntries(PACKAGES.map((name) => [name, `file:${tarballs[name]}`])),
    // The optional peers that some exports load at import time, and the types the consumer needs.
    pg: workspaceVersion('packages/server', 'pg'),
    ioredis: workspaceVersion('packages/server', 'ioredis'),
    react: workspaceVersion('examples', 'react'),
    '@types/pg': workspaceVersion('packages/server', '@types/pg'),
    '@types/node': workspaceVersion('.', '@types/node'),
  };
  writeFileSync(join(app, 'package.json'), JSON.stringify({ private: true, type: 'module', dependencies }, null, 2));
  const installed = run('npm', ['install', '--prefer-offline', '--no-package-lock'], { cwd: app });
  expect(installed.status, installed.output).toBe(0);

  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  for (const [resolution, moduleOptions] of Object.entries(resolutions)) {
    for (const { file, lib, types } of Object.values(sides)) {
      const config = `tsconfig.${resolution}.${file}.json`;
      const compilerOptions = { ...strict, ...moduleOptions, lib, types };
      writeFileSync(join(app, config), JSON.stringify({ compilerOptions, files: [file] }, null, 2));
      compilations.set(config, runAsync(process.execPath, [tsc, '-p', config], app));
    }
  }
}, 600_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('the packed tarballs, installed with npm outside the workspace', () => {
  it('carry no workspace: specifier, and leave better-sqlite3 to the user', () => {
    for (const name of PACKAGES) {
      const manifest = readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8');
      expect(manifest).not.toContain('workspace:');
      for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md']) {
        expect(existsSync(join(app, 'node_modules', name, file)), `${name}/${file}`).toBe(true);
      }
    }
    expect(existsSync(join(app, 'node_modules/better-sqlite3'))).toBe(false);

    // What each package brings in, for the record: the registry packages its `dependencies` reach
    // (peer dependencies are the user's choice and not counted).
    const manifestIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const locate = (from: string, name: string): string => {
      for (let dir = from; dir.startsWith(app); dir = dirname(dir)) {
        if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return join(dir, 'node_modules', name);
      }
      throw new Error(`${name} is not installed (needed from ${from})`);
    };
    const reach = (dir: string, seen: Set<string>) => {
      for (const name of Object.keys(manifestIn(dir).dependencies ?? {})) {
        if (seen.has(name)) continue;
        if (!name.startsWith('@totpkit/')) seen.add(name);
        reach(locate(dir, name), seen);
      }
    };
    const counts = PACKAGES.map((name) => {
      const seen = new Set<string>();
      reach(join(app, 'node_modules', name), seen);
      return `${name}: ${seen.size} (${[...seen].sort().join(', ')})`;
    });
    console.log(`dependencies from the registry:\n  ${counts.join('\n  ')}`);
  });

  it('import in Node, every export of every package', () => {
    const specifiers: string[] = [];
    for (const name of PACKAGES) {
      const { exports } = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8'));
      for (const [key, target] of Object.entries(exports)) {
        const specifier = key === '.' ? name : `${name}/${key.slice(2)}`;
        // An entry with only a `types` condition holds typings (for Vue, Svelte), nothing to import.
        const typesOnly = typeof target === 'object' && target !== null && Object.keys(target).join() === 'types';
        if (!(specifier in NOT_FOR_NODE) && !typesOnly) specifiers.push(specifier);
      }
    }
    const script = `
      const results = {};
      for (const specifier of ${JSON.stringify(specifiers)}) {
        try {
          const json = specifier.endsWith('.json');
          const module = await import(specifier, json ? { with: { type: 'json' } } : undefined);
          results[specifier] = Object.keys(module).length;
        } catch (error) {
          results[specifier] = 'FAILED: ' + error.message;
        }
      }
      console.log(JSON.stringify(results));`;
    writeFileSync(join(app, 'import-all.mjs'), script);
    const imported = run(process.execPath, ['import-all.mjs'], { cwd: app });
    expect(imported.status, imported.output).toBe(0);
    const results: Record<string, number | string> = JSON.parse(imported.output.trim().split('\n').at(-1) ?? '{}');
    console.log(
      `imported in Node ${process.version}:\n  ${Object.entries(results)
        .map(([s, n]) => `${s}: ${n} exports`)
        .join('\n  ')}`,
    );
    for (const [specifier, outcome] of Object.entries(results)) {
      expect(typeof outcome === 'number' && outcome > 0, `${specifier}: ${outcome}`).toBe(true);
    }
    expect(Object.keys(results)).toHaveLength(specifiers.length);
  });

  for (const resolution of Object.keys(resolutions)) {
    for (const [side, { file }] of Object.entries(sides)) {
      it(`compile a strict ${side} consumer with ${resolution} resolution`, async () => {
        const tsc = await compilations.get(`tsconfig.${resolution}.${file}.json`);
        expect(tsc?.output).toBe('');
        expect(tsc?.status).toBe(0);
      }, 300_000);
    }
  }

  it('serve the getting-started quick start: GET /mfa/status answers with the protocol', async () => {
    const snippet = readFileSync(join(consumer, 'server.mjs'), 'utf8').replace(/^\/\/.*\n/gm, '');
    expect(readFileSync(join(root, 'docs/getting-started.md'), 'utf8')).toContain(snippet.trim());
    expect(readFileSync(join(root, 'packages/server/README.md'), 'utf8')).toContain(snippet.trim());

    const port = await freePort();
    const server = spawn(process.execPath, ['server.mjs'], { cwd: app, env: { ...cleanEnv, PORT: String(port) } });
    let log = '';
    server.stdout.on('data', (chunk) => (log += chunk));
    server.stderr.on('data', (chunk) => (log += chunk));
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      let response: Response | undefined;
      // Wait for the listener; the bound only ends the test when the server never comes up.
      for (let attempt = 0; attempt < 300 && !response && server.exitCode === null; attempt++) {
        response = await fetch(`http://127.0.0.1:${port}/mfa/status`, { headers: { 'Totpkit-Protocol': '1' } }).catch(
          () => new Promise<undefined>((resolve) => setTimeout(resolve, 100)),
        );
      }
      expect(response, log).toBeDefined();
      expect(response?.status).toBe(200);
      expect(response?.headers.get('cache-control')).toBe('no-store');
      const body = await response?.json();
      console.log(`GET /mfa/status → ${response?.status} ${JSON.stringify(body)}`);
      expect(body).toMatchObject({ totp: { active: false }, recoveryCodes: null, config: { digits: 6, period: 30 } });
    } finally {
      server.kill();
      await exited;
    }
  }, 60_000);

  it('run npx totpkit-conformance --help', () => {
    const help = run('npx', ['--no-install', 'totpkit-conformance', '--help'], { cwd: app });
    expect(help.status, help.output).toBe(0);
    expect(help.output).toContain('--base-url');
    console.log(`npx totpkit-conformance --help:\n${help.output.trim().split('\n').slice(0, 3).join('\n')}`);
  }, 60_000);

  it('run the store contract of @totpkit/server/testing under node:test: a store of its own passes', () => {
    const shown = readFileSync(join(consumer, 'custom-store.test.mjs'), 'utf8').replace(/^\/\/.*\n/gm, '');
    expect(readFileSync(join(root, 'docs/server.md'), 'utf8')).toContain(shown.trim());
    const passed = run(process.execPath, ['--test', '--test-reporter=spec', 'custom-store.test.mjs'], { cwd: app });
    expect(passed.status, passed.output).toBe(0);
    const summary = passed.output.match(/^ℹ (tests|pass|fail) \d+$/gm) ?? [];
    console.log(`node --test custom-store.test.mjs: ${summary.join(', ')}`);
    expect(summary).toContain('ℹ fail 0');
    expect(Number(/^ℹ pass (\d+)$/m.exec(passed.output)?.[1])).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('run the replay-cache and rate-limiter contracts under node:test against the memory implementations', () => {
    const passed = run(process.execPath, ['--test', '--test-reporter=spec', 'memory-contracts.test.mjs'], { cwd: app });
    expect(passed.status, passed.output).toBe(0);
    const summary = passed.output.match(/^ℹ (tests|pass|fail) \d+$/gm) ?? [];
    console.log(`node --test memory-contracts.test.mjs: ${summary.join(', ')}`);
    expect(summary).toContain('ℹ fail 0');
    expect(passed.output).toContain('ReplayCache contract: MemoryReplayCache');
    expect(passed.output).toContain('RateLimiter contract: MemoryRateLimiter');
  }, 120_000);

  it('and a store that checks and writes in two steps fails it, on the race', () => {
    const source = readFileSync(join(app, 'custom-store.test.mjs'), 'utf8');
    const check = '    if (!record || (record.lastUsedStep !== null && record.lastUsedStep >= step)) return false;\n';
    expect(source).toContain(check);
    // One `await` between the check and the write: what a read-then-write against a database does.
    writeFileSync(join(app, 'racy-store.test.mjs'), source.replace(check, `${check}    await null;\n`));
    const failed = run(process.execPath, ['--test', '--test-reporter=spec', 'racy-store.test.mjs'], { cwd: app });
    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/✖ lets exactly one of 50 parallel advances to the same step win/);
    expect(failed.output).toMatch(/^ℹ fail [1-9]\d*$/m);
  }, 120_000);
});
