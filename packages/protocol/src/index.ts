/**
 * @totpkit/protocol: the JSON protocol between the totpkit elements and any backend.
 *
 * This root entry is browser-safe and small: schemas use zod/mini so that the elements, which
 * check every response, stay within their size budget. Node-only parts have their own entries:
 * `@totpkit/protocol/conformance` (the conformance kit) and `@totpkit/protocol/openapi`.
 */
export * from './endpoints.js';
export * from './errors.js';
export * from './schemas.js';
export * from './version.js';
