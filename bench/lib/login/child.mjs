// What both server processes of bench/login-ceiling.mjs share: the JSON configuration in argv[2],
// the injected clock the orchestrator moves over IPC, and the process's own CPU time on request,
// so that CPU per login is this process's alone. The orchestrator's side is start-server.mjs.
import { createServer } from 'node:http';

/** The configuration the orchestrator started this process with. */
export const config = JSON.parse(process.argv[2]);
const clock = { nowMs: config.nowMs };
/** The injected clock, in milliseconds. */
export const now = () => clock.nowMs;

/**
 * In a server process: listens on a loopback port with `listener` and reports
 * `{ type: 'ready', port, ...details }`. Messages: `{ type: 'clock', nowMs }` moves the clock (no
 * answer: the orchestrator sends it as a round of logins begins, and a code of the new step is
 * inside the ±1 window of the old clock, so nothing waits for it); `{ type: 'cpu', id }` answers
 * `{ id, user, system }`, the CPU time in µs of every thread of this process. Disconnecting closes.
 */
export function serveLogins(listener, { details = {}, close = async () => {} } = {}) {
  const server = createServer({ keepAliveTimeout: 30_000 }, listener);
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port, ...details }));
  process.on('message', (message) => {
    if (message.type === 'clock') clock.nowMs = message.nowMs;
    else if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ id: message.id, user, system });
    }
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close();
    close()
      .catch(() => {})
      .finally(() => process.exit(0));
  });
}
