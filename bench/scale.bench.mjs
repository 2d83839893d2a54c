// Scale-out benchmark (issue 7): the HTTP handler in real app-server processes, under autocannon.
//
//   node bench/scale.bench.mjs           ~5 minutes: 10,000 users, 3 timed rounds, the 100,000-request flood
//   node bench/scale.bench.mjs --quick   smoke run, meaningless figures
//   --json                               the figures as one JSON line instead of the tables (the
//                                        smoke test reads it: no parsing of "1,365.0")
//
// 1. Sustained logins for USERS users: each round moves the injected clock one 30 s step on, and
//    every user logs in once with that step's code (the full success path: rate-limit check,
//    authenticator read, decryption, ±1 window, replay claim, compare-and-set of the step,
//    recovery-code count, limiter reset). Each round also runs a bare node:http endpoint that only
//    parses the same JSON body, on as many processes and over as many connections (with three
//    times the requests, so its short run reaches a steady state); the medians over the rounds are
//    compared. SQLite with one instance; PostgreSQL + Redis with two instances, the load split
//    across both.
// 2. The flood (run first on the PostgreSQL + Redis cluster, see postgresSection): 10 wrong codes
//    for each of FLOOD_ACCOUNTS accounts at both instances, legitimate logins of other accounts
//    interleaved; the answers, Redis used_memory and each instance's RSS before and after.
//
// The app servers are packages/server/test/support/app-server.mjs running the BUILT package
// (`node scripts/pnpm.mjs --filter @totpkit/server build` first); the topology harness is the test
// suite's (cluster.ts, loaded through its ts-hooks). PostgreSQL is 127.0.0.1:5432 (DATABASE_URL),
// in a schema of the run's own; Redis is a redis-server this script starts on a spare port, so
// used_memory counts this run only. Without PostgreSQL or redis-server, section 1's second half and
// section 2 are skipped with a note.
import { spawnSync } from 'node:child_process';
import { register } from 'node:module';
import { generateTotpSecret, totpCode } from '@totpkit/server';
import pg from 'pg';
import { describeMachine } from './lib/harness.mjs';
import { runFlood } from './scale-flood.mjs';
import { startBareServers, verifyLoad } from './scale-load.mjs';

register('../packages/server/test/support/ts-hooks.mjs', import.meta.url);
const { Cluster } = await import('../packages/server/test/support/cluster.ts');
const { OwnRedisServer } = await import('../packages/server/test/faults/own-redis.ts');
const { redisUsedMemory } = await import('../packages/server/test/support/redis-memory.ts');

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
/** The tables, unless the figures go out as JSON. */
const say = json ? () => {} : (...lines) => console.log(...lines);
const USERS = quick ? 200 : 10_000;
const ROUNDS = quick ? 1 : 3;
const CONNECTIONS = 32;
const FLOOD_ACCOUNTS = quick ? 200 : 10_000;
const FLOOD_ATTEMPTS = 10;
const LEGIT_DURING_FLOOD = quick ? 20 : 500;
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Runs `task` for every item, 24 at a time. */
async function inParallel(items, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** Imports `count` users with known secrets through the cluster's in-process service. */
async function seed(cluster, label, count) {
  const users = Array.from({ length: count }, (_, i) => ({ id: `${label}-${i}`, secret: generateTotpSecret() }));
  await inParallel(users, (user) => cluster.service.importAuthenticator({ id: user.id }, { secret: user.secret }));
  return users;
}

/**
 * Rounds of "every user logs in once" against the cluster, each paired with the same load on the
 * bare endpoints; resolves the median figures of both. Round 0 warms up and is not counted.
 */
async function sustained(cluster, users, bareOrigins) {
  const origins = cluster.instances.map((instance) => new URL(instance.baseUrl).origin);
  const samples = { totpkit: [], bare: [] };
  for (let round = 0; round <= ROUNDS; round++) {
    await cluster.advance(30);
    const codes = users.map((user) => totpCode(user.secret, { time: cluster.nowMs / 1000 }));
    const order = Math.random() < 0.5 ? ['totpkit', 'bare'] : ['bare', 'totpkit'];
    for (const which of order) {
      let k = 0;
      const next = () => {
        const i = k++ % users.length;
        return { userId: users[i].id, code: codes[i] };
      };
      // The bare endpoint gets three times the requests (it does not care whose code it parses),
      // so that its much shorter run still measures a steady state.
      const amount = which === 'totpkit' ? users.length : 3 * users.length;
      const result = await verifyLoad(which === 'totpkit' ? origins : bareOrigins, {
        amount,
        connections: CONNECTIONS,
        next,
      });
      const ok = result.statuses['200'] ?? 0;
      if (ok !== amount || result.errors > 0) {
        throw new Error(`${which}: ${ok} of ${amount} answered 200 (${JSON.stringify(result.statuses)})`);
      }
      if (round > 0) samples[which].push(result);
    }
  }
  const summary = (runs) => ({
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
  });
  return { totpkit: summary(samples.totpkit), bare: summary(samples.bare) };
}

function printThroughput(rows) {
  say('| setup | req/s | p50 ms | p99 ms | req/s ÷ bare | p50 ÷ bare | p99 ÷ bare |');
  say('|---|---:|---:|---:|---:|---:|---:|');
  for (const { name, figures, bare } of rows) {
    say(
      `| ${name} | ${fmt(figures.requestsPerSecond)} | ${fmt(figures.p50, 1)} | ${fmt(figures.p99, 1)} | ` +
        (bare
          ? `${fmt(figures.requestsPerSecond / bare.requestsPerSecond, 2)}× | ${fmt(figures.p50 / bare.p50, 1)}× | ${fmt(figures.p99 / bare.p99, 1)}× |`
          : '1.00× | 1.0× | 1.0× |'),
    );
  }
}

async function sqliteSection() {
  const cluster = await Cluster.start({ instances: 1, store: 'sqlite', source: 'dist' });
  const bare = await startBareServers(1);
  try {
    const users = await seed(cluster, 'bench-sqlite', USERS);
    const { totpkit, bare: baseline } = await sustained(cluster, users, bare.origins);
    return [
      { name: 'bare node:http JSON endpoint, 1 process', figures: baseline },
      { name: 'totpkit on SQLite, 1 instance', figures: totpkit, bare: baseline },
    ];
  } finally {
    await bare.stop();
    await cluster.close();
  }
}

async function postgresReachable() {
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

/**
 * Two instances over PostgreSQL + Redis. The flood runs first, while Redis holds nothing but the
 * limiter's script, so that used_memory before and after counts the flood alone; an administrator
 * then unlocks the attacked accounts (`unlock`) and the same users run the sustained rounds.
 */
async function postgresSection(rows) {
  const redisServer = await OwnRedisServer.start();
  let cluster = null;
  let bare = null;
  try {
    cluster = await Cluster.start({
      instances: 2,
      store: 'postgres',
      source: 'dist',
      postgresUrl: POSTGRES_URL,
      redisUrl: redisServer.url,
      poolSize: 10,
    });
    const users = await seed(cluster, 'bench-pg', USERS);
    const legit = await seed(cluster, 'bench-legit', LEGIT_DURING_FLOOD);
    await cluster.advance(30);
    const flood = await runFlood({
      cluster,
      accounts: users.slice(0, FLOOD_ACCOUNTS),
      legit,
      attemptsPerAccount: FLOOD_ATTEMPTS,
      connections: CONNECTIONS,
      legitPauseMs: quick ? 20 : 100,
      usedMemory: () => redisUsedMemory(redisServer.url),
    });
    await inParallel(users, (user) => cluster.service.unlock({ id: user.id }));

    bare = await startBareServers(2);
    const { totpkit, bare: baseline } = await sustained(cluster, users, bare.origins);
    rows.push(
      { name: 'bare node:http JSON endpoint, 2 processes', figures: baseline },
      { name: 'totpkit on PostgreSQL + Redis, 2 instances', figures: totpkit, bare: baseline },
    );
    printThroughput(rows);
    say(
      `\n## Flood: ${fmt(FLOOD_ACCOUNTS * FLOOD_ATTEMPTS)} wrong codes over ${fmt(FLOOD_ACCOUNTS)} accounts ` +
        `at 2 instances (PostgreSQL + Redis), ${CONNECTIONS} connections\n`,
    );
    say(flood.lines.join('\n'));
    return flood.figures;
  } finally {
    await bare?.stop();
    await cluster?.close();
    await redisServer.dispose();
  }
}

say(`# Scale-out benchmark — ${describeMachine()}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
say(`Command: node bench/scale.bench.mjs${quick ? ' --quick' : ''}\n`);
say(
  `## Sustained logins: ${fmt(USERS)} users, each logging in once per 30 s step; ` +
    `medians of ${ROUNDS} timed round(s) after a warm-up; ${CONNECTIONS} connections in total\n`,
);
const rows = await sqliteSection();
const redisServerInstalled = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
let flood = null;
let skipped = null;
if ((await postgresReachable()) && redisServerInstalled) {
  flood = await postgresSection(rows);
} else {
  skipped = 'PostgreSQL or redis-server is not available';
  say(`PostgreSQL (${POSTGRES_URL}) or redis-server is not available: skipping the two-instance rows and the flood.\n`);
  printThroughput(rows);
}
if (json) console.log(JSON.stringify({ quick, throughput: rows, flood, skipped }));
