/**
 * The faults the conformance kit must catch, one at a time: each is the real handler with exactly
 * one defect wrapped around it (or one hook changed), and names the kit's check designed for it.
 * Most are defects found in real backends (devise-two-factor's replay, parser differentials,
 * proxies that fold paths); every probe the kit gains should add one here.
 */
import type { TotpHandlerOptions } from '@totpkit/server/http';

export type Handler = (request: Request) => Promise<Response>;

export interface Fault {
  /** Short name for the table. */
  name: string;
  /** The kit's check built to catch it: it must be among the failures. */
  probe: string;
  wrap?: (inner: Handler) => Handler;
  /** Handler options that differ from the correct server's. */
  handler?: (correct: Partial<TotpHandlerOptions>) => Partial<TotpHandlerOptions>;
}

const isPost = (request: Request) => request.method === 'POST';
const pathOf = (request: Request) => new URL(request.url).pathname;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });

/** The request with its body replaced by `text` and the given header changes. */
function withBody(request: Request, text: string, headers: Record<string, string | null> = {}): Request {
  const copy = new Headers(request.headers);
  copy.delete('content-length');
  copy.delete('transfer-encoding');
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) copy.delete(name);
    else copy.set(name, value);
  }
  return new Request(request.url, { method: request.method, headers: copy, body: text });
}

function withHeaders(request: Request, headers: Record<string, string | null>): Request {
  const copy = new Headers(request.headers);
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) copy.delete(name);
    else copy.set(name, value);
  }
  return new Request(request, { headers: copy });
}

async function parsed(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const value = JSON.parse(await request.clone().text());
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Remembers accepted logins by code and answers a reuse with the same success. */
function replaying(accept: (body: { method?: string }) => boolean): (inner: Handler) => Handler {
  return (inner) => {
    const accepted = new Map<string, unknown>();
    return async (request) => {
      if (!pathOf(request).endsWith('/verify') || !isPost(request)) return inner(request);
      const code = String((await parsed(request))?.code ?? '').replace(/[\s-]/g, '');
      const previous = accepted.get(code);
      if (previous) return json(200, previous);
      const response = await inner(request);
      if (response.status === 200) {
        const body = await response.clone().json();
        if (accept(body)) accepted.set(code, body);
      }
      return response;
    };
  };
}

export const FAULTS: Fault[] = [
  {
    name: 'a POST without Content-Type is read as JSON',
    probe: 'a body without any Content-Type is refused with 415',
    wrap: (inner) => (request) =>
      inner(
        isPost(request) && !request.headers.has('content-type')
          ? withHeaders(request, { 'Content-Type': 'application/json' })
          : request,
      ),
  },
  {
    name: 'text/plain is read as JSON',
    probe: 'a text/plain body is refused with 415',
    wrap: (inner) => (request) =>
      inner(
        /^text\/plain/.test(request.headers.get('content-type') ?? '')
          ? withHeaders(request, { 'Content-Type': 'application/json' })
          : request,
      ),
  },
  {
    name: 'duplicate keys accepted (the last wins)',
    probe: 'duplicate keys (two well-formed codes) are refused with 400 invalid_request',
    wrap: (inner) => async (request) => {
      const body = isPost(request) ? await parsed(request) : null;
      return inner(body ? withBody(request, JSON.stringify(body)) : request);
    },
  },
  {
    name: 'unknown fields ignored',
    probe: 'an unknown field next to a well-formed code is refused with 400 invalid_request',
    wrap: (inner) => async (request) => {
      const body = isPost(request) ? await parsed(request) : null;
      if (!body) return inner(request);
      const { enrollmentToken, code } = body;
      const known = pathOf(request).endsWith('/activate') ? { enrollmentToken, code } : 'code' in body ? { code } : {};
      return inner(withBody(request, JSON.stringify(known)));
    },
  },
  {
    name: 'a client-chosen secret is used',
    probe: 'a client-chosen secret is refused with 400 invalid_request',
    wrap: (inner) => async (request) => {
      const body = isPost(request) && pathOf(request).endsWith('/totp/setup') ? await parsed(request) : null;
      if (typeof body?.secret !== 'string') return inner(request);
      const response = await inner(withBody(request, '{}'));
      if (response.status !== 200) return response;
      const setup = await response.json();
      const otpauthUrl = setup.otpauthUrl.replace(setup.secret, body.secret);
      return json(200, { ...setup, secret: body.secret, otpauthUrl, qrCode: null });
    },
  },
  {
    name: 'the body limit only on Content-Length (a chunked body is read whole)',
    probe: 'a 131072-byte chunked body without Content-Length is refused with 413',
    wrap: (inner) => async (request) => {
      if (!isPost(request) || request.headers.has('content-length')) return inner(request);
      return inner(withBody(request, (await request.text()).trimEnd()));
    },
  },
  {
    name: 'no body limit at all',
    probe: 'a 65537-byte body is refused with 413',
    wrap: (inner) => async (request) =>
      isPost(request) ? inner(withBody(request, (await request.text()).trimEnd())) : inner(request),
  },
  {
    name: '500 for malformed JSON',
    probe: 'malformed JSON is refused with 400 invalid_request',
    wrap: (inner) => async (request) => {
      if (isPost(request)) {
        try {
          JSON.parse(await request.clone().text());
        } catch {
          return json(500, { error: { code: 'internal_error', message: 'SyntaxError' } });
        }
      }
      return inner(request);
    },
  },
  {
    name: 'a lenient code format (parseInt-like: "123456a", "+123456")',
    probe: 'the current code followed by a letter is refused with 400 invalid_code',
    wrap: (inner) => async (request) => {
      const body = isPost(request) ? await parsed(request) : null;
      const match = typeof body?.code === 'string' ? /^\+?(\d{6,8})\D*$/.exec(body.code) : null;
      return inner(match ? withBody(request, JSON.stringify({ ...body, code: match[1] })) : request);
    },
  },
  {
    name: 'a TOTP code replayed',
    probe: 'the same code a second time is refused with 400 invalid_code',
    wrap: replaying((body) => body.method === 'totp'),
  },
  {
    name: 'a recovery code reused',
    probe: 'the same recovery code a second time is refused with 400 invalid_code',
    wrap: replaying((body) => body.method === 'recovery_code'),
  },
  {
    name: 'no header checks on GET (Totpkit-Protocol, Origin, Fetch Metadata)',
    probe: 'GET /status without Totpkit-Protocol is refused with 400',
    wrap: (inner) => (request) =>
      inner(
        request.method === 'GET' || request.method === 'HEAD'
          ? withHeaders(request, { 'Totpkit-Protocol': '1', Origin: null, 'Sec-Fetch-Site': null })
          : request,
      ),
  },
  {
    name: 'no CSRF token check on GET',
    probe: 'GET /status without the CSRF header is refused with 403',
    wrap: (inner) => (request) =>
      inner(request.method === 'GET' ? withHeaders(request, { [CSRF_HEADER]: CSRF_TOKEN }) : request),
  },
  {
    name: 'no Origin or Fetch Metadata checks on POST',
    probe: 'Sec-Fetch-Site: cross-site is refused with 403',
    wrap: (inner) => (request) =>
      inner(isPost(request) ? withHeaders(request, { Origin: null, 'Sec-Fetch-Site': null }) : request),
  },
  {
    name: 'any Origin reflected into Access-Control-Allow-Origin',
    probe: 'a CORS preflight from a foreign origin gets no CORS grant',
    wrap: (inner) => async (request) => {
      const response = await inner(request);
      const origin = request.headers.get('Origin');
      if (origin) response.headers.set('Access-Control-Allow-Origin', origin);
      return response;
    },
  },
  {
    name: 'no Cache-Control: no-store on reads',
    probe: 'GET /status carries Cache-Control: no-store, nosniff and Content-Type: application/json',
    wrap: (inner) => async (request) => {
      const response = await inner(request);
      if (request.method === 'GET' || request.method === 'HEAD') response.headers.delete('Cache-Control');
      return response;
    },
  },
  {
    name: 'no nosniff on HEAD',
    probe: 'HEAD /status answers 200 like GET, without a body and with the same headers',
    wrap: (inner) => async (request) => {
      const response = await inner(request);
      if (request.method === 'HEAD') response.headers.delete('X-Content-Type-Options');
      return response;
    },
  },
  {
    name: '405 without an Allow header',
    probe: 'GET on /verify is refused with 405 and Allow: POST',
    wrap: (inner) => async (request) => {
      const response = await inner(request);
      response.headers.delete('Allow');
      return response;
    },
  },
  {
    name: 'a trailing slash ignored',
    probe: '/status with a trailing slash is not the call: 404 not_found',
    wrap: (inner) => (request) => {
      const url = new URL(request.url);
      if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
      return inner(new Request(url, request));
    },
  },
  {
    name: 'a pending session treated as signed in',
    probe: 'a pending session may not set up (401 unauthenticated)',
    handler: (correct) => ({
      getUser: async (request, context) => {
        const user = await correct.getUser?.(request, context);
        return user ? { ...user, pending: false } : user;
      },
    }),
  },
  {
    name: 'the secret in the status body',
    probe: 'no response but a successful setup carries a secret or an otpauth URL',
    wrap: (inner) => {
      let secret = '';
      return async (request) => {
        const response = await inner(request);
        if (pathOf(request).endsWith('/totp/setup') && response.status === 200)
          secret = (await response.clone().json()).secret;
        if (request.method !== 'GET' || response.status !== 200 || !secret) return response;
        return json(200, { ...(await response.json()), debug: secret });
      };
    },
  },
];

export const CSRF_HEADER = 'X-CSRF-Token';
export const CSRF_TOKEN = 'conformance-csrf-token';
