// Login ceiling benchmark (issue 15): a successful 2FA login over HTTP, the project's whole stack
// beside a minimal-work ceiling, side by side in the same run, on the same database.
//
//   node bench/login-ceiling.mjs                 SQLite, then PostgreSQL with the limiter in Redis,
//                                                then in PostgreSQL; 3 runs of each pair
//   node bench/login-ceiling.mjs --at <commit>   the same, with the server package of that commit
//   node bench/login-ceiling.mjs --quick         smoke run: a few hundred logins, figures meaningless
//   --only sqlite | postgres | postgres-redis | postgres-store
//                                                SQLite, both PostgreSQL setups, or one of them
//                                                (limiter in Redis, or the store's in PostgreSQL)
//   --runs <n>                                   pairs per setup (default 3)
//   --cpu-prof <dir>                             V8 CPU profiles of both servers (slows them: figures skewed)
//   --json                                       the figures as one JSON line instead of the tables
//   --no-strace / --strace                       skip / in a quick run, add the fsync count (strace)
//
// - The ceiling (lib/login/ceiling-server.mjs): node:http, parse the body, read the sealed secret,
//   open it, check the ±1 window, compare-and-set the step, answer. The project
//   (lib/login/project-server.mjs): createTotpkit + the protocol handler behind the Node adapter,
//   SqliteStore with its own limiter and replay cache, or PostgresStore + RedisReplayCache with
//   RedisRateLimiter or the store's own limiter. Each in a process of its own, so that its CPU time is its own.
// - Same database: the same SQLite file (the ceiling's connection runs the PRAGMA statements the
//   store ran: same journal mode, same `synchronous`), or the same PostgreSQL server and schema
//   with pools of the same size. Each server has its own USERS accounts in the same tables,
//   enrolled through the service before any timing.
// - The same closed-loop client (lib/login/closed-loop.mjs) for both. Request k logs in account
//   k mod USERS with the code of round ⌊k / USERS⌋ + 1, whose step is one period after the last
//   round's; the server's injected clock moves to that step as the round begins. Every login has
//   a fresh step, no account is replayed, and a code is inside the ±1 window whether its request
//   lands before or after the clock moves. Every answer must be a TOTP success: any other makes
//   the run invalid (exit code 1).
// - CPU per login: the server process (process.cpuUsage), plus, for PostgreSQL, the backends
//   serving that server's connections (found by application_name, /proc/<pid>/schedstat), plus,
//   for the project, Redis (`INFO cpu` of a redis-server this script starts, which serves nothing
//   else). The client's own CPU is not counted on either side.
// - RUNS pairs per setup, the two servers in a random order in each; the ratios are per pair.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describeMachine } from './lib/harness.mjs';
import { closedLoop } from './lib/login/closed-loop.mjs';
import { postgresBackendsCpu, postgresCpuDelta, redisCpuNs } from './lib/login/cpu.mjs';
import { countSyncCalls, straceInstalled } from './lib/login/fsyncs.mjs';
import { redisServerInstalled, startOwnRedis } from './lib/login/own-redis.mjs';
import { fmt, GOAL, printSetup, summarise } from './lib/login/report.mjs';
import { loadServer, packageRequire, serverSource } from './lib/login/server-source.mjs';
import { startServer } from './lib/login/start-server.mjs';

const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const json = argv.includes('--json');
const only = option('--only');
const at = option('--at');
const profiling = { cpuProfileDir: option('--cpu-prof') };
const say = json ? () => {} : (...lines) => console.log(...lines);

const USERS = quick ? 200 : 2000;
/** Logins per timed run: every account this many times. */
const ROUNDS_PER_RUN = quick ? 1 : 3;
const RUNS = quick ? 1 : Number(option('--runs') ?? 3);
const CONNECTIONS = quick ? 8 : 32;
/** Sequential logins per server under strace, after the timed runs; none in a quick run unless `--strace`. */
const TRACED_LOGINS =
  argv.includes('--no-strace') || !straceInstalled() || (quick && !argv.includes('--strace')) ? 0 : quick ? 50 : 200;
const POOL_SIZE = 10;
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The injected clock's start: 10 s into a 30 s step (2023-11-14T22:13:30Z). */
const START_MS = 1_700_000_010_000;
const PERIOD_MS = 30_000;

const PROJECT_SERVER = fileURLToPath(new URL('./lib/login/project-server.mjs', import.meta.url));
const CEILING_SERVER = fileURLToPath(new URL('./lib/login/ceiling-server.mjs', import.meta.url));

const source = serverSource(at);
const server = await loadServer(source.root);
const { createTotpkit, generateEncryptionKey, generateTotpSecret, totpCode } = server.index;
const { Redis } = packageRequire(source.root)('ioredis');
const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };

const shuffled = (items) => (Math.random() < 0.5 ? items : [...items].reverse());

/** Runs `task` for every item, 24 at a time. */
async function inParallel(items, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** Enrols USERS accounts for each side through the service, in the tables both servers use. */
async function enrol(parts) {
  const kit = createTotpkit({
    issuer: 'totpkit login bench',
    keyring,
    now: () => START_MS,
    logger: { warn() {}, error() {} },
    ...parts,
  });
  const accounts = {};
  for (const side of ['project', 'ceiling']) {
    accounts[side] = Array.from({ length: USERS }, (_, i) => ({ id: `${side}-${i}`, secret: generateTotpSecret() }));
    await inParallel(accounts[side], (user) => kit.importAuthenticator({ id: user.id }, { secret: user.secret }));
  }
  await kit.close();
  return accounts;
}

/**
 * One server and its accounts: `next()` walks the accounts round after round, moving the server's
 * clock one period on as each round begins.
 */
function loginSequence(target, users) {
  let k = 0;
  let round = 0;
  let time = 0;
  return () => {
    const i = k % users.length;
    const r = Math.floor(k / users.length) + 1;
    k++;
    if (r !== round) {
      round = r;
      const nowMs = START_MS + round * PERIOD_MS;
      time = nowMs / 1000;
      target.setClock(nowMs);
    }
    return { userId: users[i].id, code: totpCode(users[i].secret, { time }) };
  };
}

/**
 * The pairs of one setup. `sides` maps 'project' and 'ceiling' to `{ server, next, cpu() }`, where
 * cpu() resolves the CPU, in ns, of what serves that side beyond its own process. Returns the runs.
 */
async function measurePairs(sides) {
  for (const side of Object.values(sides)) {
    // Warm-up: one round each (JIT, pools, caches, prepared statements), not counted.
    const warm = await closedLoop(side.server.origin, { amount: USERS, connections: CONNECTIONS, next: side.next });
    side.warmUp = warm;
  }
  const runs = [];
  for (let run = 1; run <= RUNS; run++) {
    const pair = { run };
    for (const name of shuffled(['ceiling', 'project'])) {
      const side = sides[name];
      const cpuBefore = { server: await side.server.cpu(), other: await side.cpu() };
      const load = await closedLoop(side.server.origin, {
        amount: ROUNDS_PER_RUN * USERS,
        connections: CONNECTIONS,
        next: side.next,
      });
      const serverCpu = await side.server.cpu();
      const serverNs = (serverCpu.user + serverCpu.system - cpuBefore.server.user - cpuBefore.server.system) * 1000;
      const serverSystemNs = (serverCpu.system - cpuBefore.server.system) * 1000;
      const other = await side.cpu(cpuBefore.other);
      const perLogin = (ns) => ns / 1000 / load.amount; // µs
      pair[name] = {
        ...load,
        valid: load.ok === load.amount && load.errors === 0 && load.timeouts === 0,
        cpuMicrosPerLogin: {
          server: perLogin(serverNs),
          // The kernel's share: syscalls, among them SQLite's fsync (on SQLite) and the sockets.
          serverSystem: perLogin(serverSystemNs),
          postgres: other.postgresNs === undefined ? null : perLogin(other.postgresNs),
          redis: other.redisNs === undefined ? null : perLogin(other.redisNs),
          total: perLogin(serverNs + (other.postgresNs ?? 0) + (other.redisNs ?? 0)),
        },
        postgresBackends: other.backends ?? null,
      };
    }
    pair.ratios = {
      throughput: pair.project.loginsPerSecond / pair.ceiling.loginsPerSecond,
      cpu: pair.project.cpuMicrosPerLogin.total / pair.ceiling.cpuMicrosPerLogin.total,
    };
    // The same comparison in µs: what totpkit spends per login beyond the ceiling's work. It moves
    // less with the machine than the ratio, whose denominator is the ceiling's own cost.
    pair.cpuBeyondCeilingMicros = pair.project.cpuMicrosPerLogin.total - pair.ceiling.cpuMicrosPerLogin.total;
    runs.push(pair);
  }
  return runs;
}

/**
 * fsync + fdatasync calls per login of each side: TRACED_LOGINS logins one at a time (no group
 * commit), counted in the server process and, with `pids()`, the processes serving it. Null when
 * not counted. The logins join `loads`, whose answers decide the run's validity too.
 */
async function syncCallsPerLogin(sides, loads) {
  if (TRACED_LOGINS === 0) return null;
  const perLogin = {};
  for (const name of ['ceiling', 'project']) {
    const side = sides[name];
    const pids = [side.server.pid, ...((await side.pids?.()) ?? [])];
    let load;
    const calls = await countSyncCalls(pids, async () => {
      load = await closedLoop(side.server.origin, { amount: TRACED_LOGINS, connections: 1, next: side.next });
    });
    loads.push(load);
    perLogin[name] = (calls.fsync + calls.fdatasync) / TRACED_LOGINS;
  }
  return { logins: TRACED_LOGINS, perLogin };
}

async function sqliteSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-login-bench-'));
  const sqliteFile = join(dir, 'logins.sqlite');
  const servers = [];
  try {
    const store = new server.sqlite.SqliteStore({ filename: sqliteFile, now: () => START_MS });
    const accounts = await enrol({ store, replayCache: store.replayCache?.(), rateLimiter: store.rateLimiter() });
    const common = { serverRoot: source.root, store: 'sqlite', sqliteFile, keyring, nowMs: START_MS };
    const project = await startServer(PROJECT_SERVER, common, profiling);
    servers.push(project);
    const settings = project.details.sqlite;
    const ceiling = await startServer(CEILING_SERVER, { ...common, sqlitePragmas: settings.statements }, profiling);
    servers.push(ceiling);
    const theirs = ceiling.details.sqlite;
    if (theirs.synchronous !== settings.synchronous || theirs.journalMode !== settings.journalMode) {
      throw new Error(`The ceiling's SQLite settings differ from the store's: ${JSON.stringify({ settings, theirs })}`);
    }
    const none = async () => ({});
    const sides = {
      project: { server: project, next: loginSequence(project, accounts.project), cpu: none },
      ceiling: { server: ceiling, next: loginSequence(ceiling, accounts.ceiling), cpu: none },
    };
    const runs = await measurePairs(sides);
    const loads = [sides.project.warmUp, sides.ceiling.warmUp];
    const syncCalls = await syncCallsPerLogin(sides, loads);
    const durability =
      `journal_mode=${settings.journalMode}, synchronous reads back ${settings.synchronous}; ` +
      `the store's connection ran: ${settings.statements.join('; ')} (the ceiling ran the same)`;
    return summarise('SQLite (one file, one server process each)', durability, runs, loads, syncCalls);
  } finally {
    for (const child of servers) await child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresReachable(admin) {
  try {
    await admin.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * PostgreSQL, with the rate limiter in Redis (`RedisRateLimiter`: one EVALSHA per login beside the
 * two statements) or in PostgreSQL (`store.rateLimiter()`: a right code's limit check is part of
 * the step's compare-and-set statement, so a login makes the ceiling's two round trips).
 */
const POSTGRES_SETUPS = {
  redis: 'PostgreSQL + Redis (one server process each)',
  store: 'PostgreSQL, limiter in PostgreSQL, + Redis replay cache (one server process each)',
};

async function postgresSetup(admin, limiter) {
  const schema = `totpkit_login_bench_${process.pid}`;
  const keyPrefix = `totpkit-login-bench-${process.pid}:`;
  const own = redisServerInstalled()
    ? await startOwnRedis((url) => new Redis(url, { retryStrategy: () => null, maxRetriesPerRequest: 0 }))
    : null;
  const redisUrl = own?.url ?? REDIS_URL;
  const redis = new Redis(redisUrl);
  const servers = [];
  const withName = (name) => {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('application_name', name);
    return url.href;
  };
  try {
    const store = new server.postgres.PostgresStore({ connectionString: POSTGRES_URL, schema, max: POOL_SIZE });
    const accounts = await enrol({
      store,
      replayCache: new server.redis.RedisReplayCache({ url: redisUrl, keyPrefix, now: () => START_MS }),
      rateLimiter: new server.redis.RedisRateLimiter({ url: redisUrl, keyPrefix }),
    });
    const names = { project: `totpkit-login-project-${process.pid}`, ceiling: `totpkit-login-ceiling-${process.pid}` };
    const common = {
      serverRoot: source.root,
      store: 'postgres',
      schema,
      poolSize: POOL_SIZE,
      keyring,
      nowMs: START_MS,
    };
    const project = await startServer(
      PROJECT_SERVER,
      { ...common, postgresUrl: withName(names.project), redisUrl, keyPrefix, limiter },
      profiling,
    );
    servers.push(project);
    const ceiling = await startServer(CEILING_SERVER, { ...common, postgresUrl: withName(names.ceiling) }, profiling);
    servers.push(ceiling);
    /** Snapshot (no argument) or the CPU since `before`. */
    const cpu = (name, withRedis) => async (before) => {
      const snapshot = {
        backends: await postgresBackendsCpu(admin, names[name]),
        redisNs: withRedis ? await redisCpuNs(redis) : undefined,
      };
      if (!before) return snapshot;
      const delta = postgresCpuDelta(before.backends, snapshot.backends);
      return {
        postgresNs: delta.ns,
        backends: { count: delta.backends, gone: delta.gone },
        redisNs: withRedis ? snapshot.redisNs - before.redisNs : undefined,
      };
    };
    const backendPids = (name) => async () => [...(await postgresBackendsCpu(admin, names[name])).keys()];
    const sides = {
      project: {
        server: project,
        next: loginSequence(project, accounts.project),
        cpu: cpu('project', true),
        pids: backendPids('project'),
      },
      ceiling: {
        server: ceiling,
        next: loginSequence(ceiling, accounts.ceiling),
        cpu: cpu('ceiling', false),
        pids: backendPids('ceiling'),
      },
    };
    const runs = await measurePairs(sides);
    const loads = [sides.project.warmUp, sides.ceiling.warmUp];
    const syncCalls = await syncCallsPerLogin(sides, loads);
    const { rows } = await admin.query(
      "SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fsync, version() AS v",
    );
    const durability =
      `the same server for both (${rows[0].v.split(' on ')[0]}), synchronous_commit=${rows[0].sc}, fsync=${rows[0].fsync}; ` +
      `pools of ${POOL_SIZE}; Redis: ${own ? "a redis-server of this run's own" : redisUrl}, persistence as configured there`;
    return summarise(POSTGRES_SETUPS[limiter], durability, runs, loads, syncCalls);
  } finally {
    for (const child of servers) await child.stop();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = nextCursor;
    } while (cursor !== '0');
    redis.disconnect();
    await own?.stop();
  }
}

const tree = at
  ? `commit ${source.commit} (--at ${at})`
  : `working tree at ${source.commit}${source.dirty.length ? ` with uncommitted changes in ${source.dirty.join(', ')}` : ''}`;
say(`# Login ceiling benchmark — ${describeMachine()}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
say(`Command: node bench/login-ceiling.mjs ${argv.filter((a) => a !== '--json').join(' ')}`.trimEnd());
say(`Server package: ${tree}`);
say(
  `${fmt(USERS)} accounts per server; ${RUNS} run(s) of ${fmt(ROUNDS_PER_RUN * USERS)} logins per server after a ` +
    `warm-up round; ${CONNECTIONS} connections, closed loop; ceiling and totpkit in a random order in each run.`,
);

const setups = [];
let skipped = null;
try {
  if (only === undefined || only === 'sqlite') {
    setups.push(await sqliteSetup());
    printSetup(setups.at(-1), say);
  }
  const limiters = Object.keys(POSTGRES_SETUPS).filter(
    (limiter) => only === undefined || only === 'postgres' || only === `postgres-${limiter}`,
  );
  if (limiters.length > 0) {
    const admin = new pg.Pool({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000, max: 2 });
    try {
      if (await postgresReachable(admin)) {
        for (const limiter of limiters) {
          setups.push(await postgresSetup(admin, limiter));
          printSetup(setups.at(-1), say);
        }
      } else {
        skipped = `PostgreSQL is not reachable at ${POSTGRES_URL}`;
        say(`\n${skipped}: skipping the PostgreSQL setups.`);
      }
    } finally {
      await admin.end();
    }
  }
} finally {
  source.dispose();
}

const valid = setups.every((setup) => setup.valid);
if (json) {
  console.log(
    JSON.stringify({
      quick,
      server: { commit: source.commit, at: at ?? null, dirty: source.dirty },
      accounts: USERS,
      loginsPerRun: ROUNDS_PER_RUN * USERS,
      connections: CONNECTIONS,
      goal: GOAL,
      valid,
      skipped,
      setups,
    }),
  );
}
if (!valid) process.exitCode = 1;
