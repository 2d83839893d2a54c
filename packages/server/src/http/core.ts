/**
 * The protocol's rules, once, for every transport: the Fetch handler (handler.ts) and the Node
 * adapters (node-request.ts) each describe their request as a `ProtocolRequest` and write out the
 * `ProtocolAnswer` this returns, and do nothing else.
 *
 * A request passes these checks in this order, each answered by its own error, and only then
 * reaches the host's `getUser` and the service (docs/protocol.md, "Order of checks"):
 *   route, or a feature the service does not offer (404) → method (405) → Sec-Fetch-Site/Origin (403) → Totpkit-Protocol (400)
 *   → CSRF token (403) → Content-Type (415) → size (413) → JSON and schema (400)
 *   → code shape (400 invalid_code) → session (401) → the call.
 * So no malformed request ever costs a session lookup, a decryption or a store round trip.
 * This file and its imports use no Node-only API.
 */
import { type EndpointName, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@totpkit/protocol';
import { checkResponse } from '@totpkit/protocol/check';
import * as z from 'zod/mini';
import { isJsonContentType, readBodyText } from './body.js';
import { type CallResult, isOffered, isPlausibleCode, runCall } from './calls.js';
import { addCorsHeaders, preflightAnswer } from './cors.js';
import { originAllowed } from './csrf.js';
import { errorAnswer, failureAnswer, serviceErrorCode } from './errors.js';
import { parseJson } from './json.js';
import type { ResolvedHandlerOptions } from './options.js';
import type { ProtocolRequest } from './request.js';
import { type AnswerHeaders, hostHeaders, jsonAnswer, type ProtocolAnswer } from './respond.js';
import { createRouter, type RouteMatch, type Router } from './routes.js';
import { clearedTrustCookieHeader, readTrustCookie, trustCookieHeader } from './trust-cookie.js';

/** The protocol for one handler's options. */
export interface ProtocolCore {
  readonly router: Router;
  answer(request: ProtocolRequest): Promise<ProtocolAnswer>;
}

const PROTOCOL_VALUE = String(PROTOCOL_VERSION);
const PROTOCOL_HEADER_NAME = PROTOCOL_HEADER.toLowerCase();

export function createProtocolCore(settings: ResolvedHandlerOptions): ProtocolCore {
  const router = createRouter(settings.basePath);
  return {
    router,
    async answer(request) {
      const route = router.match(request.path);
      let answer: ProtocolAnswer;
      try {
        answer = await check(settings, request, route);
      } catch (error) {
        // The service's own errors, a host hook's (getUser, csrf.verify, afterVerify) or a bug.
        const { code, internal, retryAfter } = serviceErrorCode(error);
        if (internal) report(settings, error, request, route.kind === 'call' ? route.name : null);
        answer = errorAnswer(code, retryAfter === undefined ? {} : { retryAfter });
      }
      return finish(settings, request, answer);
    },
  };
}

/** The core behind each handler `createTotpHandler` made, for the Node adapters to call directly. */
const cores = new WeakMap<object, ProtocolCore>();

export function registerCore(handler: object, core: ProtocolCore): void {
  cores.set(handler, core);
}

/**
 * The core of a handler from `createTotpHandler`; undefined for any other function with the
 * handler's shape (a wrapper the host wrote), which the Node adapters then serve over Fetch.
 */
export function coreOf(handler: object): ProtocolCore | undefined {
  return cores.get(handler);
}

async function check(settings: ResolvedHandlerOptions, request: ProtocolRequest, route: RouteMatch) {
  // A feature the service does not offer is a path this backend does not have (protocol §5.7, §5.8).
  if (route.kind !== 'call' || !isOffered(settings.totpkit, route.name)) return errorAnswer('not_found');
  const { name, endpoint, methods } = route;

  if (request.method === 'OPTIONS' && settings.cors) {
    return preflightAnswer(request, settings.cors, methods);
  }
  if (!methods.includes(request.method)) {
    const allow = settings.cors ? [...methods, 'OPTIONS'] : methods;
    return errorAnswer('method_not_allowed', { headers: { allow: allow.join(', ') } });
  }
  if (!originAllowed(request, settings.trustedOrigins)) return errorAnswer('forbidden');
  if (request.header(PROTOCOL_HEADER_NAME) !== PROTOCOL_VALUE) {
    return errorAnswer('invalid_request', { message: `Send the header ${PROTOCOL_HEADER}: ${PROTOCOL_VALUE}.` });
  }
  if (settings.csrfToken) {
    const token = request.header(settings.csrfToken.header.toLowerCase());
    if (!(await settings.csrfToken.verify(request.hostRequest, token))) {
      return errorAnswer('forbidden', { message: 'The CSRF token is missing or not valid.' });
    }
  }

  let input: unknown;
  if (endpoint.request) {
    const parsed = await readRequest(settings, request, endpoint.request, name);
    if (!('value' in parsed)) return parsed;
    input = parsed.value;
    if (!isPlausibleCode(name, input)) return errorAnswer('invalid_code', { field: 'code' });
  }

  const user = await settings.getUser(request.hostRequest, { call: name });
  if (!user) return errorAnswer('unauthenticated');
  // A session pending its second factor answers the challenge and reads a reduced status; nothing else.
  if (user.pending === true && name !== 'verify' && name !== 'status') return errorAnswer('unauthenticated');
  return perform(settings, request, name, user, input);
}

/** Content type, size, JSON and schema: every check on the body, before anything else is done. */
async function readRequest(
  settings: ResolvedHandlerOptions,
  request: ProtocolRequest,
  schema: z.ZodMiniType,
  call: EndpointName,
): Promise<{ value: unknown } | ProtocolAnswer> {
  if (!isJsonContentType(request.header('content-type'))) return errorAnswer('unsupported_media_type');
  const body = await readBodyText(request, settings.bodyLimit);
  if (!body.ok) {
    if (body.reason === 'too_large') {
      return errorAnswer('payload_too_large', { message: `The body may be at most ${settings.bodyLimit} bytes.` });
    }
    if (body.reason === 'aborted') {
      // The client went away mid-body: its doing, not a server fault, so not for onError.
      notifyAborted(settings, request, call);
      return errorAnswer('invalid_request', { message: 'The request body ended early.' });
    }
    return errorAnswer('invalid_request', { message: 'The body is not valid UTF-8.' });
  }
  const json = parseJson(body.text);
  if (!json.ok) return errorAnswer('invalid_request', { message: json.message });
  const parsed = z.safeParse(schema, json.value);
  if (!parsed.success) return invalidBody(parsed.error.issues);
  return { value: parsed.data };
}

/**
 * `invalid_request` naming the field at fault. Only the schema's own field names are reported:
 * an unknown key is the client's text, so it is not echoed.
 */
function invalidBody(issues: readonly z.core.$ZodIssue[]): ProtocolAnswer {
  const issue = issues[0];
  if (!issue || issue.code === 'unrecognized_keys') {
    return errorAnswer('invalid_request', { message: 'The body has a field this call does not take.' });
  }
  const field = issue.path[0];
  if (typeof field !== 'string') {
    return errorAnswer('invalid_request', { message: 'The body must be a JSON object.' });
  }
  return errorAnswer('invalid_request', { field, message: `The field "${field}" is missing or not valid.` });
}

async function perform(
  settings: ResolvedHandlerOptions,
  request: ProtocolRequest,
  name: EndpointName,
  user: NonNullable<Awaited<ReturnType<ResolvedHandlerOptions['getUser']>>>,
  input: unknown,
): Promise<ProtocolAnswer> {
  // What the service throws (not_active, a store that is down…) is answered by `answer`'s catch.
  const result = await runCall(settings.totpkit, name, user, input, {
    userAgent: request.header('user-agent'),
    trustToken: readTrustCookie({ get: (header) => request.header(header) }, settings.trustCookie?.name),
  });
  if (!result.ok) return failureAnswer(result.failure);

  // The answer is checked like any backend's would be by the elements; a host hook that returns,
  // say, an issuer that is not a string is a bug to report, not a response to send. The check is
  // the elements' own (@totpkit/protocol/check: a table generated from the zod schemas, which a
  // property test holds to accepting exactly what they accept), at a quarter of zod's cost.
  const checked = checkResponse(name, result.body);
  if (!checked.ok) {
    report(
      settings,
      new Error(`totpkit: the ${name} response does not match the protocol at ${checked.problem}.`),
      request,
      name,
    );
    return errorAnswer('internal_error');
  }
  return jsonAnswer(200, result.body, await successHeaders(settings, request, user, result));
}

/** The trust cookie and whatever the host's hooks add, for a call that succeeded. */
async function successHeaders(
  settings: ResolvedHandlerOptions,
  request: ProtocolRequest,
  user: NonNullable<Awaited<ReturnType<ResolvedHandlerOptions['getUser']>>>,
  result: Extract<CallResult, { ok: true }>,
): Promise<AnswerHeaders> {
  let headers: AnswerHeaders = new Map();
  if (result.verified && settings.afterVerify) {
    const { trust, ...verified } = result.verified;
    // The token goes to the hook only when the hook is the one to set the cookie.
    const context = settings.trustCookie || trust === undefined ? verified : { ...verified, trust };
    headers = hostHeaders(await settings.afterVerify({ request: request.hostRequest, user, ...context }));
  }
  if (result.reauthenticated && settings.afterReauthenticate) {
    headers = hostHeaders(
      await settings.afterReauthenticate({ request: request.hostRequest, user, ...result.reauthenticated }),
    );
  }
  const cookie = result.cookie;
  if (cookie && settings.trustCookie) {
    const { name } = settings.trustCookie;
    const line =
      'set' in cookie
        ? trustCookieHeader(name, cookie.set.token, cookie.maxAgeSeconds)
        : clearedTrustCookieHeader(name);
    const cookies = headers.get('set-cookie');
    headers.set('set-cookie', [...(Array.isArray(cookies) ? cookies : cookies ? [cookies] : []), line]);
  }
  return headers;
}

/** What every answer gets last: CORS for listed origins, and no body for HEAD. */
function finish(settings: ResolvedHandlerOptions, request: ProtocolRequest, answer: ProtocolAnswer): ProtocolAnswer {
  if (settings.cors) addCorsHeaders(request, settings.cors, answer.headers);
  if (request.method === 'HEAD') answer.body = null;
  return answer;
}

function notifyAborted(settings: ResolvedHandlerOptions, request: ProtocolRequest, call: EndpointName): void {
  try {
    settings.onRequestAborted?.({ request: request.hostRequest, call });
  } catch {
    // A counter that throws must not turn an aborted request into a server error.
  }
}

function report(
  settings: ResolvedHandlerOptions,
  error: unknown,
  request: ProtocolRequest,
  call: EndpointName | null,
): void {
  try {
    settings.onError(error, { request: request.hostRequest, call });
  } catch {
    // A failing error reporter must not turn a 5xx into a crash.
  }
}
