/**
 * fast-check arbitraries driven by a `Shape`: bodies that the shape (and so zod) should accept,
 * and mutations of them that mostly it should not. The property test compares the browser checker
 * with zod on both, so these need not be exact: zod is the judge of every generated body.
 */
import fc from 'fast-check';
import * as z from 'zod/mini';
import type { Shape as CompactShape, ShapeObject } from '../../src/check/shape.js';

const SAFE = Number.MAX_SAFE_INTEGER;
/** zod's own date-time pattern, which `format: 'date-time'` stands for in a shape. */
const DATE_TIME = new RegExp(z.toJSONSchema(z.string().check(z.iso.datetime({ offset: true }))).pattern as string);
/** Date-times that are well formed but not real, or almost well formed. */
const NOT_QUITE_DATE_TIMES = [
  '2023-02-29T00:00:00Z',
  '2100-02-29T00:00:00Z',
  '2024-04-31T12:00:00Z',
  '2024-13-01T12:00:00Z',
  '2024-00-10T12:00:00Z',
  '2024-01-00T12:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T23:60:00Z',
  '2024-01-01T23:59:60Z',
  '2024-01-01T00:00:00+24:00',
  '2024-01-01T00:00:00.Z',
  '2024-01-01T00:00Z',
  '2024-01-01 00:00:00Z',
  '2024-01-01T00:00:00',
  '２０２４-01-01T00:00:00Z',
  // Real ones at the edges of the leap-year rule, to be accepted.
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00.5+01:00',
  '0000-02-29T00:00:00Z',
  '0099-12-31T23:59:59.999-23:59',
];

/** A shape in its long form: every `type` written out, `anyOf` and `required` as in JSON Schema. */
type Shape = ShapeObject & { anyOf?: Shape[]; required?: string[]; properties?: Record<string, Shape>; items?: Shape };

/** The long form of a shape from `responses.gen.ts`, which is easier to generate values for. */
export function longForm(compact: CompactShape): Shape {
  if (typeof compact === 'string') return { type: compact };
  if (Array.isArray(compact)) return { anyOf: compact.map(longForm) };
  const shape = compact as ShapeObject;
  const long: Shape = { ...shape } as Shape;
  if (shape.properties) {
    long.type = 'object';
    long.properties = Object.fromEntries(
      Object.entries(shape.properties).map(([key, member]) => [key, longForm(member)]),
    );
    long.required = Object.keys(shape.properties).filter((key) => !shape.optional?.includes(key));
  }
  if (shape.items) {
    long.type = 'array';
    long.items = longForm(shape.items);
  }
  return long;
}

/** A value of another JSON type, or an empty one of the same. */
const wrongType = fc.constantFrom<unknown>(null, 0, -1, 1.5, '', 'x', true, false, [], {}, [null], { a: 1 });

/** Bodies `shape` should accept, with unknown members added where the shape allows them. */
export function validFor(shape: Shape): fc.Arbitrary<unknown> {
  if (shape.anyOf) return fc.oneof(...shape.anyOf.map(validFor));
  if (shape.enum) return fc.constantFrom(...shape.enum);
  switch (shape.type) {
    case 'string': {
      const { minLength = 0, maxLength = 64 } = shape;
      const pattern = shape.format === 'date-time' ? DATE_TIME : shape.pattern && new RegExp(shape.pattern);
      const strings = pattern
        ? fc.stringMatching(pattern)
        : fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'binary', minLength, maxLength }));
      // fast-check counts code points, zod counts UTF-16 units: keep what zod would call valid.
      return strings.filter((text) => text.length >= minLength && text.length <= maxLength);
    }
    case 'integer':
      return fc.bigInt({ min: BigInt(shape.minimum ?? -SAFE), max: BigInt(shape.maximum ?? SAFE) }).map(Number);
    case 'number':
      return fc.double({ min: shape.minimum ?? -1e9, max: shape.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(shape.items ? validFor(shape.items) : fc.jsonValue(), {
        minLength: shape.minItems ?? 0,
        maxLength: shape.maxItems ?? 8,
      });
    case 'object': {
      const properties = shape.properties ?? {};
      const known = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, member]) => [key, validFor(member)])),
        { requiredKeys: [...(shape.required ?? [])] },
      );
      const extra = fc.dictionary(
        fc.string().filter((key) => !Object.hasOwn(properties, key)),
        fc.jsonValue(),
        { maxKeys: 3 },
      );
      return fc.tuple(known, extra).map(([members, added]) => ({ ...added, ...members }));
    }
    default:
      throw new Error(`no arbitrary for ${JSON.stringify(shape)}`);
  }
}

/** Values just outside what `shape` accepts at this one place: bounds, lengths, patterns, types. */
function nearMiss(shape: Shape): fc.Arbitrary<unknown> {
  const misses: fc.Arbitrary<unknown>[] = [wrongType, fc.jsonValue({ maxDepth: 2 })];
  if (shape.anyOf) misses.push(...shape.anyOf.map(nearMiss));
  if (shape.enum) misses.push(fc.constantFrom(...shape.enum.map((value) => `${String(value)}x`)));
  if (shape.type === 'integer' || shape.type === 'number') {
    const { minimum = -SAFE, maximum = SAFE } = shape;
    misses.push(fc.constantFrom(minimum - 1, maximum + 1, minimum + 0.5, maximum - 0.5, SAFE + 2, -SAFE - 2));
  }
  if (shape.type === 'string') {
    const { minLength = 0, maxLength = 64 } = shape;
    misses.push(fc.constantFrom('a'.repeat(Math.max(0, minLength - 1)), 'a'.repeat(maxLength + 1)));
    if (shape.format === 'date-time') misses.push(fc.constantFrom(...NOT_QUITE_DATE_TIMES));
    if (shape.pattern || shape.format) {
      misses.push(
        validFor(shape).chain((text) =>
          fc.constantFrom(`${text}x`, ` ${text}`, String(text).toLowerCase(), String(text).slice(1)),
        ),
      );
    }
  }
  if (shape.type === 'array') misses.push(fc.constant([]));
  return fc.oneof(...misses);
}

type Path = (string | number)[];

const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every place inside `value` with the shape that applies there, the whole value first. */
function places(shape: Shape, value: unknown, path: Path = []): { path: Path; shape: Shape }[] {
  if (shape.anyOf) {
    // The option the value was generated from: the one of its JSON type (integers are numbers).
    const type = jsonType(value);
    const option = shape.anyOf.find((o) => o.type === type || (o.type === 'integer' && type === 'number'));
    return [{ path, shape }, ...(option ? places(option, value, path).slice(1) : [])];
  }
  const found = [{ path, shape }];
  if (Array.isArray(value) && shape.items) {
    const items = shape.items;
    for (const [index, item] of value.entries()) found.push(...places(items, item, [...path, index]));
  } else if (shape.properties && jsonType(value) === 'object') {
    for (const [key, member] of Object.entries(shape.properties)) {
      if (key in (value as object))
        found.push(...places(member, (value as Record<string, unknown>)[key], [...path, key]));
    }
  }
  return found;
}

/** A copy of `value` with `path` set to `replacement`, or removed when `replacement` is `REMOVE`. */
const REMOVE = Symbol('remove');
function replaced(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...Path];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const inner = replaced(copy[head], rest, replacement);
  if (inner === REMOVE) delete copy[head];
  else copy[head] = inner;
  return copy;
}

/**
 * `value` (valid for `shape`) with one change at one place, every place being equally likely:
 * a near miss for what the shape wants there, a member removed, or a member added.
 */
export function mutationOf(shape: Shape, value: unknown): fc.Arbitrary<unknown> {
  return fc
    .constantFrom(...places(shape, value))
    .chain(({ path, shape: there }) =>
      fc.oneof(
        { weight: 4, arbitrary: nearMiss(there).map((miss) => replaced(value, path, miss)) },
        { weight: 1, arbitrary: fc.constant(path.length > 0 ? replaced(value, path, REMOVE) : value) },
        { weight: 1, arbitrary: fc.jsonValue().map((added) => replaced(value, [...path, 'added'], added)) },
      ),
    );
}

/** Valid bodies, and bodies with one mutation, tagged so a test can tell them apart. */
export function bodiesFor(compact: CompactShape): fc.Arbitrary<{ body: unknown; mutated: boolean }> {
  const shape = longForm(compact);
  return fc.oneof(
    validFor(shape).map((body) => ({ body, mutated: false })),
    validFor(shape).chain((body) => mutationOf(shape, body).map((changed) => ({ body: changed, mutated: true }))),
    fc.jsonValue().map((body) => ({ body, mutated: true })),
  );
}
