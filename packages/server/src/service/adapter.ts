/**
 * The adapter with allauth's defaults filled in, so the service can call every hook without
 * checking for it. The label and issuer always come out buildable (display.ts). Event hooks are
 * awaited, but an error in one is logged and swallowed: a failing notification must not undo a
 * login or an activation.
 */
import { buildTotpUrl, type TotpAlgorithm } from '../core/index.js';
import type { Keyring } from '../crypto/keyring.js';
import { displayAccountName, displayIssuer } from './display.js';
import type { TotpAdapter, TotpEvents, TotpLogger, TotpUser } from './types.js';

export interface ResolvedAdapter {
  getTotpLabel(user: TotpUser): string;
  getTotpIssuer(): string;
  buildTotpUrl(user: TotpUser, secret: string): string;
  encrypt(text: string, context: { userId: string }): Promise<string>;
  decrypt(text: string, context: { userId: string }): Promise<string>;
  /** True when `encrypt` is the keyring's, so stored secrets can be rotated to the current key. */
  usesKeyring: boolean;
  canDeactivate(user: TotpUser): Promise<boolean>;
  requireRecentAuth(
    user: TotpUser,
    action: Parameters<NonNullable<TotpAdapter['requireRecentAuth']>>[1],
  ): Promise<boolean>;
  emit<E extends keyof TotpEvents>(name: E, user: TotpUser, event: Parameters<TotpEvents[E]>[1]): Promise<void>;
  /** True when the host has a hook for `name`: a hot path builds the event only then. */
  listens(name: keyof TotpEvents): boolean;
}

/**
 * The promise of `call`, which rejects when `call` throws before returning one, as an async wrapper
 * would, without that wrapper's extra frame: for host hooks and the storage calls of every login.
 */
export function hostCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

export function resolveAdapter(
  adapter: TotpAdapter,
  {
    issuer,
    keyring,
    logger,
    urlOptions,
  }: {
    issuer: string;
    keyring: Keyring;
    logger: TotpLogger;
    urlOptions: { digits: number; period: number; algorithm: TotpAlgorithm };
  },
): ResolvedAdapter {
  const resolved: ResolvedAdapter = {
    getTotpLabel: (user) =>
      displayAccountName(
        String(adapter.getTotpLabel?.(user) ?? user.email ?? user.username ?? user.id),
        resolved.getTotpIssuer(),
        user.id,
      ),
    getTotpIssuer: () => displayIssuer(String(adapter.getTotpIssuer?.() ?? issuer)),
    buildTotpUrl: (user, secret) =>
      adapter.buildTotpUrl?.(user, secret) ??
      buildTotpUrl({
        secret,
        accountName: resolved.getTotpLabel(user),
        issuer: resolved.getTotpIssuer(),
        ...urlOptions,
      }),
    // Not async: every login decrypts, and the keyring's promise needs no second one around it.
    encrypt: (text, context) =>
      adapter.encrypt
        ? hostCall(() => adapter.encrypt!(text, context))
        : keyring.seal(text, 'totp-secret', context.userId),
    decrypt: (text, context) =>
      adapter.decrypt
        ? hostCall(() => adapter.decrypt!(text, context))
        : keyring.open(text, 'totp-secret', context.userId),
    usesKeyring: !adapter.encrypt && !adapter.decrypt,
    canDeactivate: async (user) => (adapter.canDeactivate ? adapter.canDeactivate(user) : true),
    requireRecentAuth: async (user, action) =>
      adapter.requireRecentAuth ? adapter.requireRecentAuth(user, action) : false,
    listens: (name) => typeof adapter[name] === 'function',
    async emit(name, user, event) {
      const hook = adapter[name] as ((user: TotpUser, event: unknown) => unknown) | undefined;
      if (!hook) return;
      try {
        await hook.call(adapter, user, event);
      } catch (error) {
        // Event payloads carry no secret or code, so the hook's own error is safe to pass on.
        logger.error(`totpkit: the ${name} hook threw; the operation itself succeeded.`, error);
      }
    },
  };
  return resolved;
}
