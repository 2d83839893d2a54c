/**
 * Expired replay claims and idle rate-limit rows are deleted by the requests themselves, at most
 * once per interval per instance, so the tables stay bounded without a timer or a cron job that
 * a host would have to remember to run.
 */

/** How often, at most, one instance deletes what has expired. */
export const SWEEP_INTERVAL_MS = 60_000;

/** Runs a sweep when one is due by the injected clock. */
export class Sweeper {
  readonly #sweep: (now: number) => Promise<unknown>;
  #next = 0;

  constructor(sweep: (now: number) => Promise<unknown>) {
    this.#sweep = sweep;
  }

  /**
   * Sweeps when the last sweep is more than an interval ago. Not async: when no sweep is due,
   * which is nearly every call, it returns undefined and makes no promise.
   */
  maybeSweep(now: number): Promise<unknown> | undefined {
    if (now < this.#next) return undefined;
    // Claimed before the sweep starts, so concurrent requests do not all sweep at once.
    this.#next = now + SWEEP_INTERVAL_MS;
    return this.#sweep(now);
  }
}
