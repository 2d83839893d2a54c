/**
 * Issue 7, a flood of wrong codes at both instances over HTTP, spread over many accounts, with
 * legitimate logins interleaved. Lockouts engage per account after 5 failures, the accounts that
 * are not attacked log in normally throughout, and Redis memory and each instance's RSS stay
 * bounded. The figures are printed; docs/reliability.md quotes them.
 *
 * The flood here is FLOOD_REQUESTS over FLOOD_ACCOUNTS (10 wrong codes per account, like the
 * 100,000 over 10,000 of the issue, at a fifth of the scale so the file stays within the CI
 * budget on a 2-core machine); `node bench/scale.bench.mjs` runs the full 100,000.
 * Redis is the suite's own redis-server, so `used_memory` counts this flood and nothing else.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOwnRedis, OwnRedisServer } from '../faults/own-redis.js';
import { Cluster, type InstanceStats } from '../support/cluster.js';
import { boundedLoop, errorCode, HttpClient, type Reply } from '../support/http-load.js';
import { redisUsedMemory } from '../support/redis-memory.js';
import { describeWithServices, POSTGRES_URL } from '../support/services.js';
import { codeAt, wrongCode } from './scale-helpers.js';
import { now, type SeededUser, seedUsers } from './traffic.js';

const FLOOD_ACCOUNTS = Number(process.env.TOTPKIT_FLOOD_ACCOUNTS ?? 2000);
const ATTEMPTS_PER_ACCOUNT = 10;
const FLOOD_REQUESTS = FLOOD_ACCOUNTS * ATTEMPTS_PER_ACCOUNT;
/** One legitimate login after every this many flood requests. */
const LEGIT_EVERY = 50;
const LEGIT_USERS = Math.ceil(FLOOD_REQUESTS / LEGIT_EVERY);
const MAX_FAILURES = 5; // DEFAULT_RATE_LIMIT_POLICY.maxFailures

/** Bounds: generous, but a leak (a key per request, a map that never empties) would break them. */
const REDIS_BYTES_PER_ACCOUNT_LIMIT = 2048;
const RSS_LIMIT_BYTES = 400 * 2 ** 20;
const RSS_GROWTH_LIMIT_BYTES = 150 * 2 ** 20;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

describeWithServices(['PostgreSQL'], `a flood of ${FLOOD_REQUESTS} wrong codes on two instances`, () => {
  describeWithOwnRedis('with the suite’s own redis-server', () => {
    let redisServer: OwnRedisServer;
    let cluster: Cluster;
    const client = new HttpClient({ maxSockets: 16 });
    let attacked: SeededUser[];
    let legit: SeededUser[];

    beforeAll(async () => {
      redisServer = await OwnRedisServer.start();
      cluster = await Cluster.start({
        instances: 2,
        store: 'postgres',
        postgresUrl: POSTGRES_URL,
        redisUrl: redisServer.url,
        recoveryCodeCount: 1, // the flood never looks at recovery codes; fewer rows make seeding faster
      });
      const started = now();
      const seeded = await seedUsers(cluster, 'flood', FLOOD_ACCOUNTS + LEGIT_USERS);
      attacked = seeded.slice(0, FLOOD_ACCOUNTS);
      legit = seeded.slice(FLOOD_ACCOUNTS);
      console.log(`flood: seeded ${seeded.length} accounts in ${Math.round(now() - started)} ms`);
    }, 180_000);

    afterAll(async () => {
      client.close();
      await cluster?.close();
      await redisServer?.dispose();
    });

    it('locks each account after 5 failures, lets every other account log in, and stays bounded in memory', async () => {
      const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
      const redisBefore = await redisUsedMemory(redisServer.url);
      const rssBefore = await Promise.all([a.stats(), b.stats()]);
      const rssPeak = rssBefore.map((stats) => stats.rss);
      const sampler = setInterval(async () => {
        const stats = await Promise.all([a.stats(), b.stats()]).catch(() => [] as InstanceStats[]);
        stats.forEach((s, i) => {
          rssPeak[i] = Math.max(rssPeak[i] as number, s.rss);
        });
      }, 250);

      const outcomes = attacked.map(() => ({ invalid: 0, limited: 0, other: [] as string[] }));
      const wrong = attacked.map((user) => wrongCode(cluster, user.secret));
      const legitReplies: Reply[] = [];
      let legitNext = 0;
      const started = now();
      const { started: sent, elapsedMs } = await boundedLoop({
        total: FLOOD_REQUESTS,
        concurrency: 32,
        maxMs: 150_000,
        task: async (i) => {
          // Round-robin over accounts: each receives its attempts spread over the whole flood.
          const account = i % FLOOD_ACCOUNTS;
          const user = attacked[account] as SeededUser;
          const target = i % 2 ? a : b;
          if (i % LEGIT_EVERY === 0) {
            const legitUser = legit[legitNext++] as SeededUser;
            const other = i % 2 ? b : a;
            legitReplies.push(
              await client.post(other.baseUrl, '/verify', legitUser.id, { code: codeAt(cluster, legitUser.secret) }),
            );
          }
          const reply = await client.post(target.baseUrl, '/verify', user.id, { code: wrong[account] });
          const outcome = outcomes[account] as (typeof outcomes)[number];
          if (reply.status === 400 && errorCode(reply) === 'invalid_code') outcome.invalid++;
          else if (reply.status === 429 && errorCode(reply) === 'rate_limited') outcome.limited++;
          else outcome.other.push(`${reply.status} ${errorCode(reply) ?? reply.transportError}`);
        },
      });
      clearInterval(sampler);
      const redisAfter = await redisUsedMemory(redisServer.url);
      const rssAfter = await Promise.all([a.stats(), b.stats()]);

      const seconds = elapsedMs / 1000;
      console.log(
        [
          `flood: ${sent} wrong codes over ${FLOOD_ACCOUNTS} accounts + ${legitReplies.length} legitimate logins` +
            ` in ${seconds.toFixed(1)} s (${Math.round((sent + legitReplies.length) / seconds)} req/s, 2 instances)`,
          `flood: Redis used_memory ${mb(redisBefore)} → ${mb(redisAfter)}` +
            ` (${Math.round((redisAfter - redisBefore) / FLOOD_ACCOUNTS)} bytes per attacked account)`,
          ...rssAfter.map(
            (stats, i) =>
              `flood: instance ${i} RSS ${mb(rssBefore[i]?.rss as number)} → ${mb(stats.rss)} (peak ${mb(rssPeak[i] as number)})`,
          ),
        ].join('\n'),
      );
      expect(now() - started).toBeLessThan(170_000);

      // Every request ran, and every account answered 400 exactly four times: the fifth failure locks.
      expect(sent).toBe(FLOOD_REQUESTS);
      const unexpected = outcomes.flatMap((outcome) => outcome.other);
      expect(unexpected).toEqual([]);
      for (const outcome of outcomes) {
        expect(outcome).toEqual({
          invalid: MAX_FAILURES - 1,
          limited: ATTEMPTS_PER_ACCOUNT - MAX_FAILURES + 1,
          other: [],
        });
      }

      // The accounts nobody attacked logged in every time, on either instance, throughout.
      expect(legitReplies).toHaveLength(LEGIT_USERS);
      expect(legitReplies.map((reply) => reply.status)).toEqual(legitReplies.map(() => 200));

      // Memory: one small hash per attacked account in Redis, and no growth in the instances.
      expect(redisAfter - redisBefore).toBeLessThan(FLOOD_ACCOUNTS * REDIS_BYTES_PER_ACCOUNT_LIMIT);
      for (const [i, peak] of rssPeak.entries()) {
        expect(peak).toBeLessThan(RSS_LIMIT_BYTES);
        expect(peak - (rssBefore[i]?.rss as number)).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);
      }
      for (const instance of cluster.instances) expect(instance.crashes).toEqual([]);
    }, 200_000);
  });
});
