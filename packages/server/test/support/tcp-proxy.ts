/**
 * A TCP proxy on a loopback port that a test controls, to take a server "away" from the app
 * instances without touching the server itself (the machine's PostgreSQL is shared and is never
 * stopped). Modes:
 *
 * - `forward`: bytes flow both ways, as if the instances connected directly.
 * - `refuse`: every open connection is reset and new ones are reset on arrival — a server that
 *   went down, or a firewall that rejects.
 * - `blackhole`: connections stay open but no byte moves either way, and new ones are accepted but
 *   never answered — a network partition or a hung server, where only timeouts help. Back in
 *   `forward`, held bytes flow again, as after a healed partition.
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

interface Pair {
  client: Socket;
  upstream: Socket | null;
}

/** A one-time rewrite of a server-to-client chunk; see `interceptOnce`. */
interface Interception {
  match(chunk: Buffer): boolean;
  rewrite(chunk: Buffer): Buffer;
}

export class TcpProxy {
  #mode: ProxyMode = 'forward';
  #interception: Interception | null = null;
  readonly #pairs = new Set<Pair>();
  /** Connections the proxy opened to the target, over its lifetime. */
  connectionsOpened = 0;

  private constructor(
    readonly server: Server,
    readonly targetHost: string,
    readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.#accept(client));
  }

  /** Listens on a spare loopback port in front of `targetHost:targetPort`. */
  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(createServer(), targetHost, targetPort);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    return address.port;
  }

  get mode(): ProxyMode {
    return this.#mode;
  }

  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  setMode(mode: ProxyMode): void {
    this.#mode = mode;
    for (const pair of [...this.#pairs]) {
      if (mode === 'refuse') this.#reset(pair);
      else if (mode === 'blackhole') {
        pair.client.pause();
        pair.upstream?.pause();
      } else {
        if (!pair.upstream) this.#connectUpstream(pair);
        pair.client.resume();
        pair.upstream?.resume();
      }
    }
  }

  /**
   * The next server-to-client chunk that `match` accepts is delivered as `rewrite(chunk)`, in one
   * write, and that connection is then closed, as by a server that sends a last message and hangs
   * up. For putting a protocol message at an exact point of a conversation.
   */
  interceptOnce(match: Interception['match'], rewrite: Interception['rewrite']): void {
    this.#interception = { match, rewrite };
  }

  /** Resets every connection and stops listening. */
  async close(): Promise<void> {
    for (const pair of [...this.#pairs]) this.#reset(pair);
    this.server.close();
    await once(this.server, 'close');
  }

  #accept(client: Socket): void {
    if (this.#mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null };
    this.#pairs.add(pair);
    client.on('error', () => this.#reset(pair));
    client.on('close', () => this.#reset(pair));
    // Bytes are forwarded by hand (no pipe()), so that pause() in blackhole mode is never undone
    // by a pipe's drain handler. A test proxy's traffic is small; backpressure is not needed.
    client.on('data', (chunk) => pair.upstream?.write(chunk));
    if (this.#mode === 'blackhole') client.pause();
    else this.#connectUpstream(pair);
  }

  #connectUpstream(pair: Pair): void {
    const upstream = connect(this.targetPort, this.targetHost);
    this.connectionsOpened++;
    pair.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => {
      const interception = this.#interception;
      if (interception?.match(chunk)) {
        this.#interception = null;
        this.#pairs.delete(pair);
        pair.client.end(interception.rewrite(chunk));
        upstream.destroy();
        return;
      }
      pair.client.write(chunk);
    });
    upstream.on('error', () => this.#reset(pair));
    upstream.on('close', () => this.#reset(pair));
  }

  #reset(pair: Pair): void {
    if (!this.#pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.destroy();
  }
}
