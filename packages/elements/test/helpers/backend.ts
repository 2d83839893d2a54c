/**
 * A stub protocol backend for element tests: a `fetch` that answers from per-route queues and
 * records every call. The last reply of a queue repeats, so a route set once answers forever.
 */
import { ERROR_STATUS, type ErrorCode } from '@totpkit/protocol';

/** One recorded request. */
export interface RecordedCall {
  method: string;
  url: string;
  /** The path after the endpoint, such as `/totp/setup`. */
  path: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: Record<string, unknown> | undefined;
}

/** A reply: a JSON body with a status, a raw Response, or an Error that fetch throws. */
export type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | Response | Error;

export class StubBackend {
  readonly calls: RecordedCall[] = [];
  private readonly routes = new Map<string, Reply[]>();
  private readonly gates = new Map<string, Promise<void>>();

  constructor(private readonly endpoint = '/mfa') {}

  /** Queues replies for `route`, such as `'POST /totp/setup'`. */
  on(route: string, ...replies: Reply[]): this {
    this.routes.set(route, replies);
    return this;
  }

  /** Holds every answer on `route` until the returned function is called. */
  hold(route: string): () => void {
    let release = () => {};
    this.gates.set(
      route,
      new Promise((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.gates.delete(route);
      release();
    };
  }

  /** The calls to `route`. */
  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((call) => `${call.method} ${call.path}` === route);
  }

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const path = url.startsWith(this.endpoint) ? url.slice(this.endpoint.length) : url;
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    this.calls.push({ method, url, path, headers: new Headers(init.headers), credentials: init.credentials, body });
    const route = `${method} ${path}`;
    await this.gates.get(route);
    const queue = this.routes.get(route);
    const reply = queue && (queue.length > 1 ? queue.shift() : queue[0]);
    if (!reply) return json(404, { error: { code: 'invalid_request', message: `no stub for ${route}` } });
    if (reply instanceof Error) throw reply;
    if (reply instanceof Response) return reply.clone();
    return json(reply.status ?? 200, reply.body, reply.headers);
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const OTPAUTH_URL = `otpauth://totp/Example:alice%40example.com?secret=${SECRET}&issuer=Example&algorithm=SHA1&digits=6&period=30`;
export const CODES = [
  'k7m2q-9xw4t',
  'a1b2c-3d4e5',
  'f6g7h-8j9k0',
  'm1n2p-3q4r5',
  's6t7v-8w9x0',
  'y1z2a-3b4c5',
  'd6e7f-8g9h0',
  'j1k2m-3n4p5',
  'q6r7s-8t9v0',
  'w1x2y-3z4a5',
];

/** What a backend of issue 17 offers in its status (`features`); absent from older backends. */
export interface Features {
  trustedBrowsers: { maxDays: number } | null;
  codeReauthentication: boolean;
}

/** A status body; override any part. Without `features`, the status of a backend older than them. */
export function status(
  overrides: {
    active?: boolean;
    unused?: number;
    total?: number;
    reauth?: boolean;
    digits?: number;
    features?: Features;
  } = {},
) {
  const active = overrides.active ?? false;
  return {
    body: {
      ...(overrides.features && { features: overrides.features }),
      totp: {
        active,
        createdAt: active ? '2026-01-02T03:04:05Z' : null,
        lastUsedAt: null,
      },
      recoveryCodes: active ? { total: overrides.total ?? 10, unused: overrides.unused ?? 10 } : null,
      config: { digits: overrides.digits ?? 6, period: 30 },
      reauthenticationRequired: overrides.reauth ?? false,
    },
  };
}

/** A setup body; `qrCode: null` makes the element draw the QR itself. */
export function setup(overrides: Record<string, unknown> = {}) {
  return {
    body: {
      secret: SECRET,
      otpauthUrl: OTPAUTH_URL,
      qrCode: null,
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      issuer: 'Example',
      accountName: 'alice@example.com',
      enrollmentToken: 'enrollment-token-1',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      ...overrides,
    },
  };
}

/** A protocol error with its usual status. */
export function failure(code: ErrorCode, extra: { retryAfter?: number } = {}): Reply {
  const headers: Record<string, string> = {};
  if (extra.retryAfter !== undefined) headers['Retry-After'] = String(extra.retryAfter);
  return { status: ERROR_STATUS[code], body: { error: { code, message: `stub ${code}`, ...extra } }, headers };
}

/** A backend with TOTP off, ready to set up and activate. */
export function inactiveBackend(): StubBackend {
  return new StubBackend()
    .on('GET /status', status())
    .on('POST /totp/setup', setup())
    .on('POST /totp/activate', { body: { recoveryCodes: CODES } });
}
