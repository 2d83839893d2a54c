/**
 * Issue 7, an instance SIGKILLed while activations are in flight. Many users activate at once,
 * most of them through the instance that dies at a random moment, the rest through the other one.
 * Afterwards PostgreSQL holds, for every user, either a whole activation — the authenticator and
 * exactly `recoveryCodeCount` unused recovery codes — or nothing at all; and every user can finish
 * (or has finished) through the restarted instance.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cluster } from '../support/cluster.js';
import { boundedLoop, HttpClient, type Reply } from '../support/http-load.js';
import { describeWithServices, POSTGRES_URL, REDIS_URL } from '../support/services.js';
import { codeAt, newUserId, rowsOf } from './scale-helpers.js';

const USERS = 240;
const RECOVERY_CODE_COUNT = 10;

describeWithServices(['PostgreSQL', 'Redis'], 'an instance killed mid-activation', () => {
  let cluster: Cluster;
  const client = new HttpClient();

  beforeAll(async () => {
    cluster = await Cluster.start({
      instances: 2,
      store: 'postgres',
      postgresUrl: POSTGRES_URL,
      redisUrl: REDIS_URL,
      recoveryCodeCount: RECOVERY_CODE_COUNT,
    });
  }, 60_000);

  afterAll(async () => {
    client.close();
    await cluster?.close();
  });

  it('leaves every user fully active with all recovery codes, or not active at all', async () => {
    const [victim, survivor] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
    const users = Array.from({ length: USERS }, () => ({ id: newUserId('crash'), secret: '', token: '' }));
    await boundedLoop({
      total: USERS,
      concurrency: 16,
      maxMs: 60_000,
      task: async (i) => {
        const user = users[i] as (typeof users)[number];
        const setup = await client.post(survivor.baseUrl, '/totp/setup', user.id, {});
        expect(setup.status).toBe(200);
        user.secret = setup.body.secret as string;
        user.token = setup.body.enrollmentToken as string;
      },
    });

    // Two thirds through the victim, the rest through the survivor, all in flight at once. The
    // victim dies once a random share (10–60 %) of its answers has arrived.
    const viaVictim = (i: number) => i % 3 !== 2;
    const victimCount = users.filter((_, i) => viaVictim(i)).length;
    const killAfter = Math.floor(victimCount * (0.1 + Math.random() * 0.5));
    let victimAnswers = 0;
    let killing: Promise<void> | null = null;
    const replies: Reply[] = await Promise.all(
      users.map(async (user, i) => {
        const instance = viaVictim(i) ? victim : survivor;
        const body = { enrollmentToken: user.token, code: codeAt(cluster, user.secret) };
        const reply = await client.post(instance.baseUrl, '/totp/activate', user.id, body);
        if (viaVictim(i) && reply.status !== 0 && ++victimAnswers === killAfter) killing = victim.kill('SIGKILL');
        return reply;
      }),
    );
    await killing;
    const lost = replies.filter((reply) => reply.transportError !== null).length;
    const activated = replies.filter((reply) => reply.status === 200).length;
    console.log(
      `crash: SIGKILL after ${killAfter} of ${victimCount} victim answers; ` +
        `${activated} activations answered 200, ${lost} requests lost with the process`,
    );
    expect(victim.running).toBe(false);
    expect(lost).toBeGreaterThan(0); // the kill did land mid-flight
    expect(activated).toBeGreaterThanOrEqual(killAfter);
    for (const [i, reply] of replies.entries()) {
      // Every answer that did arrive is a success; the losers are only the ones the kill cut off.
      if (reply.transportError === null) expect([i, reply.status]).toEqual([i, 200]);
    }

    // All or nothing, per user, in the database itself.
    const rows = await rowsOf(
      cluster,
      users.map((user) => user.id),
    );
    const whole = { authenticators: 1, codes: RECOVERY_CODE_COUNT, unused: RECOVERY_CODE_COUNT };
    const none = { authenticators: 0, codes: 0, unused: 0 };
    let active = 0;
    for (const [i, user] of users.entries()) {
      const state = rows.get(user.id);
      expect([whole, none]).toContainEqual(state);
      if (replies[i]?.status === 200) expect(state).toEqual(whole);
      if (state?.authenticators === 1) active++;
    }
    expect(active).toBeGreaterThanOrEqual(activated);

    // The killed instance comes back, and every user can finish: those left without TOTP set up
    // again (a token whose activation died with the process may already be spent), those with it
    // log in on the restarted instance.
    await victim.restart();
    await cluster.advance(30);
    await boundedLoop({
      total: USERS,
      concurrency: 16,
      maxMs: 60_000,
      task: async (i) => {
        const user = users[i] as (typeof users)[number];
        if (rows.get(user.id)?.authenticators === 1) {
          const login = await client.post(victim.baseUrl, '/verify', user.id, { code: codeAt(cluster, user.secret) });
          expect([user.id, login.status]).toEqual([user.id, 200]);
          return;
        }
        const setup = await client.post(victim.baseUrl, '/totp/setup', user.id, {});
        const done = await client.post(victim.baseUrl, '/totp/activate', user.id, {
          enrollmentToken: setup.body.enrollmentToken,
          code: codeAt(cluster, setup.body.secret as string),
        });
        expect([user.id, done.status]).toEqual([user.id, 200]);
      },
    });
    const after = await rowsOf(
      cluster,
      users.map((user) => user.id),
    );
    for (const user of users) {
      expect(after.get(user.id)?.authenticators).toBe(1);
      expect(after.get(user.id)?.codes).toBe(RECOVERY_CODE_COUNT);
    }
    expect(survivor.crashes).toEqual([]);
    expect(victim.crashes).toEqual([]); // the SIGKILL was ours
  }, 120_000);
});
