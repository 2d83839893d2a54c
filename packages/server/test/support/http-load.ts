/**
 * A small HTTP client and a bounded request loop for the scale-out suite: protocol requests
 * (`Totpkit-Protocol: 1`, JSON) as a test user (`X-Test-User`, see app-server.mjs), over node:http
 * with keep-alive sockets. node:http rather than fetch: the flood sends tens of thousands of
 * requests from the test process, and fetch costs several times more CPU per request on a machine
 * that also runs the servers, PostgreSQL and Redis.
 *
 * Every loop stops by itself: after `total` requests, or at `deadlineMs`, whichever comes first,
 * and every request has its own timeout.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One answer, or the transport error when there was none (status 0). */
export interface Reply {
  status: number;
  /** The parsed JSON body; null when there was none. */
  body: { error?: { code?: string; retryAfter?: number } } & Record<string, unknown>;
  /** The error code of a request that got no answer (ECONNRESET, ECONNREFUSED, timeout). */
  transportError: string | null;
  /** performance.now() when the request was sent and when it ended. */
  sentAt: number;
  endedAt: number;
}

/** The protocol error code of a reply, or null for a success or a transport error. */
export const errorCode = (reply: Reply): string | null => reply.body?.error?.code ?? null;

export interface HttpClientOptions {
  /** Sockets per server. Default: unlimited (each concurrent request gets its own). */
  maxSockets?: number;
  /** Per-request timeout. Default 30 s, above every server-side timeout, so a hang shows as a hang. */
  timeoutMs?: number;
}

/** Sends protocol requests; `close()` ends its keep-alive sockets. */
export class HttpClient {
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(options: HttpClientOptions = {}) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** `POST {baseUrl}{path}` with a JSON body, as `userId`. Never rejects: see `Reply.transportError`. */
  post(baseUrl: string, path: string, userId: string, body: unknown): Promise<Reply> {
    const payload = Buffer.from(JSON.stringify(body));
    const url = new URL(baseUrl + path);
    const sentAt = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const done = (status: number, text: string, transportError: string | null) => {
        if (settled) return;
        settled = true;
        let parsed: Reply['body'] = {};
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          parsed = { unparsed: text };
        }
        resolve({ status, body: parsed, transportError, sentAt, endedAt: performance.now() });
      };
      const req = request(
        {
          agent: this.#agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': payload.length,
            'Totpkit-Protocol': '1',
            'X-Test-User': userId,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), null));
          res.on('error', (error: NodeJS.ErrnoException) => done(0, '', error.code ?? error.message));
        },
      );
      req.setTimeout(this.#timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => done(0, '', error.code ?? error.message));
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export interface LoopOptions {
  /** At most this many tasks run, numbered 0 … total − 1. */
  total: number;
  /** Tasks in flight at once. */
  concurrency: number;
  /** No task starts after this many milliseconds from the start. */
  maxMs: number;
  /** Checked before each task: true ends the loop early (the test's scenario is over). */
  stop?: () => boolean;
  /** The work of task `i`. A task that throws stops the loop and rejects it. */
  task(i: number): Promise<void>;
}

/** Runs tasks with bounded concurrency, count and time; resolves how many ran and how long it took. */
export async function boundedLoop(options: LoopOptions): Promise<{ started: number; elapsedMs: number }> {
  const startedAt = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < options.total && performance.now() - startedAt < options.maxMs && !options.stop?.()) {
      await options.task(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, worker));
  return { started: next, elapsedMs: performance.now() - startedAt };
}
