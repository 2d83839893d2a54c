// The orchestrator's side of child.mjs: a server process of bench/login-ceiling.mjs, its clock and its CPU time.
import { fork } from 'node:child_process';
import { once } from 'node:events';

/**
 * In the orchestrator: forks `file` with `config` and waits until it listens. Resolves
 * `{ pid, origin, details, setClock(nowMs), cpu(), stop() }`; cpu() resolves `{ user, system }` in µs so far.
 * With `cpuProfileDir`, the process writes a V8 CPU profile there when it exits.
 */
export async function startServer(file, childConfig, { cpuProfileDir } = {}) {
  const execArgv = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child = fork(file, [JSON.stringify(childConfig)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...execArgv],
  });
  const pending = new Map();
  let nextId = 0;
  const [ready] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${file} exited with ${code} before listening`);
    }),
  ]);
  child.on('message', (message) => {
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  const { type, port, ...details } = ready;
  return {
    pid: child.pid,
    origin: `http://127.0.0.1:${port}`,
    details,
    setClock(nowMs) {
      child.send({ type: 'clock', nowMs });
    },
    cpu() {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, ({ user, system }) => resolve({ user, system }));
        child.send({ type: 'cpu', id });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
