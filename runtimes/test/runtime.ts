/**
 * Finding and starting the runtimes of the matrix, each the binary its npm package installed in
 * runtimes/node_modules/.bin. A binary that cannot run on this machine is reported, and its tests
 * are skipped loudly; everything else about a runtime is a test failure.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const runtimesDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The path of `name` in runtimes/node_modules/.bin. */
export const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** The binary's `--version` line, or why it cannot run here. */
export function probe(name: string): { version: string } | { reason: string } {
  const result = spawnSync(bin(name), ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.status === 0) return { version: result.stdout.trim().split('\n')[0] ?? '' };
  return { reason: result.error?.message ?? `exit ${result.status}: ${result.stderr.trim()}` };
}

/** Warns, once per runtime, that its tests are skipped, and says why. */
export function warnSkipped(name: string, reason: string): void {
  console.warn(`\n⚠️  ${name} cannot run here (${reason}): SKIPPING its part of the runtime matrix.\n`);
}

/** A started runtime: its first stdout line (the JSON it prints when ready), and how to end it. */
export interface Started<T> {
  child: ChildProcess;
  ready: Promise<T>;
  /** Ends it (see `start`) and resolves its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `command` and resolves `ready` with the first line it writes to `readyFd`, parsed as
 * JSON: stdout for the Bun and Deno scripts, workerd's `--control-fd` (3) for workerd, which
 * reports there the port it listens on.
 */
export function start<T>(command: string, args: string[], readyFd: 1 | 3 = 1): Started<T> {
  const stdio = readyFd === 1 ? ['pipe', 'pipe', 'inherit'] : ['ignore', 'inherit', 'inherit', 'pipe'];
  const child = spawn(command, args, { cwd: runtimesDir, stdio: stdio as ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: child.stdio[readyFd] as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
    exited.then((code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
  });
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      // The Bun and Deno scripts stop serving at the end of their input; workerd is told to stop.
      if (readyFd === 1) child.stdin?.end();
      else child.kill();
      // A safety net for a runtime that ignores both, not a synchronisation.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
