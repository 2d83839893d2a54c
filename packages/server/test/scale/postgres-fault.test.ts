/**
 * Issue 7, PostgreSQL faults under traffic. The two instances reach the machine's PostgreSQL
 * through a TCP proxy this test controls (the server itself is shared and never stopped), and
 * their backend connections are also killed from the server side with pg_terminate_backend.
 *
 * While PostgreSQL cannot be reached — refused, or silent as in a partition — every request is
 * refused with 503 `unavailable` within the store's timeouts; no code is accepted, no instance
 * crashes, and the same processes serve logins again as soon as the database is back.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { Cluster } from '../support/cluster.js';
import { errorCode, HttpClient } from '../support/http-load.js';
import { describeWithServices, POSTGRES_URL, REDIS_URL } from '../support/services.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { codeAt, newUserId } from './scale-helpers.js';
import { type Exchange, now, type SeededUser, seedUsers, startTraffic, whenCounted } from './traffic.js';

/**
 * The longest a request may take while PostgreSQL is silent: PostgresStore's query timeout (10 s)
 * for the statement in flight, plus the same again for a ROLLBACK on the dead connection, plus
 * slack for a busy machine.
 */
const SILENT_BUDGET_MS = 25_000;

const HANDOVER_PROBE = fileURLToPath(new URL('../support/pg-handover-probe.mjs', import.meta.url));

/** A PostgreSQL ErrorResponse, FATAL 57P01, as pg_terminate_backend makes the server send. */
function fatalTermination(): Buffer {
  const fields = Buffer.from('SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/** True when a server chunk ends with ReadyForQuery ('Z', length 5, status): a reply is complete. */
const endsWithReadyForQuery = (chunk: Buffer) =>
  chunk.length >= 6 && chunk[chunk.length - 6] === 0x5a && chunk.readInt32BE(chunk.length - 5) === 5;

describeWithServices(['PostgreSQL', 'Redis'], 'PostgreSQL faults under traffic on two instances', () => {
  let proxy: TcpProxy;
  let cluster: Cluster;
  const client = new HttpClient();
  let pool: SeededUser[];
  let pids: (number | undefined)[];

  /** Disjoint slices of the seeded users, one per scenario. */
  function take(count: number): SeededUser[] {
    if (pool.length < count) throw new Error('seed more users for these scenarios');
    const slice = pool.slice(0, count);
    pool = pool.slice(count);
    return slice;
  }

  function usersFor(fresh: number) {
    return { fresh: take(fresh), attacked: take(10), recovery: take(Math.ceil(fresh / 4)) };
  }

  /** Waits until each instance has accepted a fresh code sent after `since`. */
  async function recovered(exchanges: readonly Exchange[], since: number): Promise<void> {
    await vi.waitFor(
      () => {
        for (const index of cluster.instances.keys()) {
          if (!exchanges.some((e) => e.instance === index && e.sentAt > since && e.status === 200)) {
            throw new Error(`instance ${index} has not accepted a login since PostgreSQL came back`);
          }
        }
      },
      { timeout: 20_000, interval: 100 },
    );
  }

  /** What holds at every moment of a fault: an answer to each request, no 500, nothing wrong accepted. */
  function expectFailClosed(exchanges: Exchange[]): void {
    for (const e of exchanges) {
      expect(e.transportError).toBeNull();
      expect([200, 400, 429, 503]).toContain(e.status);
      if (e.kind === 'wrong' || e.kind === 'replay') expect(e.status).not.toBe(200);
    }
    const acceptedUsers = exchanges.filter((e) => e.status === 200).map((e) => e.userId);
    expect(new Set(acceptedUsers).size).toBe(acceptedUsers.length);
    for (const instance of cluster.instances) expect(instance.crashes).toEqual([]);
    expect(cluster.instances.map((instance) => instance.pid)).toEqual(pids);
  }

  beforeAll(async () => {
    const { hostname, port } = new URL(POSTGRES_URL);
    proxy = await TcpProxy.start(hostname, Number(port || 5432));
    cluster = await Cluster.start({
      instances: 2,
      store: 'postgres',
      postgresUrl: POSTGRES_URL,
      instancePostgresUrl: proxy.urlFor(POSTGRES_URL),
      redisUrl: REDIS_URL,
    });
    pool = await seedUsers(cluster, 'pg-fault', 2600);
    pids = cluster.instances.map((instance) => instance.pid);
  }, 120_000);

  afterAll(async () => {
    client.close();
    await cluster?.close();
    await proxy?.close();
  });

  // Regression (src/stores/postgres.ts, transaction): a connection killed while checked out for a
  // transaction made pg emit an 'error' event nobody listened to, and the instance process died.
  it('survives a backend terminated in the middle of an activation transaction, answering 503', async () => {
    const instance = cluster.instances[0] as (typeof cluster.instances)[0];
    const userId = newUserId('pg-terminated');
    const setup = await client.post(instance.baseUrl, '/totp/setup', userId, {});
    // Another session holds the user's authenticator row (uncommitted), so the activation's
    // INSERT waits on its lock: a transaction in flight, at a moment the test controls.
    const blocker = new pg.Client({ connectionString: POSTGRES_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO ${cluster.schema}.totpkit_authenticators (user_id, encrypted_secret, algorithm, digits, period, created_at)
         VALUES ($1, 'x', 'SHA1', 6, 30, 0)`,
        [userId],
      );
      const activation = client.post(instance.baseUrl, '/totp/activate', userId, {
        enrollmentToken: setup.body.enrollmentToken,
        code: codeAt(cluster, setup.body.secret as string),
      });
      const waiting = await vi.waitFor(
        async () => {
          const rows = await cluster.sql<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
            [instance.name],
          );
          expect(rows).toHaveLength(1);
          return rows[0] as { pid: number };
        },
        { timeout: 10_000, interval: 50 },
      );
      await cluster.sql('SELECT pg_terminate_backend($1)', [waiting.pid]);
      const reply = await activation;
      expect([reply.status, errorCode(reply)]).toEqual([503, 'unavailable']);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect(instance.crashes).toEqual([]);
    // The same process goes on: the user starts setup again and activates with the next code (the
    // failed activation claimed this step, and a claimed step is never accepted again).
    await cluster.advance(30);
    const retry = await client.post(instance.baseUrl, '/totp/setup', userId, {});
    const activated = await client.post(instance.baseUrl, '/totp/activate', userId, {
      enrollmentToken: retry.body.enrollmentToken,
      code: codeAt(cluster, retry.body.secret as string),
    });
    expect(activated.status).toBe(200);
    await cluster.advance(30);
  });

  // Regression (src/stores/postgres.ts, #checkOut): the transaction's listener used to be attached
  // after `await pool.connect()`, a microtask after the pool had stopped listening. A FATAL parsed
  // from the same chunk as the previous query's reply fell in between, unheard, and the process
  // died (seen under pg_terminate_backend in the traffic test below, on a quiet machine).
  it('survives a connection that dies in the very reply that hands it to a waiting transaction', async () => {
    const { hostname, port } = new URL(POSTGRES_URL);
    const own = await TcpProxy.start(hostname, Number(port || 5432));
    const config = { connectionString: own.urlFor(POSTGRES_URL), schema: cluster.schema };
    const child = fork(HANDOVER_PROBE, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    try {
      await once(child, 'message'); // migrated: the one connection is idle
      own.interceptOnce(endsWithReadyForQuery, (chunk) => Buffer.concat([chunk, fatalTermination()]));
      child.send('go');
      const report = await Promise.race([once(child, 'message').then(([message]) => message), exited]);
      expect(stderr).not.toContain("Unhandled 'error' event");
      // The query had its answer; the transaction got a dead connection and failed; the store then
      // works again on a new connection.
      expect(report).toEqual({ type: 'report', outcomes: ['fulfilled', 'rejected'], after: 'ok' });
      expect(await exited).toEqual([0, null]);
    } finally {
      child.kill('SIGKILL');
      await own.close();
    }
  });

  it('answers 503 to every request while PostgreSQL refuses connections, and recovers without a restart', async () => {
    const users = usersFor(1000);
    const traffic = startTraffic(cluster, client, users, { concurrency: 8, maxRequests: 40_000, maxMs: 170_000 });
    // Phases end on counts of answers, not after fixed times, so a busy machine cannot thin them out.
    await whenCounted(traffic, 21, (e) => e.status === 200);
    proxy.setMode('refuse');
    const downAt = now();
    await whenCounted(traffic, 51, (e) => e.sentAt >= downAt);
    const upAt = now();
    proxy.setMode('forward');
    await recovered(traffic.exchanges, upAt);
    const exchanges = await traffic.stop();

    expect(exchanges.filter((e) => e.status === 200 && e.endedAt < downAt).length).toBeGreaterThan(20);
    const during = exchanges.filter((e) => e.sentAt >= downAt && e.endedAt <= upAt);
    expect(during.length).toBeGreaterThan(50);
    for (const e of during) expect([e.status, errorCode(e)]).toEqual([503, 'unavailable']);
    expectFailClosed(exchanges);

    // A user refused during the outage logs in afterwards with the very same code.
    const refused = during.find((e) => e.kind === 'fresh') as Exchange;
    const user = users.fresh.find((u) => u.id === refused.userId) as SeededUser;
    const again = await client.post(cluster.instances[0]?.baseUrl as string, '/verify', user.id, {
      code: codeAt(cluster, user.secret),
    });
    expect(again.status).toBe(200);
  }, 180_000);

  it('survives pg_terminate_backend on every instance connection under traffic', async () => {
    const traffic = startTraffic(cluster, client, usersFor(600), {
      concurrency: 8,
      maxRequests: 40_000,
      maxMs: 60_000,
    });
    const names = cluster.instances.map((instance) => instance.name);
    let terminated = 0;
    const terminatedAt = now();
    for (let round = 0; round < 10; round++) {
      await sleep(200);
      const rows = await cluster.sql<{ ok: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = ANY($1)',
        [names],
      );
      terminated += rows.filter((row) => row.ok).length;
    }
    const doneAt = now();
    await recovered(traffic.exchanges, doneAt);
    const exchanges = await traffic.stop();

    console.log(
      `pg_terminate_backend: ${terminated} connections killed in 10 rounds; ` +
        `${exchanges.filter((e) => e.status === 503).length} of ${exchanges.length} requests answered 503`,
    );
    expect(terminated).toBeGreaterThanOrEqual(10);
    // Killed connections in flight refused their requests; logins still succeeded between the
    // rounds, as the pools replaced the connections.
    const during = exchanges.filter((e) => e.sentAt > terminatedAt && e.endedAt < doneAt);
    expect(during.filter((e) => e.status === 503).length).toBeGreaterThan(0);
    expect(during.filter((e) => e.status === 200).length).toBeGreaterThan(0);
    expectFailClosed(exchanges);
  });

  it('answers 503 within the store timeouts while PostgreSQL is silent (a partition), then recovers', async () => {
    const traffic = startTraffic(cluster, client, usersFor(300), {
      concurrency: 16,
      maxRequests: 20_000,
      maxMs: 90_000,
    });
    await sleep(500);
    proxy.setMode('blackhole');
    const silentAt = now();
    // Longer than the 10 s query timeout, so requests stuck on open connections time out too.
    await sleep(12_000);
    const backAt = now();
    proxy.setMode('forward');
    await recovered(traffic.exchanges, backAt);
    const exchanges = await traffic.stop();

    const during = exchanges.filter((e) => e.sentAt >= silentAt && e.endedAt <= backAt);
    const slowest = Math.max(...during.map((e) => e.endedAt - e.sentAt));
    console.log(
      `silent PostgreSQL: ${during.length} requests refused with 503, the slowest after ${Math.round(slowest)} ms`,
    );
    // Stuck queries time out after 10 s; requests waiting for a pooled connection, after 5 s.
    expect(during.length).toBeGreaterThan(5);
    for (const e of during) {
      expect([e.status, errorCode(e)]).toEqual([503, 'unavailable']);
      expect(e.endedAt - e.sentAt).toBeLessThan(SILENT_BUDGET_MS);
    }
    expectFailClosed(exchanges);
  }, 60_000);
});
