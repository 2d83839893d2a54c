/**
 * Routing: the protocol's six paths under the base path, matched exactly. There is no
 * normalisation (no trailing slash, no case folding, no percent-decoding, no dot segments), so one
 * request can only ever mean one call.
 *
 * A Fetch `Request` has already lost the path as it arrived: `new Request()` resolves `..` and
 * `%2e%2e` and turns `\` into `/`. The Node adapters still hold the raw request target and route on
 * it (`pathOf(target)`; `setRawTarget` for a `Request` they make for a wrapper handler), so that
 * `/mfa/x/../verify` is a 404 there, not `verify`.
 */
import { ENDPOINT_NAMES, ENDPOINTS, type Endpoint, type EndpointName } from '@totpkit/protocol';

export type RouteMatch =
  /** Not under the base path: the host's to answer (see `TotpHandler.handles`). */
  | { kind: 'outside' }
  /** Under the base path, but no such call: 404 `not_found`. */
  | { kind: 'unknown' }
  | { kind: 'call'; name: EndpointName; endpoint: Endpoint; methods: readonly string[] };

export interface Router {
  /** True when `pathname` is the base path or below it. */
  handles(pathname: string): boolean;
  match(pathname: string): RouteMatch;
}

/** The methods each call answers: HEAD with GET (RFC 9110 §9.3.2), and only POST for changes. */
function methodsOf(endpoint: Endpoint): readonly string[] {
  return endpoint.method === 'GET' ? ['GET', 'HEAD'] : ['POST'];
}

export function createRouter(basePath: string): Router {
  const calls = new Map(
    ENDPOINT_NAMES.map((name) => {
      const endpoint: Endpoint = ENDPOINTS[name];
      return [`${basePath}${endpoint.path}`, { kind: 'call', name, endpoint, methods: methodsOf(endpoint) } as const];
    }),
  );
  const handles = (pathname: string) => basePath === '' || pathname === basePath || pathname.startsWith(`${basePath}/`);
  return {
    handles,
    match(pathname) {
      if (!handles(pathname)) return { kind: 'outside' };
      return calls.get(pathname) ?? { kind: 'unknown' };
    },
  };
}

/** The raw request target each adapter-made Request arrived with. */
const rawTargets = new WeakMap<Request, string>();

/** Records the request target as it arrived (`req.url`, Express's `originalUrl`), before any parser. */
export function setRawTarget(request: Request, target: string): void {
  rawTargets.set(request, target);
}

/** The path to route on: the raw target's when an adapter recorded one, else the URL's. */
export function pathOf(request: Request | string): string {
  const target = typeof request === 'string' ? request : rawTargets.get(request);
  if (target === undefined) return new URL((request as Request).url).pathname;
  return target.split(/[?#]/, 1)[0] ?? '';
}
