/**
 * What the Redis server itself ran, as `MONITOR` reports it: every command with the connection
 * that sent it, and the commands a script ran with the source `lua`. The tests that count round
 * trips and writes read the server's own account rather than trust the client. The Redis is
 * shared with other runs, so each test keeps only its own connections' commands or its own keys.
 */
import { Redis } from 'ioredis';

export interface MonitoredCommand {
  /** The command and its arguments, the name in lower case. */
  args: [string, ...string[]];
  /** The sending connection's `ip:port`, or `lua` for a command run by a script. */
  source: string;
}

type Monitor = Awaited<ReturnType<Redis['monitor']>>;

/** Watches the server from its own connection until `stop`. */
export class RedisMonitor {
  readonly #commands: MonitoredCommand[] = [];
  readonly #url: string;
  #monitor: Monitor | null = null;
  #admin: Redis | null = null;

  private constructor(url: string) {
    this.#url = url;
  }

  /** Starts watching; commands the server runs from the moment this resolves are seen. */
  static async start(url: string): Promise<RedisMonitor> {
    const watcher = new RedisMonitor(url);
    watcher.#admin = new Redis(url);
    watcher.#monitor = await watcher.#admin.monitor();
    watcher.#monitor.on('monitor', (_time: string, args: string[], source: string) => {
      watcher.#commands.push({ args: [String(args[0]).toLowerCase(), ...args.slice(1)], source });
    });
    return watcher;
  }

  /**
   * The commands the server ran during `action`, between two markers sent from a connection of
   * their own: the server reports in the order it executes, so what ran before the first marker
   * or after the second is left out without waiting on a timer.
   */
  async during(action: () => Promise<unknown>): Promise<MonitoredCommand[]> {
    const from = await this.#mark();
    await action();
    const to = await this.#mark();
    return this.#commands.slice(from + 1, to);
  }

  /** Sends a marker and resolves, once the monitor has seen it, with its index in the log. */
  async #mark(): Promise<number> {
    const marker = `monitor-marker-${crypto.randomUUID()}`;
    const monitor = this.#monitor as Monitor;
    const seen = new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('MONITOR never reported the marker')), 10_000);
      const onCommand = (_time: string, args: string[]) => {
        if (args[1] !== marker) return;
        clearTimeout(deadline);
        monitor.off('monitor', onCommand);
        resolve();
      };
      monitor.on('monitor', onCommand);
    });
    const sender = new Redis(this.#url);
    try {
      await sender.echo(marker);
      await seen;
    } finally {
      sender.disconnect();
    }
    return this.#commands.findIndex((c) => c.args[0] === 'echo' && c.args[1] === marker);
  }

  async stop(): Promise<void> {
    this.#monitor?.disconnect();
    this.#admin?.disconnect();
  }
}

/** The `ip:port` the server sees for `client`'s connection. */
export async function addressOf(client: Redis): Promise<string> {
  const info = String(await client.client('INFO'));
  const address = /(?:^| )addr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error(`no addr in CLIENT INFO: ${info}`);
  return address;
}

/** Redis commands that change data, among those a limiter or cache script may run. */
export const WRITES = new Set(['hset', 'hdel', 'del', 'unlink', 'pexpire', 'persist', 'set', 'expire', 'pexpireat']);
