/**
 * Checks and their results. A check is a named function that throws `CheckFailure` with what it
 * expected and what it received; the runner records one result per check, so the CLI prints one
 * line per check. Messages name the request and the status, never a code or a secret.
 */

/** The outcome of one check. */
export interface CheckResult {
  /** The step of the run, 1 to 12 as in docs/protocol.md, 13 for the checks over every response. */
  step: number;
  /** The step's name: `setup`, `replay`, `bad input`… */
  stepName: string;
  /** What was checked, as a sentence: `a replayed code is refused with 400 invalid_code`. */
  name: string;
  /** `pass`, `fail`, or `skip` when the check could not be made; `reason` then says why. */
  outcome: 'pass' | 'fail' | 'skip';
  /** True only for `pass`. */
  ok: boolean;
  /** On skip: why the check was not made (a failed check it depends on, or a missing session). */
  reason?: string;
  /** On failure: what the protocol requires. */
  expected?: string;
  /** On failure: what the backend did. */
  received?: string;
}

/** The features that status may advertise (docs/protocol.md §5.1), each checked only when it does. */
export type FeatureName = 'codeReauthentication' | 'trustedBrowsers';

/**
 * A feature the backend does not advertise. Its checks do not apply, so they are neither run nor
 * skipped: a backend without the feature is as conformant as one with it. Not a failure.
 */
export interface NotOffered {
  step: number;
  stepName: string;
  feature: FeatureName;
  /** What status said, such as `status has no features (an older backend)`. */
  reason: string;
}

/** Thrown by a check that fails. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  constructor(
    readonly expected: string,
    readonly received: string,
  ) {
    super(`expected ${expected}, received ${received}`);
  }
}

/** One line of output: `✓ [4 activate] the current code activates TOTP`; `-` marks a skipped check. */
export function formatResult(result: CheckResult): string {
  const mark = result.outcome === 'skip' ? '-' : result.ok ? '✓' : '✗';
  const line = `${mark} [${result.step} ${result.stepName}] ${result.name}`;
  if (result.outcome === 'skip')
    return `${line}
    skipped: ${result.reason ?? '?'}`;
  if (result.ok) return line;
  return `${line}\n    expected: ${result.expected ?? '?'}\n    received: ${result.received ?? '?'}`;
}

/** One line for a feature the backend does not offer: `· [11 trusted browsers] not offered: …`. */
export function formatNotOffered(note: NotOffered): string {
  return `· [${note.step} ${note.stepName}] not offered: ${note.reason}`;
}

/**
 * The end of a run, for people: the checks that failed by name, the skipped ones by reason, the
 * features not offered, then the counts line `61 passed, 0 failed, 0 skipped`.
 */
export function formatSummary(report: { results: CheckResult[]; notOffered?: NotOffered[] }): string {
  const count = (outcome: CheckResult['outcome']) => report.results.filter((r) => r.outcome === outcome);
  const [passed, failed, skipped] = [count('pass'), count('fail'), count('skip')];
  const lines: string[] = [];
  if (failed.length > 0) lines.push('Failed:', ...failed.map((r) => `  ✗ [${r.step} ${r.stepName}] ${r.name}`));
  if (skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const r of skipped) reasons.set(r.reason ?? '?', (reasons.get(r.reason ?? '?') ?? 0) + 1);
    lines.push('Skipped (a skipped check fails the run):');
    for (const [reason, n] of reasons) lines.push(`  - ${n} check${n === 1 ? '' : 's'}: ${reason}`);
  }
  const notOffered = report.notOffered ?? [];
  if (notOffered.length > 0) {
    lines.push(`Not offered by this backend (not a failure): ${notOffered.map((note) => note.feature).join(', ')}`);
  }
  lines.push(`${passed.length} passed, ${failed.length} failed, ${skipped.length} skipped`);
  return lines.join('\n');
}

/**
 * Runs checks in order and collects their results. Once a required check has failed, the runner
 * goes on through the remaining steps without running anything: each check is then recorded as
 * skipped with the reason, so a report always lists every check of the run.
 */
export class CheckRunner {
  readonly results: CheckResult[] = [];
  readonly notOffered: NotOffered[] = [];
  #step = 0;
  #stepName = '';
  /** Why every further check is skipped, once a required check failed. */
  #skipAll: string | null = null;
  readonly #onResult: (result: CheckResult) => void;
  readonly #onNotOffered: (note: NotOffered) => void;

  constructor(onResult: (result: CheckResult) => void = () => {}, onNotOffered: (note: NotOffered) => void = () => {}) {
    this.#onResult = onResult;
    this.#onNotOffered = onNotOffered;
  }

  /** Starts step `number` of the run. */
  step(number: number, name: string): void {
    this.#step = number;
    this.#stepName = name;
  }

  /** The reason every further check is skipped, or null while checks still run. */
  get skipping(): string | null {
    return this.#skipAll;
  }

  /** From now on every check is skipped for `reason`. */
  skipRest(reason: string): void {
    this.#skipAll ??= reason;
  }

  /** Records that the backend does not offer `feature`, so the current step's checks do not apply. */
  notOfferedFeature(feature: FeatureName, reason: string): void {
    const note: NotOffered = { step: this.#step, stepName: this.#stepName, feature, reason };
    this.notOffered.push(note);
    this.#onNotOffered(note);
  }

  /** Records a check that cannot be made, and why. */
  skip(name: string, reason: string): void {
    const result: CheckResult = {
      step: this.#step,
      stepName: this.#stepName,
      name,
      outcome: 'skip',
      ok: false,
      reason,
    };
    this.results.push(result);
    this.#onResult(result);
  }

  /** Runs one check; resolves true when it passed. An unexpected error fails the check, not the run. */
  async check(name: string, body: () => void | Promise<void>): Promise<boolean> {
    if (this.#skipAll !== null) {
      this.skip(name, this.#skipAll);
      return false;
    }
    let result: CheckResult;
    try {
      await body();
      result = { step: this.#step, stepName: this.#stepName, name, outcome: 'pass', ok: true };
    } catch (error) {
      const failure =
        error instanceof CheckFailure
          ? error
          : new CheckFailure('no error in the kit', error instanceof Error ? error.message : String(error));
      result = {
        step: this.#step,
        stepName: this.#stepName,
        name,
        outcome: 'fail',
        ok: false,
        expected: failure.expected,
        received: failure.received,
      };
    }
    this.results.push(result);
    this.#onResult(result);
    return result.ok;
  }

  /** A check that runs even after a required one failed: the cleanup of the test account. */
  async always(name: string, body: () => void | Promise<void>): Promise<boolean> {
    const skipping = this.#skipAll;
    this.#skipAll = null;
    try {
      return await this.check(name, body);
    } finally {
      this.#skipAll = skipping;
    }
  }

  /** Like `check`, but later steps need it: after a failure, every later check is skipped. */
  async require(name: string, body: () => void | Promise<void>): Promise<void> {
    if (this.#skipAll !== null) {
      this.skip(name, this.#skipAll);
      return;
    }
    if (!(await this.check(name, body))) this.skipRest(`it depends on "${name}", which failed`);
  }
}
