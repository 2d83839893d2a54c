/**
 * @totpkit/protocol: the JSON protocol between the totpkit elements and any backend.
 *
 * This root entry is browser-safe: its schemas use zod/mini. The elements do not load it at run
 * time; they check responses with `@totpkit/protocol/check`, a table generated from these schemas
 * and a small interpreter, because zod/mini alone would take half of their size budget. Node-only
 * parts have their own entries: `@totpkit/protocol/conformance` (the conformance kit) and
 * `@totpkit/protocol/openapi`.
 */
export * from './endpoints.js';
export * from './errors.js';
export * from './schemas.js';
export * from './version.js';
