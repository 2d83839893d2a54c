/**
 * The totpkit service that every server example shares: created once at start-up, then handed to
 * the HTTP handler. SQLite keeps the authenticators, the replay claims and the lockouts in one
 * file, which suits an app on one machine; with several instances use PostgresStore and Redis
 * instead (docs/server.md).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createTotpkit,
  generateEncryptionKey,
  type KeyringOptions,
  type Totpkit,
  type TotpUser,
} from '@totpkit/server';
import { SqliteStore } from '@totpkit/server/sqlite';

/** The user your session lookup returns: totpkit needs the `id`; `authenticatedAt` is your session's. */
export interface SessionUser extends TotpUser {
  /** When the user last typed their password, in milliseconds since the epoch. */
  authenticatedAt: number;
}

/** Turning two-factor on or off, and new recovery codes, need a password typed this recently. */
const RECENT_LOGIN_MS = 10 * 60_000;

export interface TotpkitSetup {
  /** The SQLite file. Default: `TOTPKIT_DB`, else `totpkit.sqlite` in the working directory. */
  filename?: string;
  /** The clock in milliseconds. Leave it out; the tests pass a fake one. */
  now?: () => number;
}

export function createAppTotpkit({
  filename = process.env.TOTPKIT_DB ?? 'totpkit.sqlite',
  now,
}: TotpkitSetup = {}): Totpkit {
  const store = new SqliteStore({ filename, now });
  return createTotpkit({
    issuer: 'ACME Co',
    store,
    replayCache: store.replayCache(),
    rateLimiter: store.rateLimiter(),
    keyring: loadKeyring(filename),
    now,
    adapter: {
      // The hook gets the very object your getUser returned, with your session's fields on it.
      // A user without `authenticatedAt` counts as stale: fail closed.
      requireRecentAuth: (user) => {
        const { authenticatedAt } = user as Partial<SessionUser>;
        return !(typeof authenticatedAt === 'number' && Date.now() - authenticatedAt < RECENT_LOGIN_MS);
      },
    },
  });
}

/**
 * The keys that encrypt TOTP secrets at rest. In production they come from `TOTPKIT_KEYRING`, set
 * from your secret manager: `{"current":"k1","keys":{"k1":"<generateEncryptionKey()>"}}`; add a key
 * and make it `current` to rotate. For local development only, without the variable, a key is made
 * once and kept beside the database (`totpkit.sqlite.key`), so codes still work after a restart.
 */
function loadKeyring(filename: string): KeyringOptions {
  const configured = process.env.TOTPKIT_KEYRING;
  if (configured) return JSON.parse(configured) as KeyringOptions;
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Set TOTPKIT_KEYRING: without it, secrets would be sealed under a key only this machine has.');
  }
  const file = `${filename}.key`;
  if (!existsSync(file)) {
    const keyring: KeyringOptions = { current: 'k1', keys: { k1: generateEncryptionKey() } };
    writeFileSync(file, JSON.stringify(keyring), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as KeyringOptions;
}
