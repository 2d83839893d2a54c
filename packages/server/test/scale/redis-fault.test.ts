/**
 * Issue 7, Redis faults under traffic: two instances over PostgreSQL and a redis-server of this
 * test's own (never the machine's shared one), which is killed, restarted and frozen while mixed
 * login traffic runs against both instances over HTTP.
 *
 * While Redis is gone every request is refused with 503 `unavailable`: no code of any kind is
 * accepted, nothing is half-written, and no instance crashes. When Redis is back on the same port
 * (empty: no persistence), the same processes serve logins again without a restart, and a code
 * accepted before the outage stays refused although Redis forgot its claim.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeWithOwnRedis, OwnRedisServer } from '../faults/own-redis.js';
import { Cluster } from '../support/cluster.js';
import { errorCode, HttpClient } from '../support/http-load.js';
import { describeWithServices, POSTGRES_URL } from '../support/services.js';
import { codeAt } from './scale-helpers.js';
import { type Exchange, now, type SeededUser, seedUsers, startTraffic, whenCounted } from './traffic.js';

/** The Redis parts' default command timeout (src/redis/connection.ts). */
const COMMAND_TIMEOUT_MS = 2000;
/** With Redis frozen, the command timeout answers; slack for a busy 2-core machine. */
const FROZEN_BUDGET_MS = 6000;

describeWithServices(['PostgreSQL'], 'Redis faults under traffic on two instances', () => {
  describeWithOwnRedis('with the suite’s own redis-server', () => {
    let redis: OwnRedisServer;
    let cluster: Cluster;
    const client = new HttpClient();
    let users: { fresh: SeededUser[]; attacked: SeededUser[]; recovery: SeededUser[]; later: SeededUser[] };
    let pids: (number | undefined)[];
    /** The outage of the first test, kept for the second. */
    let outage: { exchanges: Exchange[]; downAt: number; upAt: number };

    beforeAll(async () => {
      const started = now();
      redis = await OwnRedisServer.start();
      cluster = await Cluster.start({
        instances: 2,
        store: 'postgres',
        postgresUrl: POSTGRES_URL,
        redisUrl: redis.url,
      });
      const seeded = await seedUsers(cluster, 'redis-fault', 2400);
      users = {
        fresh: seeded.slice(0, 1200),
        attacked: seeded.slice(1200, 1210),
        recovery: seeded.slice(1210, 1500),
        later: seeded.slice(1500),
      };
      pids = cluster.instances.map((instance) => instance.pid);
      console.log(
        `redis-fault: cluster started and ${seeded.length} users seeded in ${Math.round(now() - started)} ms`,
      );
    }, 120_000);

    afterAll(async () => {
      client.close();
      await cluster?.close();
      await redis?.dispose();
    });

    /** Waits until each instance has accepted a fresh code sent after `since`. */
    async function recovered(exchanges: readonly Exchange[], since: number): Promise<void> {
      await vi.waitFor(
        () => {
          for (const index of cluster.instances.keys()) {
            const ok = exchanges.some((e) => e.instance === index && e.sentAt > since && e.status === 200);
            if (!ok) throw new Error(`instance ${index} has not accepted a login since Redis came back`);
          }
        },
        { timeout: 15_000, interval: 100 },
      );
    }

    it('answers 503 to every request while Redis is down, accepts no code, and recovers without a restart', async () => {
      const traffic = startTraffic(cluster, client, users, { concurrency: 8, maxRequests: 40_000, maxMs: 170_000 });
      // Phases end on counts of answers, not after fixed times, so a busy machine cannot thin them out.
      await whenCounted(traffic, 21, (e) => e.status === 200);
      await redis.stop();
      const downAt = now();
      await whenCounted(traffic, 51, (e) => e.sentAt >= downAt);
      const upAt = now();
      await redis.restart();
      await recovered(traffic.exchanges, upAt);
      await sleep(300);
      const exchanges = await traffic.stop();
      outage = { exchanges, downAt, upAt };

      // Traffic was real on both sides of the outage.
      expect(exchanges.filter((e) => e.status === 200 && e.endedAt < downAt).length).toBeGreaterThan(20);
      const during = exchanges.filter((e) => e.sentAt >= downAt && e.endedAt <= upAt);
      expect(during.length).toBeGreaterThan(50);
      expect(new Set(during.map((e) => e.kind))).toEqual(new Set(['fresh', 'wrong', 'replay', 'recovery']));
      for (const e of during) expect([e.status, errorCode(e)]).toEqual([503, 'unavailable']);

      // Whatever the moment: every request answered, no 500, and no wrong or replayed code accepted.
      for (const e of exchanges) {
        expect(e.transportError).toBeNull();
        expect([200, 400, 429, 503]).toContain(e.status);
        if (e.kind === 'wrong' || e.kind === 'replay') expect(e.status).not.toBe(200);
      }
      const acceptedUsers = exchanges.filter((e) => e.status === 200).map((e) => e.userId);
      expect(new Set(acceptedUsers).size).toBe(acceptedUsers.length);

      for (const instance of cluster.instances) expect(instance.crashes).toEqual([]);
      expect(cluster.instances.map((instance) => instance.pid)).toEqual(pids);
    }, 180_000);

    it('wrote nothing for the requests it refused during the outage', async () => {
      const { exchanges, downAt, upAt } = outage;
      const refused = exchanges.filter((e) => e.sentAt >= downAt && e.endedAt <= upAt);
      const freshIds = refused.filter((e) => e.kind === 'fresh').map((e) => e.userId);
      const recoveryIds = refused.filter((e) => e.kind === 'recovery').map((e) => e.userId);
      expect(freshIds.length).toBeGreaterThan(0);
      expect(recoveryIds.length).toBeGreaterThan(0);

      const steps = await cluster.sql<{ last_used_step: string | null }>(
        `SELECT last_used_step FROM ${cluster.schema}.totpkit_authenticators WHERE user_id = ANY($1)`,
        [freshIds],
      );
      expect(steps.map((row) => row.last_used_step)).toEqual(freshIds.map(() => null));
      for (const userId of recoveryIds) {
        expect(await cluster.service.status({ id: userId })).toMatchObject({
          recoveryCodes: { total: 10, unused: 10 },
        });
      }
    });

    it('accepts, after the outage, the very code it refused during it, and still refuses replays', async () => {
      const { exchanges, downAt, upAt } = outage;
      const refusedFresh = exchanges.find((e) => e.kind === 'fresh' && e.sentAt >= downAt && e.endedAt <= upAt);
      const user = users.fresh.find((u) => u.id === refusedFresh?.userId) as SeededUser;
      const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
      expect((await client.post(b.baseUrl, '/verify', user.id, { code: codeAt(cluster, user.secret) })).status).toBe(
        200,
      );

      // A code accepted before the outage: the restarted Redis has no claim for it, but the
      // step stored in PostgreSQL still refuses it.
      const before = exchanges.find((e) => e.kind === 'fresh' && e.status === 200 && e.endedAt < downAt) as Exchange;
      const early = users.fresh.find((u) => u.id === before.userId) as SeededUser;
      const replay = await client.post(a.baseUrl, '/verify', early.id, { code: codeAt(cluster, early.secret) });
      expect([replay.status, errorCode(replay)]).toEqual([400, 'invalid_code']);
    });

    it('answers 503 within the command timeout while Redis is frozen, then recovers', async () => {
      const freshUsers = users.later;
      const traffic = startTraffic(
        cluster,
        client,
        { fresh: freshUsers, attacked: users.attacked, recovery: users.recovery.slice(200) },
        { concurrency: 16, maxRequests: 20_000, maxMs: 60_000 },
      );
      await sleep(300);
      redis.freeze();
      const frozenAt = now();
      await sleep(5000);
      const thawedAt = now();
      redis.thaw();
      await recovered(traffic.exchanges, thawedAt);
      const exchanges = await traffic.stop();

      // Sent while frozen, early enough that the command timeout ran out before the thaw.
      const during = exchanges.filter((e) => e.sentAt >= frozenAt && e.sentAt < thawedAt - COMMAND_TIMEOUT_MS - 500);
      expect(during.length).toBeGreaterThan(10);
      for (const e of during) {
        expect([e.status, errorCode(e)]).toEqual([503, 'unavailable']);
        expect(e.endedAt - e.sentAt).toBeLessThan(FROZEN_BUDGET_MS);
      }
      for (const e of exchanges) if (e.kind === 'wrong' || e.kind === 'replay') expect(e.status).not.toBe(200);
      for (const instance of cluster.instances) expect(instance.crashes).toEqual([]);
      expect(cluster.instances.map((instance) => instance.pid)).toEqual(pids);
    });
  });
});
