/**
 * What every part of the service shares: the resolved settings, the storage parts, the adapter,
 * and the small rules that apply everywhere (fail closed, one rate-limit key per account).
 */
import type { Keyring } from '../crypto/keyring.js';
import { TotpkitError } from '../errors.js';
import type { RateLimiter } from '../ratelimit/types.js';
import type { ReplayCache } from '../replay/types.js';
import type { AuthenticatorRecord, TotpStore } from '../stores/types.js';
import type { ResolvedAdapter } from './adapter.js';
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

/** Wraps a call to the store, replay cache or limiter so that any failure refuses the request. */
export async function infrastructure<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TotpkitError) throw error;
    throw new TotpkitError('store_unavailable', `The ${what} failed, so the request was refused.`, { cause: error });
  }
}

export function assertUser(user: TotpUser): void {
  if (!user || typeof user.id !== 'string' || user.id.length === 0 || user.id.length > 255) {
    throw new TotpkitError('invalid_user', 'user.id must be a non-empty string of at most 255 characters.');
  }
}

/** One rate-limit key per account, shared by every path that accepts a code (RFC 4226 §7.3). */
export const limitKey = (userId: string) => `totp:${userId}`;

/**
 * How long a used step stays claimed in the replay cache: a code is valid for 2·tolerance + 1
 * steps, and the step in progress adds up to one more (checklist item 9; Infisical #6112 used a
 * TTL shorter than the validity window).
 */
export function replayTtlMs(periodSeconds: number, tolerance: number): number {
  return (2 * tolerance + 2) * periodSeconds * 1000;
}

export function getAuthenticator({ store }: ServiceContext, userId: string): Promise<AuthenticatorRecord | null> {
  return infrastructure('store', () => store.getAuthenticator(userId));
}

export async function unusedRecoveryCodes({ store }: ServiceContext, userId: string): Promise<number | null> {
  return (await infrastructure('store', () => store.getRecoveryCodeCounts(userId)))?.unused ?? null;
}
