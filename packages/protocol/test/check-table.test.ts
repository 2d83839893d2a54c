/**
 * responses.gen.ts, the table the browser checker reads, is generated from the zod schemas like
 * openapi.json: committed, and tested to be what the schemas produce now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { responsesModule, shapeOf } from '../src/check/generate.js';
import { ENDPOINT_SHAPES } from '../src/check/index.js';
import { ENDPOINT_NAMES, ENDPOINTS } from '../src/index.js';

const committed = readFileSync(new URL('../src/check/responses.gen.ts', import.meta.url), 'utf8');

describe('src/check/responses.gen.ts', () => {
  it('is up to date with the schemas (run `pnpm --filter @totpkit/protocol check-table` if this fails)', () => {
    expect(committed).toBe(responsesModule());
  });

  it('has every call with its method and path', () => {
    expect(Object.keys(ENDPOINT_SHAPES)).toEqual(ENDPOINT_NAMES);
    for (const name of ENDPOINT_NAMES) {
      expect(ENDPOINT_SHAPES[name].method).toBe(ENDPOINTS[name].method);
      expect(ENDPOINT_SHAPES[name].path).toBe(ENDPOINTS[name].path);
    }
  });

  it('writes a date-time as the format the checker implements, without zod\u2019s long pattern', () => {
    expect(shapeOf(z.string().check(z.iso.datetime({ offset: true })))).toEqual({
      type: 'string',
      format: 'date-time',
    });
    expect(committed).not.toContain('[2468][048]');
  });

  it('keeps zod\u2019s starts_with as the pattern that says it all', () => {
    expect(shapeOf(z.string().check(z.startsWith('ab')))).toEqual({ type: 'string', pattern: '^ab.*' });
  });

  it('takes integers as safe integers and keeps only their own bounds', () => {
    expect(shapeOf(z.int())).toEqual('integer');
    expect(shapeOf(z.int().check(z.gte(1)))).toEqual({ type: 'integer', minimum: 1 });
  });

  it('writes the short forms: a type name alone, anyOf as an array, optional members, implied types', () => {
    expect(shapeOf(z.nullable(z.boolean()))).toEqual(['boolean', 'null']);
    expect(shapeOf(z.object({ a: z.string(), b: z.optional(z.int()) }))).toEqual({
      properties: { a: 'string', b: 'integer' },
      optional: ['b'],
    });
    expect(shapeOf(z.array(z.string()).check(z.minLength(1)))).toEqual({ items: 'string', minItems: 1 });
  });

  it.each([
    ['a format it cannot check', z.string().check(z.email())],
    ['a date-time without an offset', z.string().check(z.iso.datetime())],
    ['a date-time with a fixed precision', z.string().check(z.iso.datetime({ offset: true, precision: 3 }))],
    ['a tuple', z.tuple([z.string()])],
    ['a record', z.record(z.string(), z.string())],
    ['a strict object (additionalProperties)', z.strictObject({ a: z.string() })],
    ['a literal (const)', z.literal('v1')],
  ])('refuses %s rather than ignore it in the browser', (_what, schema) => {
    expect(() => shapeOf(schema)).toThrow(/not supported/);
  });
});
