/**
 * Mixed login traffic for the fault tests, spread over every running instance: fresh valid codes
 * (users who have not logged in yet), wrong codes against a few "attacked" accounts, replays of
 * codes that were already accepted, and unused recovery codes. Each exchange is recorded with its
 * kind and timing, so a test can judge every answer by what it carried and when it was sent.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateTotpSecret } from '../../src/index.js';
import type { Cluster } from '../support/cluster.js';
import { boundedLoop, type HttpClient, type Reply } from '../support/http-load.js';
import { codeAt, wrongCode } from './scale-helpers.js';

export interface SeededUser {
  id: string;
  secret: string;
  recoveryCodes: string[];
}

/** Users with an active authenticator, imported straight into the shared store (fast; no HTTP). */
export async function seedUsers(cluster: Cluster, label: string, count: number): Promise<SeededUser[]> {
  const users: SeededUser[] = [];
  await boundedLoop({
    total: count,
    concurrency: 24,
    maxMs: 120_000,
    task: async (i) => {
      const id = `${label}-${i}`;
      const secret = generateTotpSecret();
      const { recoveryCodes } = await cluster.service.importAuthenticator({ id }, { secret });
      users.push({ id, secret, recoveryCodes });
    },
  });
  if (users.length !== count) throw new Error(`seeded ${users.length} of ${count} users`);
  return users;
}

export type Kind = 'fresh' | 'wrong' | 'replay' | 'recovery';

export interface Exchange extends Reply {
  kind: Kind;
  userId: string;
  instance: number;
}

export interface Traffic {
  /** Ends the loop and resolves every exchange, in the order they were sent. */
  stop(): Promise<Exchange[]>;
  /** Exchanges so far. */
  readonly exchanges: readonly Exchange[];
}

/**
 * Starts traffic at `concurrency` requests in flight, each worker pausing `pauseMs` (default 10)
 * between requests. `fresh` users each get one attempt with the current step's code; `attacked`
 * users receive the wrong codes; the loop stops by itself when the fresh users run out, after
 * `maxRequests`, or after `maxMs`.
 */
export function startTraffic(
  cluster: Cluster,
  client: HttpClient,
  users: { fresh: SeededUser[]; attacked: SeededUser[]; recovery: SeededUser[] },
  limits: { concurrency: number; maxRequests: number; maxMs: number; pauseMs?: number },
): Traffic {
  const exchanges: Exchange[] = [];
  const accepted: { userId: string; code: string }[] = [];
  let fresh = 0;
  let recovery = 0;
  let stopped = false;

  /** Out of every 8 requests: 2 fresh, 2 replays, 1 recovery code, 3 wrong (and wrong whenever the others cannot be). */
  function pick(i: number): { kind: Kind; userId: string; code: string } | null {
    const slot = i % 8;
    if (slot < 2) {
      const user = users.fresh[fresh++];
      // Out of fresh users: the loop ends, since only they show that logins work.
      return user ? { kind: 'fresh', userId: user.id, code: codeAt(cluster, user.secret) } : null;
    }
    if (slot < 4 && accepted.length > 0) {
      const { userId, code } = accepted[(i * 7919) % accepted.length] as { userId: string; code: string };
      return { kind: 'replay', userId, code };
    }
    const recoveryUser = slot === 4 ? users.recovery[recovery++] : undefined;
    if (recoveryUser) {
      return { kind: 'recovery', userId: recoveryUser.id, code: recoveryUser.recoveryCodes[0] as string };
    }
    const user = users.attacked[i % users.attacked.length] as SeededUser;
    return { kind: 'wrong', userId: user.id, code: wrongCode(cluster, user.secret, i) };
  }

  const loop = boundedLoop({
    total: limits.maxRequests,
    concurrency: limits.concurrency,
    maxMs: limits.maxMs,
    stop: () => stopped,
    task: async (i) => {
      const running = cluster.instances
        .map((instance, index) => ({ instance, index }))
        .filter((x) => x.instance.running);
      const next = pick(i);
      if (!next || running.length === 0) {
        stopped = true;
        return;
      }
      const target = running[i % running.length] as (typeof running)[number];
      const reply = await client.post(target.instance.baseUrl, '/verify', next.userId, { code: next.code });
      exchanges.push({ ...reply, kind: next.kind, userId: next.userId, instance: target.index });
      if (reply.status === 200 && next.kind === 'fresh') accepted.push({ userId: next.userId, code: next.code });
      // Paced: refusals during an outage are instant, and would otherwise use up the fresh users.
      await sleep(limits.pauseMs ?? 10);
    },
  });

  return {
    exchanges,
    async stop() {
      stopped = true;
      await loop;
      return exchanges.sort((a, b) => a.sentAt - b.sentAt);
    },
  };
}

/**
 * Resolves once `count` of the exchanges answered so far satisfy `test`. The fault tests move from
 * phase to phase on counts, not on durations: a loaded machine answers fewer requests per second,
 * and a phase of fixed length could then hold too few of them.
 */
export async function whenCounted(traffic: Traffic, count: number, test: (exchange: Exchange) => boolean) {
  while (traffic.exchanges.filter(test).length < count) await sleep(20);
}

/** Milliseconds since the test process started, for timing phases against `Reply.sentAt`. */
export const now = () => performance.now();
