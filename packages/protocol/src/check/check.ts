/**
 * The interpreter of `Shape`s: checks a JSON value against one and returns the value as zod's
 * `safeParse` would (members that the shape does not list are dropped, as v1 clients must ignore
 * them), or the first problem with its path, such as `recoveryCodes[0]: expected a string`.
 *
 * A problem names where and what, never the offending value: a response may carry a secret.
 * A property test (test/check.test.ts) shows that it accepts exactly what zod accepts. It is
 * written for size, since it ships in every page that shows an element.
 */
import type { Shape, ShapeObject } from './shape.js';

/** The outcome of a check: the checked value, or what is wrong with it. */
export type CheckResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** RFC 3339 date-time with seconds and a `Z` or an offset; the calendar is checked with `Date`. */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** True for a date-time that zod's `z.iso.datetime({ offset: true })` accepts. */
function isDateTime(text: string): boolean {
  const [, year, month, day] = DATE_TIME.exec(text) ?? [];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0 to 99 as they are. A day outside the month (or a
  // month outside the year) rolls over into another month, which is how a date that is not real shows.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return !!year && date.getUTCMonth() === Number(month) - 1;
}

/** Thrown inside `walk` and caught by `checkShape`, so that each check stays a single `if`. */
class Problem {
  constructor(readonly text: string) {}
}

function walk(compact: Shape, value: unknown, path: string): unknown {
  const fail = (what: string): never => {
    throw new Problem(`${path || 'body'}: ${what}`);
  };
  const range = (size: number, min = size, max = size, what = '') => {
    if (size < min) fail(`${what}below the minimum ${min}`);
    if (size > max) fail(`${what}above the maximum ${max}`);
  };
  if (Array.isArray(compact)) {
    // Any of these. The first option's problem is the one reported: for `nullable`, the non-null one.
    let first: unknown;
    for (const option of compact as readonly Shape[]) {
      try {
        return walk(option, value, path);
      } catch (problem) {
        first ??= problem;
      }
    }
    throw first;
  }
  if (value === undefined) fail('missing');
  const shape: ShapeObject = typeof compact === 'string' ? { type: compact } : (compact as ShapeObject);
  const type = shape.type ?? (shape.properties ? 'object' : shape.items ? 'array' : undefined);
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (type && type !== actual && !(type === 'integer' && Number.isSafeInteger(value))) {
    fail(`expected ${type === 'null' ? '' : /^[aeiou]/.test(type) ? 'an ' : 'a '}${type}`);
  }
  if (shape.enum && !shape.enum.includes(value)) fail(`expected one of ${shape.enum.join(', ')}`);
  if (typeof value === 'number') range(value, shape.minimum, shape.maximum);
  if (typeof value === 'string') {
    range(value.length, shape.minLength, shape.maxLength, 'length ');
    if (shape.pattern && !new RegExp(shape.pattern).test(value)) fail(`does not match ${shape.pattern}`);
    if (shape.format && !isDateTime(value)) fail('not a date-time');
  }
  if (Array.isArray(value)) {
    range(value.length, shape.minItems, shape.maxItems, 'length ');
    const { items } = shape;
    // Array.from visits holes too, as zod does (JSON has none, but a `fetch` stub may).
    return items ? Array.from(value, (item, index) => walk(items, item, `${path}[${index}]`)) : value;
  }
  const { properties } = shape;
  if (actual === 'object' && properties) {
    const object = value as Record<string, unknown>;
    const checked: Record<string, unknown> = {};
    for (const key in properties) {
      // An optional member may be left out; a required one that is missing is reported as such.
      if (key in object || !shape.optional?.includes(key)) {
        checked[key] = walk(properties[key] as Shape, object[key], path ? `${path}.${key}` : key);
      }
    }
    return checked;
  }
  return value;
}

/** Checks `value` against `shape`. */
export function checkShape<T>(shape: Shape, value: unknown): CheckResult<T> {
  try {
    return { ok: true, value: walk(shape, value, '') as T };
  } catch (problem) {
    if (problem instanceof Problem) return { ok: false, problem: problem.text };
    throw problem;
  }
}
