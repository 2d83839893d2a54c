/**
 * Checks and their results. A check is a named function that throws `CheckFailure` with what it
 * expected and what it received; the runner records one result per check, so the CLI prints one
 * line per check. Messages name the request and the status, never a code or a secret.
 */

/** The outcome of one check. */
export interface CheckResult {
  /** The step of the run, 1 to 10 as in docs/protocol.md, 11 for the checks over every response. */
  step: number;
  /** The step's name: `setup`, `replay`, `bad input`… */
  stepName: string;
  /** What was checked, as a sentence: `a replayed code is refused with 400 invalid_code`. */
  name: string;
  ok: boolean;
  /** On failure: what the protocol requires. */
  expected?: string;
  /** On failure: what the backend did. */
  received?: string;
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

/** Thrown to stop the run when a check that later steps depend on has failed. */
export class RunAborted extends Error {
  override name = 'RunAborted';
}

/** One line of output: `✓ [4 activate] the current code activates TOTP`. */
export function formatResult(result: CheckResult): string {
  const line = `${result.ok ? '✓' : '✗'} [${result.step} ${result.stepName}] ${result.name}`;
  if (result.ok) return line;
  return `${line}\n    expected: ${result.expected ?? '?'}\n    received: ${result.received ?? '?'}`;
}

/** Runs checks in order and collects their results. */
export class CheckRunner {
  readonly results: CheckResult[] = [];
  #step = 0;
  #stepName = '';
  readonly #onResult: (result: CheckResult) => void;

  constructor(onResult: (result: CheckResult) => void = () => {}) {
    this.#onResult = onResult;
  }

  /** Starts step `number` of the run. */
  step(number: number, name: string): void {
    this.#step = number;
    this.#stepName = name;
  }

  /** Runs one check; resolves true when it passed. An unexpected error fails the check, not the run. */
  async check(name: string, body: () => void | Promise<void>): Promise<boolean> {
    let result: CheckResult;
    try {
      await body();
      result = { step: this.#step, stepName: this.#stepName, name, ok: true };
    } catch (error) {
      if (error instanceof RunAborted) throw error;
      const failure =
        error instanceof CheckFailure
          ? error
          : new CheckFailure('no error in the kit', error instanceof Error ? error.message : String(error));
      result = {
        step: this.#step,
        stepName: this.#stepName,
        name,
        ok: false,
        expected: failure.expected,
        received: failure.received,
      };
    }
    this.results.push(result);
    this.#onResult(result);
    return result.ok;
  }

  /** Like `check`, but later steps need it: a failure stops the run (after cleanup). */
  async require(name: string, body: () => void | Promise<void>): Promise<void> {
    if (!(await this.check(name, body))) throw new RunAborted(name);
  }
}
