/**
 * Issue 3: two processes, each with its own `createTotpkit`, sharing PostgreSQL and Redis, race
 * one valid code (and one recovery code): exactly one request in either process succeeds.
 * (Checklist items 10–12 across instances; over HTTP the same is tested by the scale-out suite.)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTotpkit, generateEncryptionKey, totpCode } from '../../src/index.js';
import { RedisRateLimiter } from '../../src/ratelimit/redis.js';
import { RedisReplayCache } from '../../src/replay/redis.js';
import { PostgresStore } from '../../src/stores/postgres.js';
import { START_MS } from '../support/service-fixture.js';
import { describeWithServices, POSTGRES_URL, REDIS_URL, uniqueName } from '../support/services.js';

describeWithServices(['PostgreSQL', 'Redis'], 'two app processes sharing PostgreSQL and Redis', () => {
  const schema = uniqueName('totpkit_two_proc');
  const keyPrefix = `${uniqueName('totpkit')}:`;
  const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };
  const children: ChildProcess[] = [];
  let kit: ReturnType<typeof createTotpkit>;
  let now = START_MS;

  async function spawnInstance(): Promise<ChildProcess> {
    const child = fork(fileURLToPath(new URL('../support/service-process.mjs', import.meta.url)), [
      JSON.stringify({ postgresUrl: POSTGRES_URL, schema, redisUrl: REDIS_URL, keyPrefix, keyring, now }),
    ]);
    children.push(child);
    await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
    });
    return child;
  }

  /** Sends one batch to every instance at once; resolves with the successes per instance. */
  async function race(userId: string, code: string, parallel: number) {
    const replies = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ ok: number; errors: string[] }>((resolve) => {
            child.once('message', resolve);
            child.send({ userId, code, parallel });
          }),
      ),
    );
    for (const reply of replies) expect(reply.errors).toEqual([]);
    return replies.map((reply) => reply.ok);
  }

  beforeAll(async () => {
    kit = createTotpkit({
      issuer: 'ACME Co',
      store: new PostgresStore({ connectionString: POSTGRES_URL, schema }),
      replayCache: new RedisReplayCache({ url: REDIS_URL, keyPrefix, now: () => now }),
      rateLimiter: new RedisRateLimiter({ url: REDIS_URL, keyPrefix }),
      keyring,
      now: () => now,
      logger: { warn: () => {}, error: () => {} },
    });
    await Promise.all([spawnInstance(), spawnInstance()]);
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.disconnect();
    await kit?.close();
    const admin = new Pool({ connectionString: POSTGRES_URL });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('accepts one valid code exactly once across 2 × 25 parallel requests', async () => {
    const user = { id: uniqueName('user') };
    const setup = await kit.beginSetup(user);
    // Activate at an earlier step, so the racing code (the instances' "now") is fresh.
    now -= 30_000;
    const activated = await kit.activate(user, {
      enrollmentToken: setup.enrollmentToken,
      code: totpCode(setup.secret, { time: now / 1000 }),
    });
    now += 30_000;
    expect(activated.ok).toBe(true);
    const successes = await race(user.id, totpCode(setup.secret, { time: now / 1000 }), 25);
    expect(successes.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('accepts one recovery code exactly once across 2 × 25 parallel requests', async () => {
    const user = { id: uniqueName('user') };
    const setup = await kit.beginSetup(user);
    const activated = await kit.activate(user, {
      enrollmentToken: setup.enrollmentToken,
      code: totpCode(setup.secret, { time: now / 1000 }),
    });
    if (!activated.ok) throw new Error('activation failed');
    const successes = await race(user.id, activated.recoveryCodes[0] as string, 25);
    expect(successes.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await kit.status(user)).toMatchObject({ recoveryCodes: { total: 10, unused: 9 } });
  });
});
