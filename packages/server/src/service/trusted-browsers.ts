/**
 * Trusted browsers ("don't ask again on this browser for N days"): minted only by a successful
 * verify, checked by the host's login code with `isBrowserTrusted`, listed and revoked by the
 * user. The browser holds a random token; the store holds its keyed hash (crypto/trust-token.ts)
 * bound to the user. Trust ends when it expires, when the user or the host revokes it, when TOTP
 * is turned off or the recovery codes are regenerated (the store deletes it in the same
 * transaction), and when the keyring's current key changes (lookups hash under it only).
 *
 * Trust only ever skips the login challenge: it never answers `requireRecentAuth`.
 */
import {
  hashTrustToken,
  isTrustToken,
  isUnderCurrentKey,
  newTrustedBrowserId,
  newTrustToken,
} from '../crypto/trust-token.js';
import {
  hasTrustedBrowsers,
  type TotpStore,
  type TrustedBrowserRecord,
  type TrustedBrowserStore,
} from '../stores/types.js';
import { infrastructure, type ServiceContext } from './context.js';
import { MAX_TRUST_DAYS } from './options.js';
import type { BrowserTrust, TotpUser, TrustedBrowser, VerifyOptions } from './types.js';
import { browserLabel } from './user-agent.js';

const DAY_MS = 86_400_000;
/**
 * The most trusted browsers a user keeps; trusting one more forgets the oldest. Each needs a
 * right code, so this only bounds the rows that someone holding the codes can pile up.
 */
export const MAX_TRUSTED_BROWSERS = 30;

export interface TrustedBrowsers {
  /**
   * Throws a `TypeError` for a request that is not `{ days: integer 1–365 }`: a host's bug,
   * found before the code is checked (and spent).
   */
  checkRequest(request: VerifyOptions['trustBrowser']): void;
  /** Records the trust after a successful verify; null when the feature is off or TOTP went meanwhile. */
  trust(user: TotpUser, request: NonNullable<VerifyOptions['trustBrowser']>): Promise<BrowserTrust | null>;
  isTrusted(user: TotpUser, token: unknown): Promise<boolean>;
  list(user: TotpUser, token: unknown): Promise<TrustedBrowser[]>;
  revoke(user: TotpUser, id: unknown): Promise<boolean>;
  revokeAll(user: TotpUser): Promise<number>;
}

export function createTrustedBrowsers(context: ServiceContext): TrustedBrowsers {
  const { settings, keyring, adapter } = context;
  const { now } = settings;
  const maxDays = settings.trustedBrowsers?.maxDays ?? 0;
  // resolveOptions refuses the option without the methods; without the option they are not used.
  const store: (TotpStore & TrustedBrowserStore) | null =
    settings.trustedBrowsers && hasTrustedBrowsers(context.store) ? context.store : null;

  /** The record the token names for this user, when it is still good; null otherwise. */
  async function find(user: TotpUser, token: unknown): Promise<TrustedBrowserRecord | null> {
    if (!store || !isTrustToken(token)) return null;
    const tokenHash = await hashTrustToken(keyring, user.id, token);
    const record = await infrastructure('store', () => store.getTrustedBrowser(tokenHash));
    // The hash binds the user already; the id check keeps a store's mix-up from granting trust.
    if (!record || record.userId !== user.id || record.tokenHash !== tokenHash) return null;
    return record.expiresAt.getTime() > now() ? record : null;
  }

  return {
    checkRequest(request) {
      if (request === undefined) return;
      const days = (request as { days?: unknown } | null)?.days;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_TRUST_DAYS) {
        throw new TypeError(`trustBrowser.days must be a whole number of days from 1 to ${MAX_TRUST_DAYS}.`);
      }
    },

    async trust(user, request) {
      if (!store) return null;
      const at = new Date(now());
      const token = newTrustToken();
      const record: TrustedBrowserRecord = {
        id: newTrustedBrowserId(),
        userId: user.id,
        tokenHash: await hashTrustToken(keyring, user.id, token),
        label: browserLabel(request.userAgent),
        createdAt: at,
        lastUsedAt: null,
        expiresAt: new Date(at.getTime() + Math.min(request.days, maxDays) * DAY_MS),
      };
      // False when TOTP was turned off between the code check and now: no trust outlives it.
      if (!(await infrastructure('store', () => store.addTrustedBrowser(record)))) return null;
      const kept = await infrastructure('store', () => store.listTrustedBrowsers(user.id, at));
      for (const old of kept.slice(MAX_TRUSTED_BROWSERS)) {
        await infrastructure('store', () => store.deleteTrustedBrowsers(user.id, old.id));
      }
      await adapter.emit('onBrowserTrusted', user, {
        at,
        id: record.id,
        label: record.label,
        expiresAt: record.expiresAt,
      });
      return { token, id: record.id, expiresAt: record.expiresAt };
    },

    async isTrusted(user, token) {
      const record = await find(user, token);
      if (!record) return false;
      await infrastructure('store', () => store!.touchTrustedBrowser(record.id, new Date(now())));
      return true;
    },

    async list(user, token) {
      if (!store) return [];
      const current = await find(user, token);
      const records = await infrastructure('store', () => store.listTrustedBrowsers(user.id, new Date(now())));
      return (
        records
          // Trust made under an earlier key no longer matches: it is not shown as trusted.
          .filter((record) => record.userId === user.id && isUnderCurrentKey(keyring, record.tokenHash))
          .map((record) => ({
            id: record.id,
            label: record.label,
            createdAt: record.createdAt,
            lastUsedAt: record.lastUsedAt,
            expiresAt: record.expiresAt,
            current: record.id === current?.id,
          }))
      );
    },

    async revoke(user, id) {
      if (!store || typeof id !== 'string' || id.length === 0 || id.length > 64) return false;
      return (await infrastructure('store', () => store.deleteTrustedBrowsers(user.id, id))) > 0;
    },

    async revokeAll(user) {
      if (!store) return 0;
      return infrastructure('store', () => store.deleteTrustedBrowsers(user.id));
    },
  };
}
