/**
 * @totpkit/server: the verifier SDK. The TOTP core is re-exported here and is also available,
 * isomorphic and on its own, from `@totpkit/server/core`.
 */
export * from './core/index.js';
