/**
 * Issue 7, races over real HTTP: two app-server processes behind no balancer at all — the test
 * splits the requests between them — sharing PostgreSQL and Redis. One code, one recovery code and
 * one enrollment token each succeed exactly once, whichever instance the requests reach.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cluster } from '../support/cluster.js';
import { errorCode, HttpClient, type Reply } from '../support/http-load.js';
import { describeWithServices, POSTGRES_URL, REDIS_URL } from '../support/services.js';
import { codeAt, enrollOverHttp, newUserId, rowsOf, wrongCode } from './scale-helpers.js';

const PARALLEL = 50;
const ROUNDS = 4;

describeWithServices(['PostgreSQL', 'Redis'], 'races over HTTP between two instances', () => {
  let cluster: Cluster;
  const client = new HttpClient();

  beforeAll(async () => {
    cluster = await Cluster.start({ instances: 2, store: 'postgres', postgresUrl: POSTGRES_URL, redisUrl: REDIS_URL });
  }, 60_000);

  afterAll(async () => {
    client.close();
    await cluster?.close();
  });

  /** `PARALLEL` requests of one body, alternating between the two instances, all in flight at once. */
  function race(path: string, userId: string, body: unknown): Promise<Reply[]> {
    const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
    return Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => client.post((i % 2 ? a : b).baseUrl, path, userId, body)),
    );
  }

  /** Every refusal in a race is a plain wrong-code answer or a lockout, never a server failure. */
  function expectOnlyRefusals(replies: Reply[]): void {
    for (const reply of replies) {
      expect([
        [400, 'invalid_code'],
        [429, 'rate_limited'],
      ]).toContainEqual([reply.status, errorCode(reply)]);
    }
  }

  it(`accepts one valid TOTP code exactly once among ${PARALLEL} concurrent requests on both instances`, async () => {
    const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
    for (let round = 0; round < ROUNDS; round++) {
      const userId = newUserId('race-totp');
      const { secret } = await enrollOverHttp(cluster, client, userId, a, b);
      const replies = await race('/verify', userId, { code: codeAt(cluster, secret) });

      const accepted = replies.filter((reply) => reply.status === 200);
      expect(accepted).toHaveLength(1);
      expect(accepted[0]?.body).toMatchObject({ method: 'totp', recoveryCodesLeft: 10 });
      expectOnlyRefusals(replies.filter((reply) => reply.status !== 200));
      // Every request got an answer: none was dropped.
      expect(new Set(replies.map((reply) => reply.transportError))).toEqual(new Set([null]));
    }
  });

  it(`accepts one recovery code exactly once among ${PARALLEL} concurrent requests on both instances`, async () => {
    const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
    for (let round = 0; round < ROUNDS; round++) {
      const userId = newUserId('race-recovery');
      const { recoveryCodes } = await enrollOverHttp(cluster, client, userId, b, a);
      const replies = await race('/verify', userId, { code: recoveryCodes[round] });

      const accepted = replies.filter((reply) => reply.status === 200);
      expect(accepted).toHaveLength(1);
      expect(accepted[0]?.body).toEqual({ method: 'recovery_code', recoveryCodesLeft: 9 });
      expectOnlyRefusals(replies.filter((reply) => reply.status !== 200));
      expect((await rowsOf(cluster, [userId])).get(userId)).toEqual({ authenticators: 1, codes: 10, unused: 9 });
    }
  });

  it('activates once when two instances receive the same enrollment token at the same moment', async () => {
    const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
    const users = Array.from({ length: 10 }, () => newUserId('race-activate'));
    for (const userId of users) {
      const setup = await client.post(a.baseUrl, '/totp/setup', userId, {});
      expect(setup.status).toBe(200);
      const body = { enrollmentToken: setup.body.enrollmentToken, code: codeAt(cluster, setup.body.secret as string) };
      const replies = await Promise.all(
        [a, b].map((instance) => client.post(instance.baseUrl, '/totp/activate', userId, body)),
      );

      const accepted = replies.filter((reply) => reply.status === 200);
      expect(accepted).toHaveLength(1);
      expect(accepted[0]?.body.recoveryCodes).toHaveLength(10);
      const refused = replies.find((reply) => reply.status !== 200) as Reply;
      // The loser either lost the token's claim (410) or found the winner's authenticator (409).
      expect([
        [410, 'enrollment_expired'],
        [409, 'already_active'],
      ]).toContainEqual([refused.status, errorCode(refused)]);
    }
    const rows = await rowsOf(cluster, users);
    for (const userId of users) expect(rows.get(userId)).toEqual({ authenticators: 1, codes: 10, unused: 10 });
  });

  it('counts the failures of one account together, whichever instance they reach (checklist item 14)', async () => {
    const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
    const userId = newUserId('limit-shared');
    const { secret } = await enrollOverHttp(cluster, client, userId, a, b);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await client.post((i % 2 ? b : a).baseUrl, '/verify', userId, {
        code: wrongCode(cluster, secret, i),
      });
      answers.push(`${reply.status} ${errorCode(reply)}`);
    }
    expect(answers).toEqual([...Array(4).fill('400 invalid_code'), '429 rate_limited']);
    // Locked on both: even the right code is refused, on either instance.
    for (const instance of [a, b]) {
      const reply = await client.post(instance.baseUrl, '/verify', userId, { code: codeAt(cluster, secret) });
      expect([reply.status, errorCode(reply)]).toEqual([429, 'rate_limited']);
    }
  });

  it('kept both instances up throughout', () => {
    for (const instance of cluster.instances) expect(instance.crashes).toEqual([]);
  });
});
