/**
 * What several scale-out test files share: enrolling over HTTP, wrong codes that are certainly
 * wrong, and reading a user's rows straight from PostgreSQL.
 */
import { expect } from 'vitest';
import { totpCode } from '../../src/index.js';
import type { AppInstance, Cluster } from '../support/cluster.js';
import type { HttpClient } from '../support/http-load.js';

/** A user id no other test uses. */
let counter = 0;
export const newUserId = (label: string) => `${label}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** The code for the cluster's current step, `offsetSteps` steps away. */
export function codeAt(cluster: Cluster, secret: string, offsetSteps = 0): string {
  return totpCode(secret, { time: cluster.nowMs / 1000 + offsetSteps * 30 });
}

/**
 * A six-digit code that matches none of the steps a ±1 window accepts around now (nor the next
 * step's): "000000" is right about once in 300,000 tries, which a 100,000-request flood would hit.
 */
export function wrongCode(cluster: Cluster, secret: string, salt = 0): string {
  const valid = new Set([-1, 0, 1, 2].map((offset) => codeAt(cluster, secret, offset)));
  for (let n = 137_911 * (salt + 1); ; n += 7919) {
    const candidate = String(n % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

export interface EnrolledOverHttp {
  secret: string;
  recoveryCodes: string[];
}

/**
 * Setup on `setupOn`, activation on `activateOn` (two different instances, as a load balancer
 * would route them), then the clock moves one step so the next code is fresh.
 */
export async function enrollOverHttp(
  cluster: Cluster,
  client: HttpClient,
  userId: string,
  setupOn: AppInstance,
  activateOn: AppInstance,
): Promise<EnrolledOverHttp> {
  const setup = await client.post(setupOn.baseUrl, '/totp/setup', userId, {});
  expect(setup.status).toBe(200);
  const secret = setup.body.secret as string;
  const activated = await client.post(activateOn.baseUrl, '/totp/activate', userId, {
    enrollmentToken: setup.body.enrollmentToken,
    code: codeAt(cluster, secret),
  });
  expect(activated.status).toBe(200);
  await cluster.advance(30);
  return { secret, recoveryCodes: activated.body.recoveryCodes as string[] };
}

/** What PostgreSQL holds for each user: authenticators and recovery codes (total, unused). */
export async function rowsOf(
  cluster: Cluster,
  userIds: string[],
): Promise<Map<string, { authenticators: number; codes: number; unused: number }>> {
  const counts = new Map(userIds.map((id) => [id, { authenticators: 0, codes: 0, unused: 0 }]));
  const authenticators = await cluster.sql<{ user_id: string }>(
    `SELECT user_id FROM ${cluster.schema}.totpkit_authenticators WHERE user_id = ANY($1)`,
    [userIds],
  );
  for (const row of authenticators) (counts.get(row.user_id) as { authenticators: number }).authenticators++;
  const codes = await cluster.sql<{ user_id: string; total: string; unused: string }>(
    // The set lives in the authenticator row (src/stores/sql/recovery-set.ts): one MAC prefix per unused code.
    `SELECT user_id, recovery_total AS total, length(recovery_macs) / 11 AS unused
       FROM ${cluster.schema}.totpkit_authenticators WHERE user_id = ANY($1) AND recovery_total > 0`,
    [userIds],
  );
  for (const row of codes) {
    const entry = counts.get(row.user_id) as { codes: number; unused: number };
    entry.codes = Number(row.total);
    entry.unused = Number(row.unused);
  }
  return counts;
}
