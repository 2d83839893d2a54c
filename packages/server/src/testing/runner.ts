/**
 * The contract suites run under any test runner that has `describe`, `it` and hooks: pass the
 * runner's module itself (`import * as vitest from 'vitest'`, `import * as test from 'node:test'`;
 * those two are tested). node:test names its suite hooks `before`/`after`, the others
 * `beforeAll`/`afterAll`; both are accepted.
 */

type Body = () => void | Promise<void>;

/** The part of a test runner's API that the suites use. */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: Body): unknown;
  beforeEach(body: Body): unknown;
  afterEach(body: Body): unknown;
  /** vitest, Jest, bun:test. */
  beforeAll?(body: Body): unknown;
  /** vitest, Jest, bun:test. */
  afterAll?(body: Body): unknown;
  /** node:test. */
  before?(body: Body): unknown;
  /** node:test. */
  after?(body: Body): unknown;
}

/** The runner with its suite hooks under one name, whichever it uses. */
export interface Runner {
  describe(name: string, body: () => void): void;
  it(name: string, body: Body): void;
  beforeAll(body: Body): void;
  afterAll(body: Body): void;
  beforeEach(body: Body): void;
  afterEach(body: Body): void;
}

export function useRunner(runner: TestRunner): Runner {
  const beforeAll = runner.beforeAll ?? runner.before;
  const afterAll = runner.afterAll ?? runner.after;
  if (!beforeAll || !afterAll) {
    throw new TypeError(
      'The test runner needs beforeAll/afterAll (vitest, Jest, bun:test) or before/after (node:test).',
    );
  }
  // Each body is wrapped in a function without parameters: node:test treats a hook or test that
  // declares two parameters as callback-style and would wait for a `done` that never comes.
  return {
    describe: (name, body) => void runner.describe(name, () => body()),
    it: (name, body) => void runner.it(name, () => body()),
    beforeAll: (body) => void beforeAll.call(runner, () => body()),
    afterAll: (body) => void afterAll.call(runner, () => body()),
    beforeEach: (body) => void runner.beforeEach(() => body()),
    afterEach: (body) => void runner.afterEach(() => body()),
  };
}
