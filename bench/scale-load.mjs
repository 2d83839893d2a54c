// Load generation for bench/scale.bench.mjs: autocannon against one or more servers at once, and
// the bare node:http baseline servers. Every run is bounded by a request count (`amount`) and a
// per-request timeout, so it always stops by itself.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const BARE_SERVER = fileURLToPath(new URL('./scale-bare-server.mjs', import.meta.url));

/** Starts `count` bare JSON endpoints, each in its own process; resolves their origins and a stop(). */
export async function startBareServers(count) {
  const children = [];
  const origins = [];
  for (let i = 0; i < count; i++) {
    const child = fork(BARE_SERVER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const [ready] = await once(child, 'message');
    origins.push(`http://127.0.0.1:${ready.port}`);
  }
  return {
    origins,
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null) return;
          const exited = once(child, 'exit');
          child.disconnect();
          await exited;
        }),
      );
    },
  };
}

/**
 * `POST /mfa/verify` against every origin at once: `amount` requests in total, split evenly, over
 * `connections` sockets in total. `next()` gives each request its `{ userId, code }`; it is shared
 * by all the origins, so consecutive requests (and an account's successive attempts) land on
 * different servers, as behind a round-robin balancer. Resolves the merged figures.
 */
export async function verifyLoad(origins, { amount, connections, next }) {
  // Throughput is timed from the first request built to the last answer, by us: autocannon's own
  // duration runs on to its next 1 s sampling tick, which would skew short runs.
  let firstAt = 0n;
  let lastAt = 0n;
  const runs = origins.map((origin, i) => {
    const share = Math.floor(amount / origins.length) + (i < amount % origins.length ? 1 : 0);
    return autocannon({
      url: origin,
      connections: Math.max(1, Math.floor(connections / origins.length)),
      amount: share,
      timeout: 30,
      skipAggregateResult: true,
      requests: [
        {
          method: 'POST',
          path: '/mfa/verify',
          setupRequest(request) {
            if (firstAt === 0n) firstAt = process.hrtime.bigint();
            const { userId, code } = next();
            return {
              ...request,
              headers: {
                'content-type': 'application/json',
                'totpkit-protocol': '1',
                'x-test-user': userId,
              },
              body: JSON.stringify({ code }),
            };
          },
          onResponse() {
            lastAt = process.hrtime.bigint();
          },
        },
      ],
    });
  });
  const results = await Promise.all(runs);
  const seconds = Number(lastAt - firstAt) / 1e9;
  const merged = autocannon.aggregateResult(results, { url: origins[0], connections });
  const statuses = Object.fromEntries(
    Object.entries(merged.statusCodeStats).map(([status, { count }]) => [status, count]),
  );
  const completed = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    completed,
    seconds,
    requestsPerSecond: completed / seconds,
    p50: merged.latency.p50,
    p99: merged.latency.p99,
    statuses,
    errors: merged.errors,
    timeouts: merged.timeouts,
  };
}
