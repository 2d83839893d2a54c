// The HTTP layer alone (issue 15, item 1): CPU per login request of the same service behind
//   (a) a bare node:http listener that does only what any JSON endpoint does (read the body,
//       JSON.parse, call the service, JSON.stringify the answer with the protocol's headers),
//   (b) the Node adapter, `toNodeListener(createTotpHandler(…))`,
//   (c) the Fetch handler behind node:http: the same handler hidden behind a plain
//       `(request: Request) => Promise<Response>` function, which the adapter can only serve by
//       building Fetch `Request`s and reading Fetch `Response`s.
// Each server runs in a process of its own, on a MemoryStore with an injected clock, so the only
// difference between them is the HTTP layer. The client (this process) drives a closed loop of
// keep-alive requests over 127.0.0.1, each a successful `verify` with a fresh step for its
// account, and checks every answer. The figure is the server process's `process.cpuUsage()` over
// the loop divided by the requests: unlike throughput, it barely moves on a shared machine.
// Rounds are interleaved (each round drives every server once, in a shuffled order); the median
// round is reported, with the spread, and every ratio is taken within the same run.
//
//   node bench/http-path.bench.mjs            ~1 minute
//   node bench/http-path.bench.mjs --quick    smoke run, meaningless figures
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { describeMachine } from './lib/harness.mjs';

const SERVERS = {
  bare: 'bare node:http, same service and JSON',
  node: 'Node adapter (toNodeListener)',
  fetch: 'Fetch handler behind node:http',
};
const START = Math.floor(Date.now() / 30_000) * 30_000;

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();

// ---------------------------------------------------------------------------------------------
// The server processes

async function serve(kind) {
  const { createServer } = await import('node:http');
  const { createTotpkit, generateEncryptionKey, MemoryStore } = await import('@totpkit/server');
  const { createTotpHandler } = await import('@totpkit/server/http');
  const { toNodeListener } = await import('@totpkit/server/http/node');

  let clock = START;
  const totpkit = createTotpkit({
    issuer: 'bench',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    now: () => clock,
    logger: { warn() {}, error() {} },
  });
  const userOf = (cookie) => {
    const match = /(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '');
    return match ? { id: match[1] } : null;
  };

  let listener;
  if (kind === 'bare') {
    const headers = {
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json',
      'X-Content-Type-Options': 'nosniff',
    };
    listener = (request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', async () => {
        const user = userOf(request.headers.cookie);
        const { code } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const result = await totpkit.verify(user, code);
        const body = JSON.stringify({ method: result.method, recoveryCodesLeft: result.recoveryCodesLeft });
        response.writeHead(result.ok ? 200 : 400, { ...headers, 'Content-Length': Buffer.byteLength(body) }).end(body);
      });
    };
  } else {
    const handler = createTotpHandler({
      totpkit,
      basePath: '/mfa',
      getUser: (request) => userOf(request.headers.get('cookie')),
    });
    // A plain Fetch function: what any Fetch handler looks like to the adapter.
    const served =
      kind === 'fetch'
        ? Object.assign((request) => handler(request), { basePath: handler.basePath, handles: handler.handles })
        : handler;
    listener = toNodeListener(served);
  }
  const server = createServer({ keepAliveTimeout: 30_000 }, listener);

  process.on('message', async (message) => {
    if (message.type === 'enroll') {
      for (const [i, secret] of message.secrets.entries())
        await totpkit.importAuthenticator({ id: `u${i}` }, { secret });
      process.send({ type: 'enrolled' });
    } else if (message.type === 'clock') {
      clock = message.ms;
      process.send({ type: 'clock' });
    } else if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ type: 'cpu', micros: user + system });
    }
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
}

// ---------------------------------------------------------------------------------------------
// The client

async function main() {
  const { generateTotpSecret, totpCode } = await import('@totpkit/server');
  const quick = process.argv.includes('--quick');
  const ACCOUNTS = quick ? 50 : 400; // one batch: every account logs in once, at one step
  const BATCHES = quick ? 2 : 10; // per round
  const ROUNDS = quick ? 2 : 7;
  const CONCURRENCY = 8;

  const secrets = Array.from({ length: ACCOUNTS }, () => generateTotpSecret());
  const servers = {};
  for (const kind of Object.keys(SERVERS)) servers[kind] = await start(kind, secrets);

  let step = 0;
  /** One batch against `server`: every account logs in once, with a code for a fresh step. */
  async function batch(server) {
    step++;
    await server.ask({ type: 'clock', ms: START + step * 30_000 }, 'clock');
    const time = (START + step * 30_000) / 1000;
    const bodies = secrets.map((secret) => JSON.stringify({ code: totpCode(secret, { time }) }));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ACCOUNTS) {
          const i = next++;
          const { status, body } = await post(server, i, bodies[i]);
          if (status !== 200 || !body.includes('"method":"totp"')) {
            throw new Error(`${server.kind}: a login answered ${status} ${body}`);
          }
        }
      }),
    );
  }
  /** CPU microseconds of the server process per request, over BATCHES batches. */
  async function cpuPerRequest(server) {
    const before = (await server.ask({ type: 'cpu' }, 'cpu')).micros;
    for (let b = 0; b < BATCHES; b++) await batch(server);
    const after = (await server.ask({ type: 'cpu' }, 'cpu')).micros;
    return (after - before) / (BATCHES * ACCOUNTS);
  }

  console.log(`# HTTP path benchmark — ${describeMachine()}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
  console.log(
    `${ACCOUNTS} accounts on a MemoryStore; ${ROUNDS} rounds of ${BATCHES * ACCOUNTS} successful logins per server, ` +
      `${CONCURRENCY} in flight, keep-alive over 127.0.0.1.\n`,
  );
  for (let b = 0; b < (quick ? 1 : 5); b++) for (const server of Object.values(servers)) await batch(server); // warm-up: JIT, sockets
  const samples = Object.fromEntries(Object.keys(SERVERS).map((kind) => [kind, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of shuffle(Object.values(servers))) samples[server.kind].push(await cpuPerRequest(server));
  }
  for (const server of Object.values(servers)) server.stop();

  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const figures = Object.fromEntries(
    Object.entries(samples).map(([kind, values]) => {
      const mid = median(values);
      return [kind, { micros: mid, spread: (Math.max(...values) - Math.min(...values)) / 2 / mid }];
    }),
  );
  const bare = figures.bare.micros;
  console.log('| server | CPU µs per request | spread | × bare | HTTP layer over bare, µs |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [kind, { micros, spread }] of Object.entries(figures)) {
    console.log(
      `| ${SERVERS[kind]} | ${micros.toFixed(1)} | ±${Math.round(spread * 100)}% | ${(micros / bare).toFixed(2)}× | ${(micros - bare).toFixed(1)} |`,
    );
  }
  const { node, fetch } = figures;
  console.log(
    `\nFetch handler behind node:http / Node adapter: ${(fetch.micros / node.micros).toFixed(2)}× the CPU per request.`,
  );
  console.log(`Node adapter / bare node:http: ${(node.micros / bare).toFixed(2)}× the CPU per request.`);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ figures, samples }));
}

function shuffle(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Forks a server process of `kind`, enrolls the accounts in it and resolves its handle. */
async function start(kind, secrets) {
  const child = fork(new URL(import.meta.url), ['--serve', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  child.on('message', (message) => {
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
  const ask = (message, answer) =>
    new Promise((resolve) => {
      waiting.set(answer, resolve);
      if (message) child.send(message);
    });
  const { port } = await ask(null, 'ready');
  await ask({ type: 'enroll', secrets }, 'enrolled');
  return {
    kind,
    port,
    agent: new Agent({ keepAlive: true, maxSockets: 16 }),
    ask,
    stop() {
      this.agent.destroy();
      child.disconnect();
    },
  };
}

function post(server, account, body) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/mfa/verify',
        agent: server.agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'Totpkit-Protocol': '1',
          Cookie: `session=u${account}`,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
