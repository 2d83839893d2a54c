/**
 * Redis round trips per login through the real service, wired as the scale tests wire it
 * (PostgresStore + RedisRateLimiter + RedisReplayCache), counted on the Redis server's own account
 * (MONITOR, by the connection that sent each command). A successful TOTP login is one command:
 * the limiter's settle of the checked code (`RateLimiter.settle`), an EXISTS that finds no record
 * (the script, EVALSHA, when there is one); the store's compare-and-set, not a replay-cache
 * claim, makes the step single-use (issue 15, item 3).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTotpkit, generateEncryptionKey, type Totpkit, totpCode } from '../../src/index.js';
import { PostgresStore } from '../../src/postgres.js';
import { RedisRateLimiter, RedisReplayCache } from '../../src/redis.js';
import { addressOf, type MonitoredCommand, RedisMonitor } from '../ratelimit/redis-monitor.js';
import { describeWithServices, POSTGRES_URL, REDIS_URL, uniqueName } from '../support/services.js';

const PERIOD_MS = 30_000;

describeWithServices(['PostgreSQL', 'Redis'], 'Redis round trips per login through the service', () => {
  const schema = uniqueName('totpkit_rtt');
  const keyPrefix = `${uniqueName('totpkit_rtt')}:`;
  let clockMs = 1_900_000_005_000;
  const now = () => clockMs;
  let monitor: RedisMonitor;
  /** One connection each, so every command is told apart by its sender. */
  let limiterClient: Redis;
  let cacheClient: Redis;
  let senders: Map<string, string>;
  let kit: Totpkit;
  let admin: pg.Pool;
  const user = { id: 'ada' };
  let secret: string;
  let recoveryCodes: string[];
  /** Round trips per kind of request, printed at the end. */
  const table: Record<string, string> = {};

  /** The Redis commands the service's connections sent while `action` ran, as `part: COMMAND key`. */
  async function sentDuring(action: () => Promise<unknown>): Promise<string[]> {
    const commands = await monitor.during(action);
    return commands.flatMap((command: MonitoredCommand) => {
      const part = senders.get(command.source);
      if (!part) return [];
      // EVALSHA sha numkeys key …: name the key, not the script.
      const key = command.args[0]?.startsWith('eval') ? command.args[3] : command.args[1];
      return [`${part}: ${command.args[0]} ${String(key).replace(keyPrefix, '')}`];
    });
  }

  const code = (offsetSteps = 0) => totpCode(secret, { time: clockMs / 1000 + offsetSteps * 30 });
  const wrong = () => {
    const valid = new Set([-1, 0, 1].map(code));
    for (let n = 137_911; ; n += 7919) {
      const candidate = String(n % 1_000_000).padStart(6, '0');
      if (!valid.has(candidate)) return candidate;
    }
  };

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    monitor = await RedisMonitor.start(REDIS_URL);
    limiterClient = new Redis(REDIS_URL);
    cacheClient = new Redis(REDIS_URL);
    senders = new Map([
      [await addressOf(limiterClient), 'limiter'],
      [await addressOf(cacheClient), 'replay cache'],
    ]);
    kit = createTotpkit({
      issuer: 'ACME Co',
      keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
      store: new PostgresStore({ connectionString: POSTGRES_URL, schema, max: 4 }),
      rateLimiter: new RedisRateLimiter({ client: limiterClient, keyPrefix }),
      replayCache: new RedisReplayCache({ client: cacheClient, keyPrefix, now }),
      now,
      logger: { warn: () => {}, error: () => {} },
    });
    await kit.status(user); // migrates the schema
  });

  afterAll(async () => {
    console.log(
      `Redis round trips per request (PostgresStore + RedisRateLimiter + RedisReplayCache):\n${Object.entries(table)
        .map(([request, trips]) => `  ${request}: ${trips}`)
        .join('\n')}`,
    );
    await kit?.close();
    await monitor?.stop();
    limiterClient?.disconnect();
    cacheClient?.disconnect();
    const cleaner = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await cleaner.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await cleaner.quit();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  describe('in order, on one enrolled account', () => {
    it('activation: the enrollment token claim and the settle of its code', async () => {
      const setup = await kit.beginSetup(user);
      secret = setup.secret;
      let activated: Awaited<ReturnType<Totpkit['activate']>> | undefined;
      const sent = await sentDuring(async () => {
        activated = await kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
      });
      expect(activated).toMatchObject({ ok: true });
      recoveryCodes = (activated as { recoveryCodes: string[] }).recoveryCodes;
      // The account has no rate-limit record: the right code's settle is one EXISTS.
      const settles = sent.filter((c) => c.startsWith('limiter:'));
      expect(settles).toEqual([`limiter: exists ratelimit:totp:${user.id}`]);
      expect(sent.filter((c) => c.startsWith('replay cache:'))).toHaveLength(sent.length - settles.length);
      table.activation = `${sent.length} (${sent.join(', ')})`;
    });

    it('a successful TOTP login is exactly one command: the limiter settle, no replay-cache claim', async () => {
      const trips: string[][] = [];
      for (let login = 0; login < 5; login++) {
        clockMs += PERIOD_MS;
        let result: unknown;
        trips.push(
          await sentDuring(async () => {
            result = await kit.verify(user, code());
          }),
        );
        expect(result).toMatchObject({ ok: true, method: 'totp' });
      }
      for (const sent of trips) expect(sent).toEqual([`limiter: exists ratelimit:totp:${user.id}`]);
      table['successful TOTP login'] = `${trips[0]?.length} (${trips[0]?.join(', ')})`;
    });

    it('a wrong code is one command, and so is a replay of the code just used', async () => {
      clockMs += PERIOD_MS;
      const used = code();
      expect(await kit.verify(user, used)).toMatchObject({ ok: true });

      const wrongSent = await sentDuring(async () =>
        expect(await kit.verify(user, wrong())).toEqual({ ok: false, error: 'invalid_code' }),
      );
      expect(wrongSent).toEqual([`limiter: evalsha ratelimit:totp:${user.id}`]);
      table['wrong TOTP code'] = `${wrongSent.length} (${wrongSent.join(', ')})`;

      const replaySent = await sentDuring(async () =>
        expect(await kit.verify(user, used)).toEqual({ ok: false, error: 'invalid_code' }),
      );
      expect(replaySent).toEqual([`limiter: evalsha ratelimit:totp:${user.id}`]);
      table['replay of a used code'] = `${replaySent.length} (${replaySent.join(', ')})`;
    });

    it('a right code on an account with a record: the EXISTS finds it, and the script settles', async () => {
      clockMs += PERIOD_MS;
      let result: unknown;
      const sent = await sentDuring(async () => {
        result = await kit.verify(user, code());
      });
      expect(result).toMatchObject({ ok: true, method: 'totp' });
      expect(sent).toEqual([`limiter: exists ratelimit:totp:${user.id}`, `limiter: evalsha ratelimit:totp:${user.id}`]);
      table['successful TOTP login after wrong codes'] = `${sent.length} (${sent.join(', ')})`;
    });

    it('two logins racing with one fresh code: one wins; the loser settles right, loses the CAS, and is counted wrong', async () => {
      clockMs += PERIOD_MS;
      const fresh = code();
      let results: unknown[] = [];
      const sent = await sentDuring(async () => {
        results = await Promise.all([kit.verify(user, fresh), kit.verify(user, fresh)]);
      });
      expect(results.filter((r) => (r as { ok: boolean }).ok)).toHaveLength(1);
      // Each read the authenticator before either advanced the step: settle, settle, and the
      // loser's second settle as a wrong code. A loser that read after the win is one settle.
      // The wrong codes before left a budget entry, so a right code's settle is EXISTS + EVALSHA.
      const script = sent.filter((c) => c === `limiter: evalsha ratelimit:totp:${user.id}`);
      const exists = sent.filter((c) => c === `limiter: exists ratelimit:totp:${user.id}`);
      expect(script.length + exists.length).toBe(sent.length);
      expect(script.length).toBeGreaterThanOrEqual(2);
      expect(script.length).toBeLessThanOrEqual(3);
      expect(exists.length).toBeGreaterThanOrEqual(1);
      expect(exists.length).toBeLessThanOrEqual(2);
      table['two racing logins with one code'] = `${sent.length} in all`;
    });

    it('a recovery code login: the attempt counted first, then taken back', async () => {
      let result: unknown;
      const sent = await sentDuring(async () => {
        result = await kit.verify(user, recoveryCodes[0]);
      });
      expect(result).toMatchObject({ ok: true, method: 'recovery_code' });
      expect(sent).toEqual([
        `limiter: evalsha ratelimit:recovery:${user.id}`,
        `limiter: evalsha ratelimit:recovery:${user.id}`,
      ]);
      table['recovery code login'] = `${sent.length} (${sent.join(', ')})`;
    });
  });
});
