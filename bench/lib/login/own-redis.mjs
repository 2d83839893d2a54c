// A redis-server of the benchmark's own, on a spare loopback port, so that its `INFO cpu` counts
// the benchmark alone (the machine's shared Redis serves other work too). Persistence is off, as
// on the shared one (`save ""`, `appendonly no`).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const redisServerInstalled = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

async function sparePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts it and waits until `connect(url)` answers PING; resolves `{ url, stop() }`. */
export async function startOwnRedis(connect) {
  const port = await sparePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const client = connect(url);
    client.on('error', () => {}); // refused until it listens: the ping below reports it
    try {
      await client.ping();
      await client.quit();
      break;
    } catch (error) {
      client.disconnect();
      if (attempt >= 50 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not start`, { cause: error });
      }
      await sleep(100);
    }
  }
  return {
    url,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
