/**
 * @totpkit/protocol: the JSON protocol between the totpkit elements and any backend.
 * Schemas use zod/mini so that browser bundles that check responses stay small.
 */
export * from './endpoints.js';
export * from './errors.js';
export * from './schemas.js';
export * from './version.js';
