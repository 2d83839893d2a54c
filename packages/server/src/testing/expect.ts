/**
 * The assertions the contract suites make, with no test runner behind them: a failure throws
 * node:assert's `AssertionError` with `actual` and `expected`, which vitest and node:test
 * print as a diff. Equality is structural, as in vitest's `toEqual`: dates by their time,
 * `undefined` properties ignored, and no loose coercion (`'5'` never equals `5`).
 */
import { AssertionError } from 'node:assert';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/** `actual` equals `expected`; with `partial`, `actual` may have more properties than `expected`. */
function matches(actual: unknown, expected: unknown, partial: boolean): boolean {
  if (Object.is(actual, expected)) return true;
  if (actual instanceof Date && expected instanceof Date) return actual.getTime() === expected.getTime();
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && expected.every((item, i) => matches(actual[i], item, partial));
  }
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const keys = definedKeys(expected);
    if (!partial && definedKeys(actual).length !== keys.length) return false;
    return keys.every((key) => matches(actual[key], expected[key], partial));
  }
  return false;
}

function check(pass: boolean, actual: unknown, expected: unknown, operator: string): void {
  if (!pass) {
    const message = `expected ${show(actual)} ${operator} ${show(expected)}`;
    throw new AssertionError({ message, actual, expected, operator });
  }
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toHaveLength(length: number): void;
  toBeInstanceOf(type: abstract new (...args: never[]) => unknown): void;
  toBeGreaterThan(bound: number): void;
  toBeGreaterThanOrEqual(bound: number): void;
  toBeLessThanOrEqual(bound: number): void;
}

export interface Expectation extends Matchers {
  not: { toBeNull(): void };
  rejects: {
    toThrow(type: abstract new (...args: never[]) => unknown): Promise<void>;
  };
}

export function expect(actual: unknown): Expectation {
  async function rejection(): Promise<unknown> {
    try {
      await actual;
    } catch (error) {
      return error;
    }
    throw new AssertionError({ message: 'expected the promise to reject, but it resolved', operator: 'rejects' });
  }
  return {
    toBe: (expected) => check(Object.is(actual, expected), actual, expected, 'to be'),
    toEqual: (expected) => check(matches(actual, expected, false), actual, expected, 'to equal'),
    toMatchObject: (expected) => check(matches(actual, expected, true), actual, expected, 'to match'),
    toBeNull: () => check(actual === null, actual, null, 'to be'),
    toHaveLength: (length) =>
      check((actual as { length?: unknown } | null)?.length === length, actual, length, 'to have length'),
    toBeInstanceOf: (type) => check(actual instanceof type, actual, type.name, 'to be an instance of'),
    toBeGreaterThan: (bound) => check(typeof actual === 'number' && actual > bound, actual, bound, '>'),
    toBeGreaterThanOrEqual: (bound) => check(typeof actual === 'number' && actual >= bound, actual, bound, '>='),
    toBeLessThanOrEqual: (bound) => check(typeof actual === 'number' && actual <= bound, actual, bound, '<='),
    not: { toBeNull: () => check(actual !== null, actual, null, 'not to be') },
    rejects: {
      toThrow: async (type) => {
        const error = await rejection();
        check(error instanceof type, error, type.name, 'to be thrown as');
      },
    },
  };
}
