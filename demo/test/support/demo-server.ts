/**
 * Starts the real demo server (`server/main.js`) as a child process with a temporary data
 * directory and a free port, the way `npm start` runs it, and stops it afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoServer {
  url: string;
  dataDir: string;
  /** What the server printed so far. */
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code once the server has exited. */
  stop(): Promise<number | null>;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'totpkit-demo-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(new URL('../../server/main.js', import.meta.url))],
    {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      let code = child.exitCode;
      if (code === null) {
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGINT'); // what Ctrl-C sends; the demo closes its stores and exits 0
        code = await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Runs `server/main.js` with `env` until it exits by itself; resolves with its code and output. */
export async function runUntilExit(
  env: Record<string, string>,
  dataDir = mkdtempSync(join(tmpdir(), 'totpkit-demo-')),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../server/main.js', import.meta.url))], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk;
    // It started after all: stop it, the test will see exit code 0 and the banner.
    if (stdout.includes('totpkit demo on')) child.kill('SIGINT');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
  return { code, stdout, stderr };
}
