/**
 * The protocol client: one function that calls an endpoint of protocol v1 and returns its
 * response only after the response schema of @totpkit/protocol accepted it. Anything else
 * becomes a `TotpRequestError` whose `code` says what happened and whose message names the
 * problem, so a wrong `endpoint` or an off-protocol backend is diagnosed, not a blank widget.
 *
 * The checks come from `@totpkit/protocol/check`, a table generated from the protocol's zod
 * schemas and a small interpreter, rather than from zod itself: zod/mini would cost 8.6 KB gzip
 * of the elements' 15 KB budget (see packages/elements/README.md, "Size").
 */
import type { ENDPOINTS, EndpointName, ErrorCode } from '@totpkit/protocol';
import {
  checkResponse,
  ENDPOINT_SHAPES,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type ResponseBody,
} from '@totpkit/protocol/check';
import type * as z from 'zod/mini';

/** A protocol error code, or what went wrong before the server could answer with one. */
export type TotpErrorCode = ErrorCode | 'network_error' | 'invalid_response';

/** The checked response body of an endpoint. */
export type EndpointResponse<N extends EndpointName> = ResponseBody<N>;

/** The request body of an endpoint; `undefined` for GET. */
export type EndpointRequest<N extends EndpointName> = (typeof ENDPOINTS)[N]['request'] extends z.ZodMiniType
  ? z.input<(typeof ENDPOINTS)[N]['request']>
  : undefined;

/** Where and how to call the backend: the elements' `endpoint`, `fetch`, `headers` and CSRF settings. */
export interface ClientOptions {
  /** The base URL, such as `/mfa`; paths from the protocol are appended. */
  endpoint: string;
  /** Replaces the global `fetch`, for tests or apps with their own HTTP layer. */
  fetch?: typeof fetch | undefined;
  /** Extra request headers, such as `Authorization` for bearer tokens. */
  headers?: Record<string, string> | undefined;
  /** A header name for a CSRF token (for frameworks that want one in addition to the protocol header). */
  csrfHeader?: string | undefined;
  /** The CSRF token value sent in `csrfHeader`. */
  csrfToken?: string | undefined;
  /** The issuer for a backend that leaves the `otpauth://` URL to the client (allauth headless). */
  issuer?: string | undefined;
}

/**
 * How an element reaches its backend: `callEndpoint` speaks protocol v1, src/transports/ holds
 * others, and a page may bring its own (the elements' `client` property). A transport answers in
 * the protocol's shapes and throws `TotpRequestError` with the protocol's codes, so the elements'
 * states, events and texts stay the same whatever the backend.
 */
export type TotpTransport = <N extends EndpointName>(
  options: ClientOptions,
  name: N,
  body?: EndpointRequest<N>,
) => Promise<EndpointResponse<N>>;

/** A failed call. `message` is for developers and logs; users see the element's own text for `code`. */
export class TotpRequestError extends Error {
  override name = 'TotpRequestError';

  constructor(
    /** What went wrong: a protocol error code, `network_error` or `invalid_response`. */
    readonly code: TotpErrorCode,
    message: string,
    /** The HTTP status, when there was a response. */
    readonly status: number | null = null,
    /** Seconds until a retry can succeed, for `rate_limited`. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

function retryAfterHeader(response: Response): number | null {
  const seconds = Number(response.headers.get('Retry-After'));
  return response.headers.has('Retry-After') && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/**
 * Calls `name` with `body` and returns the checked response. Throws `TotpRequestError`: the
 * server's error code for a protocol error, `network_error` when no response arrived, and
 * `invalid_response` when the answer is not protocol v1 (then the message says why).
 */
export async function callEndpoint<N extends EndpointName>(
  options: ClientOptions,
  name: N,
  body?: EndpointRequest<N>,
): Promise<EndpointResponse<N>> {
  const { method, path } = ENDPOINT_SHAPES[name];
  const url = options.endpoint.replace(/\/+$/, '') + path;
  const what = `${method} ${url}`;
  const headers: Record<string, string> = {
    ...options.headers,
    Accept: 'application/json',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.csrfHeader && options.csrfToken) headers[options.csrfHeader] = options.csrfToken;

  // Called through a local so that a native fetch is never invoked as a method of `options`.
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (error) {
    throw new TotpRequestError('network_error', `${what} failed: ${(error as Error)?.message ?? error}`);
  }

  const { status } = response;
  /** A failure that happened after the response arrived: its message starts with what answered what. */
  const answered = (code: TotpErrorCode, detail: string, retryAfter: number | null = null) =>
    new TotpRequestError(code, `${what} answered ${status} ${detail}`, status, retryAfter);
  const type = response.headers.get('Content-Type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    // A proxy's HTML page for a gateway error means the backend is down, not off-protocol.
    if (status === 502 || status === 503 || status === 504) throw answered('unavailable', 'without a protocol body');
    throw answered(
      'invalid_response',
      `with ${type ? `Content-Type ${type}` : 'no Content-Type'}, not protocol JSON; is the endpoint attribute right?`,
    );
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw answered('invalid_response', 'with a body that is not valid JSON');
  }

  if (response.ok) {
    const result = checkResponse(name, json);
    if (result.ok) return result.value;
    throw answered('invalid_response', `off-protocol: ${result.problem}`);
  }

  const failure = checkResponse('error', json);
  const retryAfter = retryAfterHeader(response);
  if (failure.ok) {
    const error = failure.value.error;
    throw new TotpRequestError(error.code, error.message, status, error.retryAfter ?? retryAfter);
  }
  // A code from a later protocol version is treated by its status class, as the protocol asks,
  // so a newer backend never breaks this client.
  const unknown = (json as { error?: { code?: unknown } } | null)?.error?.code;
  if (typeof unknown === 'string') {
    throw answered(
      status >= 500 ? 'internal_error' : 'invalid_request',
      `with an unknown error code ${JSON.stringify(unknown.slice(0, 40))}`,
      retryAfter,
    );
  }
  throw answered('invalid_response', `with an error body off-protocol: ${failure.problem}`);
}
