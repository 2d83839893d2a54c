/**
 * Checking a code for an enrolled user — shared by login, deactivation and regeneration. A TOTP
 * code is checked first and then settled with the account's rate limit and the step's
 * compare-and-set (one transaction, or one limiter call and one store call); a recovery code
 * takes its attempt from the limit first. Either way the limit decides every answer, one at a
 * time, before the caller hears it.
 */
import { MAX_DIGITS, MIN_DIGITS, normalizeCode, verifyTotp } from '../core/index.js';
import { normalizeRecoveryCode, recoveryCodeHashCandidates } from '../crypto/recovery-codes.js';
import { TotpkitError } from '../errors.js';
import type { AttemptKind, RateLimitAttempt } from '../ratelimit/types.js';
import type { AuthenticatorRecord, RecoveryCodeCounts, SettledTotp } from '../stores/types.js';
import { infrastructure, limitKey, type ServiceContext, unusedRecoveryCodes } from './context.js';
import { createKeyRotation } from './keys.js';
import type { CodeAction, CodeFailure, CodeMethod, TotpUser } from './types.js';

/** The limits a code is held to: TOTP codes and recovery codes each have their own. */
export type CodeKind = Exclude<AttemptKind, 'setup'>;

export type Match = { method: CodeMethod; recoveryCodesLeft: number | null };

/** The answer for input that cannot be a code, given before any crypto or storage work. */
export const MALFORMED: CodeFailure = Object.freeze({ ok: false, error: 'invalid_code' });

/**
 * Whether `input` could be a TOTP code (of any supported length; the exact length depends on the
 * authenticator, read later) or, when `recoveryCodes`, a recovery code. DESIGN.md: anything else
 * is refused before any crypto or storage work. It is not counted against the rate limit either:
 * it cannot match, so it is no guess.
 */
export function couldBeCode(input: unknown, { recoveryCodes }: { recoveryCodes: boolean }): boolean {
  for (let digits = MIN_DIGITS; digits <= MAX_DIGITS; digits++) if (normalizeCode(input, digits) !== null) return true;
  return recoveryCodes && normalizeRecoveryCode(input) !== null;
}

export interface CodeChecker {
  /** The limit, then the code, then the bookkeeping. */
  checkCode(
    user: TotpUser,
    authenticator: AuthenticatorRecord,
    code: unknown,
    action: CodeAction,
  ): Promise<({ ok: true } & Match) | CodeFailure>;
  /** Takes one attempt from the account's limit of `kind`, before the code is looked at. */
  attempt(user: TotpUser, kind: CodeKind): Promise<RateLimitAttempt>;
  /** The answer for an attempt the limit refused. */
  refused(state: RateLimitAttempt): CodeFailure;
  /** Reports a wrong code; `rate_limited` when its attempt locked the account or spent the budget. */
  failed(user: TotpUser, state: RateLimitAttempt, action: CodeAction, at: Date): Promise<CodeFailure>;
  /** Takes a successful attempt back from the limit of `kind`. */
  succeeded(user: TotpUser, kind: CodeKind, state: RateLimitAttempt): Promise<void>;
  /** One attempt whose outcome is already known, decided by the limit in one call. */
  settle(user: TotpUser, kind: CodeKind, ok: boolean): Promise<RateLimitAttempt>;
}

export function createCodeChecker(context: ServiceContext): CodeChecker {
  const { settings, store, limiter, keyring, adapter } = context;
  const { logger, now } = settings;
  const keys = createKeyRotation(context);

  async function decryptSecret(authenticator: AuthenticatorRecord): Promise<string> {
    try {
      return await adapter.decrypt(authenticator.encryptedSecret, { userId: authenticator.userId });
    } catch (error) {
      if (error instanceof TotpkitError) throw error;
      throw new TotpkitError('decryption_failed', 'The stored secret could not be decrypted.', { cause: error });
    }
  }

  /** True when the secret is sealed under a key other than the current one (and the keyring seals it). */
  function needsRotation(authenticator: AuthenticatorRecord): boolean {
    return adapter.usesKeyring && keyring.keyIdOf(authenticator.encryptedSecret) !== keyring.currentKeyId;
  }

  /** Moves a secret sealed under an old key (`needsRotation`) to the current one; a failure here only logs. */
  async function rotateSecret(authenticator: AuthenticatorRecord): Promise<void> {
    const sealed = authenticator.encryptedSecret;
    try {
      const next = await keyring.rotate(sealed, 'totp-secret', authenticator.userId);
      await store.replaceEncryptedSecret(authenticator.userId, sealed, next);
    } catch (error) {
      logger.error(
        'totpkit: could not re-encrypt a secret under the current key; it will be retried on next use.',
        error,
      );
    }
  }

  /**
   * The TOTP path, checked before the limit is consulted: the step the code matches, or null for
   * a wrong code. A code only a used step explains is a reuse: null too, and the holder hears of
   * it (ASVS 4.0.3 §2.8.5) while the caller gets the generic answer.
   */
  async function matchTotpStep(
    user: TotpUser,
    authenticator: AuthenticatorRecord,
    code: string,
    at: Date,
  ): Promise<number | null> {
    const secret = await decryptSecret(authenticator);
    // One scan without the used-step rule, which is then applied to the matched step: the scan
    // reports the latest matching step, so this is exactly `afterStep`'s answer, and it also
    // tells a reuse from a wrong code at the same cost.
    const result = verifyTotp(secret, code, {
      time: at.getTime() / 1000,
      period: authenticator.period,
      digits: authenticator.digits,
      algorithm: authenticator.algorithm,
      tolerance: settings.tolerance,
    });
    if (!result.ok) return null;
    if (authenticator.lastUsedStep !== null && result.step <= authenticator.lastUsedStep) {
      // Not awaited, so that a slow notification cannot tell a replay from a wrong code.
      void adapter.emit('onCodeReused', user, { at });
      return null;
    }
    return result.step;
  }

  /**
   * One attempt whose outcome is known, settled with the limit in one call (`RateLimiter.settle`);
   * a limiter without `settle` counts first and takes a success back, which decides the same.
   */
  async function settle(user: TotpUser, kind: CodeKind, ok: boolean): Promise<RateLimitAttempt> {
    const key = limitKey(user.id, kind);
    if (limiter.settle) return infrastructure('rate limiter', () => limiter.settle!(key, kind, ok));
    const state = await attempt(user, kind);
    if (state.allowed && ok) await succeeded(user, kind, state);
    return state;
  }

  /**
   * Settles a checked TOTP code: the limit's decision, then, when allowed and right, the step's
   * compare-and-set, which is what makes the code single-use across instances (a stale read of
   * `lastUsedStep` loses it). A store whose database holds the limiter does both in one
   * transaction. Otherwise the limit decides first, so an attempt it refuses, or a limiter that
   * is down, writes nothing; a step then lost to a racing use of the same code is counted as the
   * wrong code it is, with a second limiter call that only a replay pays.
   */
  async function settleTotp(
    user: TotpUser,
    authenticator: AuthenticatorRecord,
    step: number | null,
    at: Date,
  ): Promise<Omit<SettledTotp, 'recoveryCodes'> & { recoveryCodes: RecoveryCodeCounts | null | undefined }> {
    const userId = user.id;
    const settlement = { userId, limitKey: limitKey(userId, 'totp'), step, at };
    const inStore = store.settleTotp
      ? await infrastructure('store', () => store.settleTotp!(limiter, settlement))
      : null;
    if (inStore) return inStore;
    // As read with the authenticator, when the store reads them there (undefined otherwise).
    const recoveryCodes = authenticator.recoveryCodes;
    const limit = await settle(user, 'totp', step !== null);
    if (!limit.allowed || step === null) return { limit, advanced: false, recoveryCodes };
    if (await infrastructure('store', () => store.advanceLastUsedStep(userId, step, at))) {
      return { limit, advanced: true, recoveryCodes };
    }
    return { limit: await settle(user, 'totp', false), advanced: false, recoveryCodes };
  }

  /** A TOTP code end to end: checked, then settled; `recoveryCodesLeft` as of the settlement. */
  async function checkTotp(
    user: TotpUser,
    authenticator: AuthenticatorRecord,
    code: string | null,
    action: CodeAction,
  ): Promise<({ ok: true } & Match) | CodeFailure> {
    const at = new Date(now());
    // allauth's bypass code skips the replay check too; it exists only outside production.
    const bypassed = code !== null && settings.bypassCode !== null && code === settings.bypassCode;
    const step = code === null || bypassed ? null : await matchTotpStep(user, authenticator, code, at);
    if (bypassed) {
      const limit = await settle(user, 'totp', true);
      if (!limit.allowed) return refused(limit);
    } else {
      const settled = await settleTotp(user, authenticator, step, at);
      if (!settled.limit.allowed) return refused(settled.limit);
      if (!settled.advanced) return failed(user, settled.limit, action, at);
      // Checked here, so that a login under the current key costs no call.
      if (needsRotation(authenticator)) await rotateSecret(authenticator);
      if (settled.recoveryCodes !== undefined) {
        return { ok: true, method: 'totp', recoveryCodesLeft: settled.recoveryCodes?.unused ?? null };
      }
    }
    return { ok: true, method: 'totp', recoveryCodesLeft: await unusedRecoveryCodes(context, user.id) };
  }

  /** The recovery-code path: one atomic consume of the code's hash (under each key of the keyring). */
  async function matchRecoveryCode(user: TotpUser, code: string, at: Date): Promise<number | null> {
    for (const hash of await recoveryCodeHashCandidates(keyring, user.id, code)) {
      if (await infrastructure('store', () => store.consumeRecoveryCode(user.id, hash, at))) {
        const remaining = (await unusedRecoveryCodes(context, user.id)) ?? 0;
        await adapter.emit('onRecoveryCodeUsed', user, { at, remaining });
        if (remaining <= settings.recoveryCodesLowThreshold) {
          await adapter.emit('onRecoveryCodesLow', user, { at, remaining });
        }
        return remaining;
      }
    }
    // No match: a wrong code, or a set keyed under a key that was removed, which must not pass
    // for a wrong code (the user would be locked out of their codes without anyone knowing).
    await keys.assertRecoveryCodesCheckable(user.id);
    return null;
  }

  /**
   * Takes one attempt from the account's limit of `kind` before any code is looked at; it counts
   * as a failure until `succeeded` takes it back (ratelimit/policy.ts, `recordAttempt`).
   */
  async function attempt(user: TotpUser, kind: CodeKind): Promise<RateLimitAttempt> {
    return infrastructure('rate limiter', () => limiter.attempt(limitKey(user.id, kind), kind));
  }

  /** The answer for an attempt the limit refused. */
  function refused(state: RateLimitAttempt): CodeFailure {
    return { ok: false, error: 'rate_limited', retryAfterSeconds: state.retryAfterSeconds };
  }

  /**
   * Reports a wrong code (already counted). When its attempt locked the account or spent the guess
   * budget, the host hears which, and the answer is `rate_limited`.
   */
  async function failed(user: TotpUser, state: RateLimitAttempt, action: CodeAction, at: Date): Promise<CodeFailure> {
    await adapter.emit('onFailedAttempt', user, { at, failures: state.failures, action });
    if (state.retryAfterSeconds === 0) return { ok: false, error: 'invalid_code' };
    if (state.budgetLeft === 0) {
      await adapter.emit('onGuessBudgetExhausted', user, { at, retryAfterSeconds: state.retryAfterSeconds });
    }
    if (state.locked) {
      await adapter.emit('onLocked', user, {
        at,
        retryAfterSeconds: state.retryAfterSeconds,
        permanent: state.permanent,
      });
    }
    return refused(state);
  }

  /** Takes the successful attempt back: the consecutive failures go, earlier wrong guesses stay counted. */
  async function succeeded(user: TotpUser, kind: CodeKind, state: RateLimitAttempt): Promise<void> {
    await infrastructure('rate limiter', () => limiter.succeed(limitKey(user.id, kind), state.at));
  }

  /**
   * Shared by verify, deactivate and regenerate. A TOTP code is checked, then settled with the
   * limit in one step; a recovery code takes its attempt from the limit first, because whether
   * it matches is only known when the store consumes it.
   */
  async function checkCode(
    user: TotpUser,
    authenticator: AuthenticatorRecord,
    code: unknown,
    action: CodeAction,
  ): Promise<({ ok: true } & Match) | CodeFailure> {
    const recovery = normalizeRecoveryCode(code);
    if (recovery === null) return checkTotp(user, authenticator, normalizeCode(code, authenticator.digits), action);
    // A recovery code (50 bits) has a limit of its own, so an attacker who spends the TOTP budget
    // does not lock the real user out.
    const state = await attempt(user, 'recovery');
    if (!state.allowed) return refused(state);
    const at = new Date(now());
    const remaining = await matchRecoveryCode(user, recovery, at);
    if (remaining === null) return failed(user, state, action, at);
    await succeeded(user, 'recovery', state);
    return { ok: true, method: 'recovery_code', recoveryCodesLeft: remaining };
  }

  return { checkCode, attempt, refused, failed, succeeded, settle };
}
