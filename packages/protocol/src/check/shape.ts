/**
 * The compact description of a response body that the browser checker reads: the part of JSON
 * Schema (draft 2020-12) that the protocol's response schemas use, as `toJSONSchema` writes it,
 * written shorter because it ships in every page that shows an element:
 *
 * - a type name alone, such as `"boolean"`, stands for `{ "type": "boolean" }`;
 * - an array of shapes stands for `anyOf` (zod's `nullable` is `[shape, "null"]`);
 * - `properties` implies an object and `items` an array, so their `type` is left out;
 * - an object lists its `optional` members, the complement of JSON Schema's `required`, since
 *   nearly every member of a response is required.
 *
 * `generate.ts` writes shapes from the zod schemas at build time and refuses any keyword outside
 * this list, so the checker never meets one it would ignore. Keywords the responses do not use
 * (`const`, `additionalProperties`, …) are left out on purpose: each one costs bytes in every
 * page, and the generator says so when a schema starts to need one.
 */
export type TypeName = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

export type Shape = TypeName | readonly Shape[] | ShapeObject;

export interface ShapeObject {
  type?: TypeName;
  enum?: readonly unknown[];
  /**
   * An RFC 3339 date-time with seconds and a `Z` or an offset, as zod's
   * `z.iso.datetime({ offset: true })` accepts; checked without zod's long regular expression.
   */
  format?: 'date-time';
  /** The source of a regular expression without flags, tested like zod tests it. */
  pattern?: string;
  /** String lengths in UTF-16 code units, as zod counts them (JSON Schema counts code points). */
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** The members of an object. Members it does not list are allowed, and dropped from the result. */
  properties?: { readonly [key: string]: Shape };
  /** The members of `properties` that may be left out; all others are required. */
  optional?: readonly string[];
  items?: Shape;
  minItems?: number;
  maxItems?: number;
}
