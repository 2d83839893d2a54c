/**
 * Routing: the protocol's six paths under the base path, matched exactly. There is no
 * normalisation (no trailing slash, no case folding, no percent-decoding), so one request can only
 * ever mean one call.
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
