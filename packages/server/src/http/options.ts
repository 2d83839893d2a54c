/**
 * `createTotpHandler` options, checked once when the handler is created. Mistakes that would weaken
 * the handler's defences (a CORS wildcard, a `null` origin, a body limit outside the protocol's
 * bounds) throw `invalid_configuration` then, rather than surface as odd answers later.
 */
import { type EndpointName, MAX_BODY_LIMIT, MIN_BODY_LIMIT, PROTOCOL_HEADER } from '@totpkit/protocol';
import { TotpkitError } from '../errors.js';
import type { Totpkit } from '../service/totpkit.js';
import type { BrowserTrust, CodeMethod, TotpUser } from '../service/types.js';
import type { HeadersInput } from './respond.js';

/** Which call a request is for, so `getUser` can tell the login challenge from the rest. */
export interface CallContext {
  call: EndpointName;
}

/** The host's CSRF token check, on top of the protocol header and the Origin checks. */
export interface CsrfOptions {
  /**
   * Origins besides the request's own that may call, for example the public origin when a proxy
   * rewrites the Host. Exact serialised origins: `https://app.example`.
   */
  trustedOrigins?: string[];
  /** The request header that carries the token, such as `X-CSRF-Token`. Needs `verify`. */
  header?: string;
  /** True when `token` (the header's value, or null when absent) is valid for this request. */
  verify?(request: Request, token: string | null): boolean | Promise<boolean>;
}

/** Cross-origin access for the elements on another origin. Without it, only same-origin calls work. */
export interface CorsOptions {
  /** Exact origins, such as `https://app.example`. No wildcards, no `null`, no patterns (ASVS 4.0.3 §14.5.3). */
  origins: string[];
  /** Send `Access-Control-Allow-Credentials: true`, for cookie sessions. Default true. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. Default 600. */
  maxAge?: number;
  /**
   * More request headers a listed origin may send, such as `Authorization` for apps that
   * authenticate with bearer tokens (the elements' `headers` property). Exact header names, no `*`.
   * `Content-Type`, `Totpkit-Protocol` and the `csrf.header` are always allowed.
   */
  allowHeaders?: string[];
}

/** What `afterVerify` learns about a successful login challenge. */
export interface VerifiedContext {
  request: Request;
  user: TotpUser;
  method: CodeMethod;
  recoveryCodesLeft: number | null;
  /**
   * With `trustCookie: false` only, when the request asked to trust the browser: the trust to put
   * in the host's own cookie (null when the service does not trust browsers). With the default
   * `trustCookie` the handler sets the cookie itself and this is absent, so the token is never
   * handed to code that has no use for it.
   */
  trust?: BrowserTrust | null;
}

/** What `afterReauthenticate` learns about a successful reauthentication by code. */
export interface ReauthenticatedContext {
  request: Request;
  user: TotpUser;
  method: CodeMethod;
  recoveryCodesLeft: number | null;
}

/** The trusted-browser cookie's name; the attributes are fixed (docs/http.md, "Trusted browsers"). */
export interface TrustCookieOptions {
  /** Default `__Host-totpkit-trust`. */
  name?: string;
}

/** The trust cookie's default name: `__Host-` makes the browser refuse it without Secure and Path=/, or with a Domain. */
export const DEFAULT_TRUST_COOKIE = '__Host-totpkit-trust';

export interface TotpHandlerOptions {
  /** The service from `createTotpkit`. */
  totpkit: Totpkit;
  /**
   * The host's session lookup: the signed-in user, or null for a 401. For `verify` (the login
   * challenge) return the user whose second factor is pending; for the other calls, a user who has
   * fully signed in. The handler calls it only after the request has passed every check.
   *
   * Behind the node:http, Express and Fastify adapters, `request` (here and in the other hooks) is
   * a view of the Node request with the `Request` interface: `method`, `url` and `headers` are read
   * from the Node request, and a Fetch `Request` is made only if another member is read.
   * `originalRequest(request)` returns the framework's own request.
   */
  getUser(request: Request, context: CallContext): TotpUser | null | undefined | Promise<TotpUser | null | undefined>;
  /** Where the protocol is mounted, such as `/mfa`; the elements' `endpoint`. Use '' for the root. */
  basePath: string;
  /** An extra CSRF token check, and origins to trust besides the request's own. */
  csrf?: CsrfOptions;
  /** Largest request body in bytes. Default 4096; between 4096 and 65536 (docs/protocol.md). */
  bodyLimit?: number;
  /** Cross-origin access. Default: none (same origin only). */
  cors?: CorsOptions;
  /**
   * Called after a successful `verify`, to complete the login: mark the session as two-factor
   * authenticated and rotate its id (OWASP ASVS 5.0 §7.2.4). Headers it returns, such as
   * `Set-Cookie`, are added to the response. If it throws, the answer is 500.
   */
  afterVerify?(context: VerifiedContext): HeadersInput | undefined | Promise<HeadersInput | undefined>;
  /**
   * Called after a successful `reauthenticate` (a signed-in user confirmed with a code): record
   * "recently authenticated" in the session, as a password reauthentication would. Headers it
   * returns are added to the response. If it throws, the answer is 500.
   */
  afterReauthenticate?(context: ReauthenticatedContext): HeadersInput | undefined | Promise<HeadersInput | undefined>;
  /**
   * The cookie that marks a trusted browser, set when a verify asked for trust (`trustBrowserDays`)
   * and the service has `trustedBrowsers` on. `false`: the handler sets no cookie, and
   * `afterVerify` receives `trust` for a framework that owns its cookies to set. Default
   * `{ name: '__Host-totpkit-trust' }`.
   */
  trustCookie?: TrustCookieOptions | false;
  /**
   * Receives what made a request fail with 500 or 503: a host bug or an unavailable store. Errors
   * carry no secret or code. Default: `console.error`.
   */
  onError?(error: unknown, context: { request: Request; call: EndpointName | null }): void;
  /**
   * Called for each request whose body ended early: the client aborted, or its connection was
   * reset. That is not a server fault, so it never reaches `onError`; count it here if you watch
   * for floods. The request is answered `400 invalid_request` (if anyone is still listening).
   */
  onRequestAborted?(context: { request: Request; call: EndpointName }): void;
}

/** The options after validation. */
export interface ResolvedHandlerOptions {
  totpkit: Totpkit;
  getUser: TotpHandlerOptions['getUser'];
  basePath: string;
  bodyLimit: number;
  /** Origins whose requests pass the Origin check: `csrf.trustedOrigins` and `cors.origins`. */
  trustedOrigins: ReadonlySet<string>;
  csrfToken: { header: string; verify: NonNullable<CsrfOptions['verify']> } | null;
  cors: {
    origins: ReadonlySet<string>;
    credentials: boolean;
    maxAge: number;
    /**
     * Every request header a listed origin may send, once each (header names are case-insensitive):
     * those the protocol needs, the CSRF header, then `cors.allowHeaders`.
     */
    allowHeaders: readonly string[];
  } | null;
  afterVerify: TotpHandlerOptions['afterVerify'] | null;
  afterReauthenticate: TotpHandlerOptions['afterReauthenticate'] | null;
  /** The trust cookie's name; null when the host sets its own (`trustCookie: false`). */
  trustCookie: { name: string } | null;
  onError: NonNullable<TotpHandlerOptions['onError']>;
  onRequestAborted: TotpHandlerOptions['onRequestAborted'] | null;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 9110 §5.6.2

function invalid(message: string): never {
  throw new TotpkitError('invalid_configuration', `createTotpHandler: ${message}`);
}

/** An exact serialised http(s) origin; anything else, `null` and `*` included, is refused. */
function checkOrigin(origin: unknown, where: string): string {
  let parsed: URL | null = null;
  try {
    parsed = typeof origin === 'string' ? new URL(origin) : null;
  } catch {
    // reported below
  }
  const hostname = parsed?.hostname ?? '';
  const plainHost = /^[a-z0-9.-]+$/.test(hostname) || /^\[[0-9a-f:.]+\]$/.test(hostname); // no wildcard or pattern
  if (
    !parsed ||
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    parsed.origin !== origin ||
    !plainHost
  ) {
    invalid(`${where} must list exact origins such as "https://app.example" (no path, no wildcard, no "null").`);
  }
  return origin as string;
}

function normalizeBasePath(basePath: unknown): string {
  if (typeof basePath !== 'string') invalid('basePath is required, such as "/mfa" ("" for the root).');
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed !== '' && (!trimmed.startsWith('/') || /[?#\s]/.test(trimmed))) {
    invalid('basePath must be a path starting with "/", such as "/mfa".');
  }
  return trimmed;
}

function resolveTrustCookie(option: TotpHandlerOptions['trustCookie']): ResolvedHandlerOptions['trustCookie'] {
  if (option === false) return null;
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    invalid('trustCookie must be { name? } or false.');
  }
  const name = option?.name ?? DEFAULT_TRUST_COOKIE;
  // A cookie-name is a token (RFC 6265 §4.1.1); anything else would break the Set-Cookie line.
  if (typeof name !== 'string' || !TOKEN.test(name)) invalid('trustCookie.name must be a cookie name.');
  return { name };
}

/** @throws TotpkitError `invalid_configuration` */
export function resolveHandlerOptions(options: TotpHandlerOptions): ResolvedHandlerOptions {
  if (!options || typeof options.totpkit?.verify !== 'function') invalid('totpkit (from createTotpkit) is required.');
  if (typeof options.getUser !== 'function') invalid('getUser(request) is required: it is your session lookup.');
  const bodyLimit = options.bodyLimit ?? MIN_BODY_LIMIT;
  if (!Number.isInteger(bodyLimit) || bodyLimit < MIN_BODY_LIMIT || bodyLimit > MAX_BODY_LIMIT) {
    invalid(`bodyLimit must be an integer from ${MIN_BODY_LIMIT} to ${MAX_BODY_LIMIT} bytes.`);
  }

  const csrf = options.csrf ?? {};
  if ((csrf.header === undefined) !== (csrf.verify === undefined)) invalid('csrf.header and csrf.verify go together.');
  if (csrf.header !== undefined && !TOKEN.test(csrf.header)) invalid('csrf.header must be a header name.');
  const trusted = (csrf.trustedOrigins ?? []).map((origin) => checkOrigin(origin, 'csrf.trustedOrigins'));

  let cors: ResolvedHandlerOptions['cors'] = null;
  if (options.cors) {
    const origins = (options.cors.origins ?? []).map((origin) => checkOrigin(origin, 'cors.origins'));
    if (origins.length === 0)
      invalid('cors.origins must list at least one origin; leave cors out for same-origin use.');
    const maxAge = options.cors.maxAge ?? 600;
    if (!Number.isInteger(maxAge) || maxAge < 0) invalid('cors.maxAge must be a whole number of seconds.');
    const allowHeaders = new Map<string, string>();
    const required = ['Content-Type', PROTOCOL_HEADER, ...(csrf.header ? [csrf.header] : [])];
    for (const name of [...required, ...(options.cors.allowHeaders ?? [])]) {
      // `*` is a token too, but in Access-Control-Allow-Headers it would grant every header.
      if (typeof name !== 'string' || !TOKEN.test(name) || name === '*') {
        invalid(`cors.allowHeaders must list header names such as "Authorization" (got ${JSON.stringify(name)}).`);
      }
      if (!allowHeaders.has(name.toLowerCase())) allowHeaders.set(name.toLowerCase(), name);
    }
    cors = {
      origins: new Set(origins),
      credentials: options.cors.credentials ?? true,
      maxAge,
      allowHeaders: [...allowHeaders.values()],
    };
    trusted.push(...origins);
  }

  return {
    totpkit: options.totpkit,
    getUser: options.getUser,
    basePath: normalizeBasePath(options.basePath),
    bodyLimit,
    trustedOrigins: new Set(trusted),
    csrfToken: csrf.header && csrf.verify ? { header: csrf.header, verify: csrf.verify } : null,
    cors,
    afterVerify: options.afterVerify ?? null,
    afterReauthenticate: options.afterReauthenticate ?? null,
    trustCookie: resolveTrustCookie(options.trustCookie),
    onError: options.onError ?? ((error) => console.error('totpkit: a request failed on the server side.', error)),
    onRequestAborted: options.onRequestAborted ?? null,
  };
}
