// The flood of bench/scale.bench.mjs: wrong codes spread over many accounts at every instance of a
// cluster (autocannon, round-robin over accounts, so each account's attempts reach both
// instances), with legitimate logins of other accounts interleaved, and the memory figures around
// it. Bounded by its request count; throws when any answer is not what the rate limit prescribes.
import { setTimeout as sleep } from 'node:timers/promises';
import { totpCode } from '@totpkit/server';
import { verifyLoad } from './scale-load.mjs';

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes) => `${fmt(bytes / 2 ** 20, 1)} MB`;

/** DEFAULT_RATE_LIMIT_POLICY.maxFailures: the fifth failure locks the account. */
const MAX_FAILURES = 5;

/** A code that no step of the ±1 window (nor the next step) accepts: "000000" would, once in 300,000. */
export function wrongCode(secret, nowMs) {
  const valid = new Set([-1, 0, 1, 2].map((k) => totpCode(secret, { time: nowMs / 1000 + k * 30 })));
  for (let n = 424_242; ; n = (n + 7919) % 1_000_000) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

function instanceStats(cluster) {
  return Promise.all(cluster.instances.map((instance) => instance.stats()));
}

/** One legitimate login every `pauseMs` until `isDone()`, alternating instances; resolves the latencies and successes. */
async function legitimateLogins(cluster, origins, users, pauseMs, isDone) {
  const latencies = [];
  let ok = 0;
  for (let i = 0; i < users.length && !isDone(); i++) {
    const user = users[i];
    const started = performance.now();
    const response = await fetch(`${origins[i % origins.length]}/mfa/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'totpkit-protocol': '1', 'x-test-user': user.id },
      body: JSON.stringify({ code: totpCode(user.secret, { time: cluster.nowMs / 1000 }) }),
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    if (response.status === 200) ok++;
    await sleep(pauseMs);
  }
  return { latencies: latencies.sort((a, b) => a - b), ok };
}

/**
 * `attemptsPerAccount` wrong codes for each of `accounts` at the cluster's instances, while
 * `legit` users log in; `usedMemory()` reads Redis used_memory. Resolves Markdown table lines and
 * the figures behind them (for `--json`, so the smoke test never parses formatted numbers).
 */
export async function runFlood({
  cluster,
  accounts,
  legit,
  attemptsPerAccount,
  connections,
  legitPauseMs,
  usedMemory,
}) {
  const origins = cluster.instances.map((instance) => new URL(instance.baseUrl).origin);
  const wrong = accounts.map((user) => wrongCode(user.secret, cluster.nowMs));
  const redisBefore = await usedMemory();
  const statsBefore = await instanceStats(cluster);
  const peak = statsBefore.map((s) => s.rss);
  const sampler = setInterval(() => {
    instanceStats(cluster)
      .then((stats) => {
        for (const [i, s] of stats.entries()) peak[i] = Math.max(peak[i], s.rss);
      })
      .catch(() => {});
  }, 500);

  let done = false;
  const legitRun = legitimateLogins(cluster, origins, legit, legitPauseMs, () => done);
  let k = 0;
  const result = await verifyLoad(origins, {
    amount: accounts.length * attemptsPerAccount,
    connections,
    next: () => {
      const i = k++ % accounts.length;
      return { userId: accounts[i].id, code: wrong[i] };
    },
  });
  done = true;
  const logins = await legitRun;
  clearInterval(sampler);
  const redisAfter = await usedMemory();
  const statsAfter = await instanceStats(cluster);
  const pct = (p) =>
    logins.latencies[Math.min(logins.latencies.length - 1, Math.floor((p / 100) * logins.latencies.length))];

  const expected = {
    400: accounts.length * (MAX_FAILURES - 1),
    429: accounts.length * (attemptsPerAccount - MAX_FAILURES + 1),
  };
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${fmt(count)} × ${status}`)
    .join(', ');
  const lines = [
    '| figure | value |',
    '|---|---|',
    `| wrong codes | ${fmt(result.completed)} in ${fmt(result.seconds, 1)} s: ${fmt(result.requestsPerSecond)} req/s, p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms |`,
    `| answers | ${statuses} (expected ${fmt(expected[400])} × 400 and ${fmt(expected[429])} × 429: the 5th failure locks) |`,
    `| legitimate logins during the flood | ${logins.ok} of ${logins.latencies.length} answered 200, p50 ${fmt(pct(50), 1)} ms, p99 ${fmt(pct(99), 1)} ms |`,
    `| Redis used_memory | ${mb(redisBefore)} → ${mb(redisAfter)} (+${fmt((redisAfter - redisBefore) / accounts.length)} bytes per attacked account) |`,
    ...statsAfter.map(
      (s, i) => `| instance ${i} RSS | ${mb(statsBefore[i].rss)} → ${mb(s.rss)} (peak ${mb(peak[i])}) |`,
    ),
  ];
  if (JSON.stringify(result.statuses) !== JSON.stringify(expected) || logins.ok !== logins.latencies.length) {
    throw new Error(`flood answers were not as expected:\n${lines.join('\n')}`);
  }
  return {
    lines,
    figures: {
      statuses: result.statuses,
      expected,
      legitimate: { ok: logins.ok, of: logins.latencies.length },
      redisUsedMemory: { before: redisBefore, after: redisAfter },
    },
  };
}
