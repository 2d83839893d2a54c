/**
 * Writes the response schemas as `Shape`s, the compact description that the browser checker
 * (`@totpkit/protocol/check`) reads instead of bundling zod. Like the OpenAPI document, it is
 * generated from the zod schemas, the single source, with `toJSONSchema`; then every keyword is
 * checked against what `check.ts` understands, so a schema change that the checker could not
 * honour fails here, at build time, rather than being ignored in the browser.
 *
 * `node scripts/pnpm.mjs --filter @totpkit/protocol check-table` writes `responses.gen.ts`; a test
 * fails when the committed file differs from `responsesModule()`.
 */
import * as z from 'zod/mini';
import { ENDPOINT_NAMES, ENDPOINTS } from '../endpoints.js';
import { ErrorResponse } from '../schemas.js';
import type { Shape, ShapeObject } from './shape.js';

type JsonSchema = Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** The pattern of `z.iso.datetime({ offset: true })`, which `check.ts` implements as `format: 'date-time'`. */
const DATE_TIME_PATTERN = z.toJSONSchema(z.string().check(z.iso.datetime({ offset: true }))).pattern;
const NUMBERS = ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const;

/** One JSON Schema node as a `Shape`; throws on anything the checker would not honour. */
function toShape(schema: JsonSchema, at: string): Shape {
  const shape: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    const where = `${at}: ${keyword}`;
    if (keyword === 'type' || keyword === 'enum') {
      shape[keyword] = value;
    } else if (keyword === 'required') {
      // Written as the complement, `optional`, below.
    } else if ((NUMBERS as readonly string[]).includes(keyword)) {
      if (typeof value !== 'number') throw new Error(`${where} is not a number`);
      shape[keyword] = value;
    } else if (keyword === 'pattern') {
      // A date-time's pattern is zod's long date-time regular expression, which `format` stands for.
      if (schema.format !== 'date-time') shape.pattern = value;
    } else if (keyword === 'format') {
      if (value === 'date-time') {
        // Only the variant that check.ts implements: seconds, and a Z or an offset.
        if (schema.pattern !== DATE_TIME_PATTERN) throw new Error(`${where} with other options is not supported`);
        shape.format = value;
      } else if (value !== 'starts_with' || typeof schema.pattern !== 'string') {
        // zod's own `starts_with` is fully described by its `pattern`; other formats are not checked.
        throw new Error(`${where} ${String(value)} is not supported`);
      }
    } else if (keyword === 'properties') {
      const properties: Record<string, Shape> = {};
      for (const [name, member] of Object.entries(value as Record<string, JsonSchema>)) {
        properties[name] = toShape(member, at ? `${at}.${name}` : name);
      }
      shape.properties = properties;
    } else if (keyword === 'items') {
      shape.items = toShape(value as JsonSchema, `${at}[]`);
    } else if (keyword === 'anyOf') {
      if (Object.keys(schema).length > 1) throw new Error(`${where} beside other keywords is not supported`);
      shape.anyOf = (value as JsonSchema[]).map((option) => toShape(option, at));
    } else {
      throw new Error(`${where} is not supported by the browser checker (src/check/check.ts)`);
    }
  }
  if (shape.properties) {
    const required = (schema.required ?? []) as string[];
    const optional = Object.keys(shape.properties).filter((name) => !required.includes(name));
    if (optional.length > 0) shape.optional = optional;
  }
  if (shape.type === 'integer') {
    // The checker takes `integer` as zod's `z.int()`: a safe integer. The generic bounds go.
    if (schema.minimum === -MAX_SAFE) delete shape.minimum;
    if (schema.maximum === MAX_SAFE) delete shape.maximum;
    const { minimum = -MAX_SAFE, maximum = MAX_SAFE } = shape as { minimum?: number; maximum?: number };
    if (minimum < -MAX_SAFE || maximum > MAX_SAFE) {
      throw new Error(`${at}: an integer beyond the safe range is not supported`);
    }
  }
  return compact(shape as ShapeObject);
}

/** The short forms of `shape.ts`: a type name alone, an array for `anyOf`, no implied `type`. */
function compact(shape: ShapeObject & { anyOf?: readonly Shape[] }): Shape {
  if (shape.anyOf) return shape.anyOf;
  const { type, ...rest } = shape;
  if (type && Object.keys(rest).length === 0) return type;
  if ((type === 'object' && rest.properties) || (type === 'array' && rest.items)) return rest;
  return shape;
}

/** The shape of a zod schema, as the receiver of a response body sees it (`io: 'input'`). */
export function shapeOf(schema: z.core.$ZodType): Shape {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
  return toShape(json, '');
}

/** Every call's method, path and response shape, and the shape of the error body. */
export function responseTable() {
  const endpoints = Object.fromEntries(
    ENDPOINT_NAMES.map((name) => {
      const { method, path, response } = ENDPOINTS[name];
      return [name, { method, path, response: shapeOf(response) }];
    }),
  );
  return { endpoints, error: shapeOf(ErrorResponse) };
}

/** The source of `responses.gen.ts`. */
export function responsesModule(): string {
  const { endpoints, error } = responseTable();
  return `// Generated from the zod schemas in ../schemas.ts by ./generate.ts; do not edit.
// Regenerate: node scripts/pnpm.mjs --filter @totpkit/protocol check-table (a test fails when stale).
import type { EndpointName } from '../endpoints.js';
import type { Shape, ShapeObject } from './shape.js';

/** Each call's method, path and response body shape. */
export const ENDPOINT_SHAPES: Record<EndpointName, { method: 'GET' | 'POST'; path: string; response: Shape }> = ${JSON.stringify(endpoints, null, 2)};

/** The body of every non-2xx response. */
export const ERROR_SHAPE: Shape = ${JSON.stringify(error, null, 2)};
`;
}
