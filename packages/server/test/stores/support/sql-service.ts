/**
 * The service as a single-machine app wires it over a SQL store (the store's own replay cache and
 * rate limiter), and enrolment through it, for the store tests that look at what the service
 * leaves in the database: at rest, statements per login, fsyncs per login.
 */
import { createTotpkit, generateEncryptionKey, type Totpkit, type TotpUser, totpCode } from '../../../src/index.js';
import type { PostgresStore } from '../../../src/postgres.js';
import type { SqliteStore } from '../../../src/sqlite.js';

/** `createTotpkit` over `store`, with a fresh key, a silent logger and, when given, an injected clock. */
export function sqlStoreService(store: SqliteStore | PostgresStore, now?: () => number): Totpkit {
  return createTotpkit({
    issuer: 'ACME Co',
    store,
    replayCache: store.replayCache(),
    rateLimiter: store.rateLimiter(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    ...(now ? { now } : {}),
    logger: { warn: () => {}, error: () => {} },
  });
}

/** Sets up and activates TOTP for `user` with the code of `timeMs`; throws when activation fails. */
export async function enrolThrough(
  totpkit: Totpkit,
  user: TotpUser,
  timeMs = Date.now(),
): Promise<{ secret: string; recoveryCodes: string[]; setup: Awaited<ReturnType<Totpkit['beginSetup']>> }> {
  const setup = await totpkit.beginSetup(user);
  const code = totpCode(setup.secret, { time: timeMs / 1000 });
  const activated = await totpkit.activate(user, { enrollmentToken: setup.enrollmentToken, code });
  if (!activated.ok) throw new Error(`activation failed: ${activated.error}`);
  return { secret: setup.secret, recoveryCodes: activated.recoveryCodes, setup };
}
