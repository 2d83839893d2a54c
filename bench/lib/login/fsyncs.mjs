// Durability, checked rather than assumed: how many fsync and fdatasync calls a login makes, in
// the server process and in the PostgreSQL backends serving it, counted with strace. Never during
// a timed run (ptrace slows every traced thread down).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export const straceInstalled = () => spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

/**
 * Runs `work()` while strace counts the fsync and fdatasync calls of every thread of `pids`;
 * resolves `{ fsync, fdatasync }`.
 */
export async function countSyncCalls(pids, work) {
  const args = ['-c', '-f', '-e', 'trace=fsync,fdatasync', ...pids.flatMap((pid) => ['-p', String(pid)])];
  const strace = spawn('strace', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  strace.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(strace, 'exit');
  const attached = (pid) => new RegExp(`Process ${pid} attached`).test(output);
  for (const deadline = Date.now() + 10_000; !pids.every(attached); await sleep(20)) {
    if (Date.now() > deadline || strace.exitCode !== null) {
      strace.kill('SIGKILL');
      throw new Error(`strace did not attach to ${pids.join(', ')}: ${output}`);
    }
  }
  try {
    await work();
  } finally {
    strace.kill('SIGINT'); // detaches, then prints the summary
    await exited;
  }
  // The summary's rows: % time, seconds, usecs/call, calls, [errors], syscall.
  const calls = (name) => {
    const row = output.split('\n').find((line) => line.trim().endsWith(` ${name}`));
    return row ? Number(row.trim().split(/\s+/)[3]) : 0;
  };
  return { fsync: calls('fsync'), fdatasync: calls('fdatasync') };
}
