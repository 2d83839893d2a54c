/**
 * The modules of later steps, which the no-build bundle splits into chunks of their own, like the
 * QR encoder (see `TotpElement._loadStep`): an element fetches one when it is about to need it.
 */
export const setupStep = () => import('../totp-activate/setup-step.js');
export const recoveryCodesStep = () => import('./recovery-codes-list.js');

/** Starts fetching a step's module ahead of need; should that fail, `_loadStep` reports it when it is needed. */
export function prefetch(step: () => Promise<unknown>): void {
  step().catch(() => undefined);
}
