/**
 * A redis-server of the test's own, on a spare loopback port, that the test may crash, freeze and
 * restart. The machine's shared Redis is never touched. Persistence is off, so a restart comes back
 * empty, as after a crash with no snapshot: script cache, claims and counters all gone.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { servicesRequired } from '../support/services.js';

const redisServerInstalled = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * `describe` for tests that run a redis-server of their own: skipped loudly when the binary is
 * missing, or failing when TOTPKIT_REQUIRE_SERVICES=1, like `describeWithRedis`.
 */
export function describeWithOwnRedis(name: string, body: () => void): void {
  if (redisServerInstalled) {
    describe(name, body);
  } else if (servicesRequired) {
    describe(name, () => {
      it('needs redis-server on the PATH', () => {
        throw new Error('redis-server is not installed, and TOTPKIT_REQUIRE_SERVICES=1 makes it required.');
      });
    });
  } else {
    console.warn(`\n⚠️  redis-server is not on the PATH: SKIPPING "${name}". Install it to run these tests.\n`);
    describe.skip(name, body);
  }
}

/** A port nobody listens on right now (the kernel's choice, released at once). */
async function sparePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** True when a Redis on `port` answers PING. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

export class OwnRedisServer {
  #process: ChildProcess | null = null;
  readonly #killOnExit = () => this.#process?.kill('SIGKILL');

  private constructor(readonly port: number) {
    process.once('exit', this.#killOnExit);
  }

  /** Starts a redis-server on a spare port and waits until it answers. */
  static async start(): Promise<OwnRedisServer> {
    for (let attempt = 0; ; attempt++) {
      const server = new OwnRedisServer(await sparePort());
      try {
        await server.restart();
        return server;
      } catch (error) {
        await server.dispose();
        // Another process may have taken the port between our probe and redis-server's bind.
        if (attempt >= 2) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts redis-server on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.#process) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    this.#process = child;
    let spawnError: Error | null = null;
    child.once('error', (error) => {
      spawnError = error;
    });
    const deadline = Date.now() + 5000;
    while (!(await answersPing(this.port))) {
      if (spawnError) throw spawnError;
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`redis-server exited on port ${this.port}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}`);
      await sleep(25);
    }
  }

  /** Kills redis-server as a crash would (SIGKILL), and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes redis-server (SIGSTOP): connections stay open, but nothing is answered. */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
  }

  /** Lets a frozen redis-server run again (SIGCONT). */
  thaw(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Stops the server for good; call it in afterAll. */
  async dispose(): Promise<void> {
    await this.stop();
    process.off('exit', this.#killOnExit);
  }
}
