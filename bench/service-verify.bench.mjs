// Service benchmark (issue 3): a successful `verify()` — a login — on each storage setup, beside
// the core-only `verifyTotp` figure, so the overhead of each layer is visible. Every login does
// the full path: rate-limit check, authenticator read, decryption, the ±1 window, the replay claim,
// the compare-and-set of the used step, the recovery-code count and the limiter reset.
//
//   node bench/service-verify.bench.mjs           (needs PostgreSQL 127.0.0.1:5432 and Redis 127.0.0.1:6379
//                                                  for the last row; skipped with a note otherwise)
//   node bench/service-verify.bench.mjs --quick   smoke run
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTotpkit,
  generateEncryptionKey,
  generateTotpSecret,
  MemoryStore,
  totpCode,
  verifyTotp,
} from '@totpkit/server';
import { PostgresStore } from '@totpkit/server/postgres';
import { RedisRateLimiter, RedisReplayCache } from '@totpkit/server/redis';
import { SqliteStore } from '@totpkit/server/sqlite';
import pg from 'pg';
import { describeMachine } from './lib/harness.mjs';

const quick = process.argv.includes('--quick');
const USERS = quick ? 50 : 2000;
const ROUNDS = quick ? 1 : 3;
const CONCURRENCY = 16;
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Now, on a step boundary: replay claims end at absolute times (step end + 300 s skew margin), which the
// SQLite store and Redis judge by their own clocks, so a clock in the future would keep them for years.
const START = Math.floor(Date.now() / 30_000) * 30_000;

const secrets = Array.from({ length: USERS }, () => generateTotpSecret());
const users = secrets.map((_, i) => ({ id: `bench-user-${i}` }));

/** Runs `task(i)` for every user with CONCURRENCY in flight; returns the seconds taken. */
async function timed(task) {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < USERS) {
        const i = next++;
        await task(i);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measureService(name, parts) {
  let clock = START;
  const kit = createTotpkit({
    issuer: 'bench',
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    now: () => clock,
    logger: { warn() {}, error() {} },
    ...parts,
  });
  await timed((i) => kit.importAuthenticator(users[i], { secret: secrets[i] }));
  let seconds = 0;
  let failures = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    clock += 30_000;
    const codes = secrets.map((secret) => totpCode(secret, { time: clock / 1000 }));
    const elapsed = await timed(async (i) => {
      if (!(await kit.verify(users[i], codes[i])).ok) failures++;
    });
    if (round > 0) seconds += elapsed; // round 0 warms the JIT, pools and caches
  }
  await kit.close();
  if (failures > 0) throw new Error(`${name}: ${failures} logins failed`);
  return { name, opsPerSecond: (USERS * ROUNDS) / seconds };
}

function coreOnly() {
  let best = 0;
  for (let round = 0; round < ROUNDS + 2; round++) {
    const time = START / 1000 + round * 30;
    const codes = secrets.map((secret) => totpCode(secret, { time }));
    const started = process.hrtime.bigint();
    for (let i = 0; i < USERS; i++) if (!verifyTotp(secrets[i], codes[i], { time }).ok) throw new Error('core failed');
    best = Math.max(best, USERS / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return { name: 'core only: verifyTotp (no storage)', opsPerSecond: best };
}

async function reachable(check) {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

console.log(`# Service benchmark — ${describeMachine()}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
console.log(`${USERS} users, ${ROUNDS} timed rounds of one successful login each, ${CONCURRENCY} in flight.\n`);
const results = [coreOnly()];
results.push(await measureService('MemoryStore + memory replay cache and limiter', { store: new MemoryStore() }));

const dir = mkdtempSync(join(tmpdir(), 'totpkit-bench-'));
const sqlite = new SqliteStore({ filename: join(dir, 'bench.sqlite') });
results.push(
  await measureService('SqliteStore + its replay cache and limiter', {
    store: sqlite,
    replayCache: sqlite.replayCache(),
    rateLimiter: sqlite.rateLimiter(),
  }),
);
rmSync(dir, { recursive: true, force: true });

const schema = `totpkit_bench_${process.pid}`;
const admin = new pg.Pool({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
if (await reachable(() => admin.query('SELECT 1'))) {
  const prefix = `totpkit-bench-${process.pid}:`;
  const replayCache = new RedisReplayCache({ url: REDIS_URL, keyPrefix: prefix });
  const rateLimiter = new RedisRateLimiter({ url: REDIS_URL, keyPrefix: prefix });
  try {
    results.push(
      await measureService('PostgresStore + Redis replay cache and limiter', {
        store: new PostgresStore({ connectionString: POSTGRES_URL, schema, max: CONCURRENCY }),
        replayCache,
        rateLimiter,
      }),
    );
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
} else {
  console.log(`PostgreSQL is not reachable at ${POSTGRES_URL}; skipping that row.`);
}
await admin.end();

const core = results[0].opsPerSecond;
console.log('| setup | logins/s | share of core-only speed | µs per login |');
console.log('|---|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${Math.round(r.opsPerSecond).toLocaleString('en-US')} | ${((r.opsPerSecond / core) * 100).toFixed(1)}% | ${(1e6 / r.opsPerSecond).toFixed(1)} |`,
  );
}
