/**
 * What every part of the service shares: the resolved settings, the storage parts, the adapter,
 * and the small rules that apply everywhere (fail closed, one rate-limit key per account).
 */
import type { Keyring } from '../crypto/keyring.js';
import { TotpkitError } from '../errors.js';
import type { AttemptKind, RateLimiter } from '../ratelimit/types.js';
import type { ReplayCache } from '../replay/types.js';
import type { AuthenticatorRecord, TotpStore } from '../stores/types.js';
import { hostCall, type ResolvedAdapter } from './adapter.js';
import type { ResolvedOptions } from './options.js';
import type { TotpUser } from './types.js';

export interface ServiceContext {
  settings: ResolvedOptions;
  store: TotpStore;
  replayCache: ReplayCache;
  limiter: RateLimiter;
  keyring: Keyring;
  adapter: ResolvedAdapter;
}

/**
 * Wraps a call to the store, replay cache or limiter so that any failure refuses the request:
 * a rejection, or a throw before the call returned its promise. One `then`, not an async frame,
 * since every login makes two of these calls.
 */
export function infrastructure<T>(what: string, call: () => Promise<T>): Promise<T> {
  return hostCall(call).catch((error: unknown): never => {
    if (error instanceof TotpkitError) throw error;
    throw new TotpkitError('store_unavailable', `The ${what} failed, so the request was refused.`, { cause: error });
  });
}

/**
 * Refuses a user whose second factor is pending: only the password is proven, so no change and no
 * look at the account's 2FA state (the HTTP handler answers such a session 401 first).
 */
export function refusePending(user: TotpUser, what: string): void {
  if (user.pending === true) {
    throw new TotpkitError('invalid_user', `A user whose second factor is pending may not ${what}.`);
  }
}

export function assertUser(user: TotpUser): void {
  if (!user || typeof user.id !== 'string' || user.id.length === 0 || user.id.length > 255) {
    throw new TotpkitError('invalid_user', 'user.id must be a non-empty string of at most 255 characters.');
  }
}

/**
 * The rate-limit key of an account for one kind of attempt, shared by every path that makes that
 * kind (RFC 4226 §7.3): `totp:<id>`, `recovery:<id>`, `setup:<id>`.
 */
export const limitKey = (userId: string, kind: AttemptKind = 'totp') => `${kind}:${userId}`;

/**
 * When a replay claim of a used TOTP step may end, for a host that claims steps in a replay cache
 * of its own (the service itself needs none: the store's `lastUsedStep` holds a used step on every
 * clock, and the replay-cache contract tests claims of this shape): once no instance can accept
 * the step any more. A step is accepted while the clock is before (step + tolerance + 1) · period; instances
 * whose clocks run up to `clockSkewMs` behind still accept it that much longer (checklist item 9;
 * Infisical #6112 used a TTL shorter than the validity window). Absolute, so the instance that
 * claims and the one that checks need not share a clock.
 */
export function stepClaimExpiresAt(
  step: number,
  periodSeconds: number,
  tolerance: number,
  clockSkewMs: number,
): number {
  return (step + tolerance + 1) * periodSeconds * 1000 + clockSkewMs;
}

/**
 * When the replay claim of an enrollment token may end: its absolute expiry plus the skew margin,
 * so an instance whose clock runs behind cannot accept it again after another instance used it.
 */
export function enrollmentClaimExpiresAt(tokenExpiresAt: number, clockSkewMs: number): number {
  return tokenExpiresAt + clockSkewMs;
}

export function getAuthenticator({ store }: ServiceContext, userId: string): Promise<AuthenticatorRecord | null> {
  return infrastructure('store', () => store.getAuthenticator(userId));
}

export async function unusedRecoveryCodes({ store }: ServiceContext, userId: string): Promise<number | null> {
  return (await infrastructure('store', () => store.getRecoveryCodeCounts(userId)))?.unused ?? null;
}
