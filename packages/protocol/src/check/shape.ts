/**
 * The part of JSON Schema (draft 2020-12) that the protocol's response schemas use, as
 * `toJSONSchema` writes it. `generate.ts` turns the zod schemas into shapes at build time and
 * refuses any keyword outside this list, so the browser checker never meets one it would ignore.
 */
export interface Shape {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';
  /** Any one of these; zod's `nullable` is `anyOf: [shape, { type: 'null' }]`. */
  anyOf?: readonly Shape[];
  enum?: readonly unknown[];
  const?: unknown;
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
  properties?: { readonly [key: string]: Shape };
  required?: readonly string[];
  /** `false` refuses members not in `properties`; left out, they are allowed and dropped. */
  additionalProperties?: false;
  items?: Shape;
  minItems?: number;
  maxItems?: number;
}
