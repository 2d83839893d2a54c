/**
 * The modules of later steps, which an app's bundler can split into chunks of their own, like the
 * QR encoder (see `TotpElement._loadStep`): an element fetches one when it is about to need it.
 * The no-build bundle holds them in its one file (scripts/bundle.mjs).
 */
export const recoveryCodesStep = () => import('./recovery-codes-list.js');

/** Starts fetching a step's module ahead of need; should that fail, `_loadStep` reports it when it is needed. */
export function prefetch(step: () => Promise<unknown>): void {
  step().catch(() => undefined);
}
