/**
 * `createTotpHandler`: the protocol over the Fetch API, `(request: Request) => Promise<Response>`,
 * so it runs as-is in Hono, Next.js route handlers, Bun, Deno and Cloudflare Workers, and behind
 * the node:http, Express and Fastify adapters. This file and its imports use no Node-only API.
 *
 * A request passes these checks in this order, each answered by its own error, and only then
 * reaches the host's `getUser` and the service (docs/protocol.md, "Order of checks"):
 *   route (404) → method (405) → Sec-Fetch-Site/Origin (403) → Totpkit-Protocol (400)
 *   → CSRF token (403) → Content-Type (415) → size (413) → JSON and schema (400)
 *   → code shape (400 invalid_code) → session (401) → the call.
 * So no malformed request ever costs a session lookup, a decryption or a store round trip.
 */
import { type EndpointName, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@totpkit/protocol';
import * as z from 'zod/mini';
import { isJsonContentType, readBodyText } from './body.js';
import { isPlausibleCode, runCall } from './calls.js';
import { corsHeaders, preflightResponse } from './cors.js';
import { originAllowed } from './csrf.js';
import { errorResponse, failureResponse, serviceErrorCode } from './errors.js';
import { parseJson } from './json.js';
import { type ResolvedHandlerOptions, resolveHandlerOptions, type TotpHandlerOptions } from './options.js';
import { jsonResponse } from './respond.js';
import { createRouter, pathOf, type RouteMatch } from './routes.js';

/** The handler, with what an adapter needs to fall through to the host's own routes. */
export interface TotpHandler {
  (request: Request): Promise<Response>;
  /** The normalised base path, such as `/mfa` ('' for the root). */
  readonly basePath: string;
  /**
   * True when the request's path is the base path or below it. Outside it the handler answers a
   * 404 `not_found`; a host that shares a server with other routes asks `handles` first and passes
   * other requests on.
   */
  handles(request: Request | string): boolean;
}

const PROTOCOL_VALUE = String(PROTOCOL_VERSION);

/**
 * Creates the handler.
 * @throws TotpkitError `invalid_configuration` when an option is unusable.
 */
export function createTotpHandler(options: TotpHandlerOptions): TotpHandler {
  const settings = resolveHandlerOptions(options);
  const router = createRouter(settings.basePath);

  const handler = async (request: Request): Promise<Response> => {
    const route = router.match(pathOf(request));
    const call = route.kind === 'call' ? route.name : null;
    let response: Response;
    try {
      response = await answer(settings, request, route);
    } catch (error) {
      // The service's own errors, a host hook's (getUser, csrf.verify, afterVerify) or a bug.
      const { code, internal, retryAfter } = serviceErrorCode(error);
      if (internal) report(settings, error, request, call);
      response = errorResponse(code, retryAfter === undefined ? {} : { retryAfter });
    }
    return finish(settings, request, response);
  };
  return Object.assign(handler, {
    basePath: settings.basePath,
    handles: (request: Request | string) => router.handles(pathOf(request)),
  });
}

async function answer(settings: ResolvedHandlerOptions, request: Request, route: RouteMatch): Promise<Response> {
  if (route.kind !== 'call') return errorResponse('not_found');
  const { name, endpoint, methods } = route;

  if (request.method === 'OPTIONS' && settings.cors) {
    return preflightResponse(request, settings.cors, methods);
  }
  if (!methods.includes(request.method)) {
    const allow = settings.cors ? [...methods, 'OPTIONS'] : methods;
    return errorResponse('method_not_allowed', { headers: { Allow: allow.join(', ') } });
  }
  if (!originAllowed(request, settings.trustedOrigins)) return errorResponse('forbidden');
  if (request.headers.get(PROTOCOL_HEADER) !== PROTOCOL_VALUE) {
    return errorResponse('invalid_request', { message: `Send the header ${PROTOCOL_HEADER}: ${PROTOCOL_VALUE}.` });
  }
  if (settings.csrfToken) {
    const token = request.headers.get(settings.csrfToken.header);
    if (!(await settings.csrfToken.verify(request, token))) {
      return errorResponse('forbidden', { message: 'The CSRF token is missing or not valid.' });
    }
  }

  let input: unknown;
  if (endpoint.request) {
    const parsed = await readRequest(settings, request, endpoint.request, name);
    if (parsed instanceof Response) return parsed;
    input = parsed.value;
    if (!isPlausibleCode(name, input)) return errorResponse('invalid_code', { field: 'code' });
  }

  const user = await settings.getUser(request, { call: name });
  if (!user) return errorResponse('unauthenticated');
  // A session pending its second factor answers the challenge and reads a reduced status; nothing else.
  if (user.pending === true && name !== 'verify' && name !== 'status') return errorResponse('unauthenticated');
  return perform(settings, request, name, user, input, endpoint.response);
}

/** Content type, size, JSON and schema: every check on the body, before anything else is done. */
async function readRequest(
  settings: ResolvedHandlerOptions,
  request: Request,
  schema: z.ZodMiniType,
  call: EndpointName,
): Promise<{ value: unknown } | Response> {
  if (!isJsonContentType(request.headers.get('content-type'))) return errorResponse('unsupported_media_type');
  const body = await readBodyText(request, settings.bodyLimit);
  if (!body.ok) {
    if (body.reason === 'too_large') {
      return errorResponse('payload_too_large', { message: `The body may be at most ${settings.bodyLimit} bytes.` });
    }
    if (body.reason === 'aborted') {
      // The client went away mid-body: its doing, not a server fault, so not for onError.
      notifyAborted(settings, request, call);
      return errorResponse('invalid_request', { message: 'The request body ended early.' });
    }
    return errorResponse('invalid_request', { message: 'The body is not valid UTF-8.' });
  }
  const json = parseJson(body.text);
  if (!json.ok) return errorResponse('invalid_request', { message: json.message });
  const parsed = z.safeParse(schema, json.value);
  if (!parsed.success) return invalidBody(parsed.error.issues);
  return { value: parsed.data };
}

/**
 * `invalid_request` naming the field at fault. Only the schema's own field names are reported:
 * an unknown key is the client's text, so it is not echoed.
 */
function invalidBody(issues: readonly z.core.$ZodIssue[]): Response {
  const issue = issues[0];
  if (!issue || issue.code === 'unrecognized_keys') {
    return errorResponse('invalid_request', { message: 'The body has a field this call does not take.' });
  }
  const field = issue.path[0];
  if (typeof field !== 'string') {
    return errorResponse('invalid_request', { message: 'The body must be a JSON object.' });
  }
  return errorResponse('invalid_request', { field, message: `The field "${field}" is missing or not valid.` });
}

async function perform(
  settings: ResolvedHandlerOptions,
  request: Request,
  name: EndpointName,
  user: NonNullable<Awaited<ReturnType<ResolvedHandlerOptions['getUser']>>>,
  input: unknown,
  responseSchema: z.ZodMiniType,
): Promise<Response> {
  // What the service throws (not_active, a store that is down…) is answered by the handler's catch.
  const result = await runCall(settings.totpkit, name, user, input);
  if (!result.ok) return failureResponse(result.failure);

  // The answer is checked like any backend's would be by the elements; a host hook that returns,
  // say, an issuer that is not a string is a bug to report, not a response to send.
  const checked = z.safeParse(responseSchema, result.body);
  if (!checked.success) {
    const where = checked.error.issues[0]?.path.join('.') || 'the body';
    report(
      settings,
      new Error(`totpkit: the ${name} response does not match the protocol at ${where}.`),
      request,
      name,
    );
    return errorResponse('internal_error');
  }
  const headers =
    result.verified && settings.afterVerify
      ? await settings.afterVerify({ request, user, ...result.verified })
      : undefined;
  return jsonResponse(200, result.body, headers);
}

/** The headers every answer gets last: CORS for listed origins, and no body for HEAD. */
function finish(settings: ResolvedHandlerOptions, request: Request, response: Response): Response {
  if (settings.cors) {
    for (const [name, value] of corsHeaders(request, settings.cors)) response.headers.set(name, value);
  }
  if (request.method === 'HEAD') return new Response(null, { status: response.status, headers: response.headers });
  return response;
}

function notifyAborted(settings: ResolvedHandlerOptions, request: Request, call: EndpointName): void {
  try {
    settings.onRequestAborted?.({ request, call });
  } catch {
    // A counter that throws must not turn an aborted request into a server error.
  }
}

function report(settings: ResolvedHandlerOptions, error: unknown, request: Request, call: EndpointName | null): void {
  try {
    settings.onError(error, { request, call });
  } catch {
    // A failing error reporter must not turn a 5xx into a crash.
  }
}
