/**
 * @totpkit/protocol/check: the response checks for browsers, without zod.
 *
 * zod/mini costs 9.2 KB gzip for these schemas (4.4 KB for its shared core alone, whatever the
 * schema), more than half of the elements' 15 KB budget. This entry checks the same schemas from
 * a table generated from them at build time (`responses.gen.ts`) with a small interpreter
 * (`check.ts`), and imports nothing from zod at run time. Servers and tools parse requests with the
 * zod schemas of the root entry; a property test shows both accept exactly the same bodies, so
 * `@totpkit/server` uses this check for the success bodies it sends (cheaper per login than zod).
 */
import type { ENDPOINTS, EndpointName } from '../endpoints.js';
import type { ErrorResponse } from '../schemas.js';
import { type CheckResult, checkShape } from './check.js';
import { ENDPOINT_SHAPES, ERROR_SHAPE } from './responses.gen.js';

export { PROTOCOL_HEADER, PROTOCOL_MEDIA_TYPE, PROTOCOL_VERSION } from '../version.js';
export type { CheckResult } from './check.js';
export type { Shape } from './shape.js';
export { ENDPOINT_SHAPES, ERROR_SHAPE };

/** A body that `checkResponse` can check: a call's success response, or `error` for any non-2xx body. */
export type ResponseName = EndpointName | 'error';

/** The checked body of `name`'s response. */
export type ResponseBody<N extends ResponseName> = N extends EndpointName
  ? (typeof ENDPOINTS)[N]['response']['_zod']['output']
  : ErrorResponse;

/**
 * Checks a parsed JSON body against the protocol v1 schema of `name`'s response (or, for
 * `error`, of the error body). Returns the body without members v1 does not know, or the first
 * problem with its path, such as `recoveryCodes[0]: expected a string`; never the offending value.
 */
export function checkResponse<N extends ResponseName>(name: N, body: unknown): CheckResult<ResponseBody<N>> {
  return checkShape(name === 'error' ? ERROR_SHAPE : ENDPOINT_SHAPES[name as EndpointName].response, body);
}
