/**
 * The conformance kit is itself tested: pointed at deliberately broken backends, it must fail and
 * name the check that caught each defect. Each backend is the real handler with one defect
 * wrapped around it, over real HTTP.
 */
import { type CheckResult, runConformance } from '@totpkit/protocol/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, newSession, startBackend } from './support.js';

type Handler = (request: Request) => Promise<Response>;

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

let userId = '';

async function failuresAgainst(wrap: (handler: Handler) => Handler): Promise<CheckResult[]> {
  backend = await startBackend('node', { wrap });
  const session = newSession();
  userId = session.userId;
  const report = await runConformance({
    baseUrl: backend.baseUrl,
    headers: { Cookie: session.cookie },
    pendingHeaders: { Cookie: session.cookie },
    clock: backend.clock,
  });
  expect(report.ok).toBe(false);
  return report.results.filter((result) => !result.ok);
}

const names = (results: CheckResult[]) => results.map((result) => result.name);
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    },
  });

/** Accepts a code a second time, as devise-two-factor did before CVE-2015-7225 was fixed. */
function acceptingReplays(inner: Handler): Handler {
  const accepted = new Map<string, unknown>();
  return async (request) => {
    if (!request.url.endsWith('/verify')) return inner(request);
    const code = String((await request.clone().json()).code).replace(/[\s-]/g, '');
    const previous = accepted.get(code);
    if (previous) return json(200, previous);
    const response = await inner(request);
    if (response.status === 200) accepted.set(code, await response.clone().json());
    return response;
  };
}

describe('the conformance kit against broken backends', () => {
  it('catches a backend that accepts a replayed code', async () => {
    const failed = names(await failuresAgainst(acceptingReplays));
    expect(failed).toContain('the same code a second time is refused with 400 invalid_code');
    expect(failed).toContain('the same recovery code a second time is refused with 400 invalid_code');
  });

  it('catches a backend that answers 500 to malformed JSON', async () => {
    const failures = await failuresAgainst((inner) => async (request) => {
      if (request.method === 'POST') {
        try {
          JSON.parse(await request.clone().text());
        } catch {
          return json(500, { error: { code: 'internal_error', message: 'SyntaxError' } });
        }
      }
      return inner(request);
    });
    expect(names(failures)).toContain('malformed JSON is refused with 400 invalid_request');
    expect(names(failures)).toContain('no response is a 5xx or a dropped connection');
    const malformed = failures.find((result) => result.name === 'malformed JSON is refused with 400 invalid_request');
    expect(malformed).toMatchObject({
      expected: '400 invalid_request',
      received: expect.stringMatching(/^500 internal_error to POST \/verify/),
    });
  });

  it('catches a backend that forgets Cache-Control: no-store', async () => {
    const failures = await failuresAgainst((inner) => async (request) => {
      const response = await inner(request);
      response.headers.delete('Cache-Control');
      return response;
    });
    expect(names(failures)).toContain('every response has Cache-Control: no-store');
    expect(names(failures)).toContain(
      'GET /status carries Cache-Control: no-store, nosniff and Content-Type: application/json',
    );
  });

  it('catches a backend that ignores unknown fields, so a client could send its own secret', async () => {
    const failures = await failuresAgainst((inner) => async (request) => {
      if (request.method !== 'POST') return inner(request);
      const text = await request.clone().text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return inner(request);
      }
      if (typeof body !== 'object' || body === null || !('secret' in body)) return inner(request);
      const { secret: _dropped, ...known } = body as Record<string, unknown>;
      return inner(new Request(request, { body: JSON.stringify(known) }));
    });
    expect(names(failures)).toContain('a client-chosen secret is refused with 400 invalid_request');
    expect(names(failures)).toContain('an unknown field (a client-chosen secret) is refused with 400 invalid_request');
  });

  it('catches a backend without Origin or Fetch Metadata checks', async () => {
    const failed = names(
      await failuresAgainst((inner) => async (request) => {
        const headers = new Headers(request.headers);
        headers.delete('Origin');
        headers.delete('Sec-Fetch-Site');
        return inner(new Request(request, { headers }));
      }),
    );
    expect(failed).toContain('Sec-Fetch-Site: cross-site is refused with 403');
    expect(failed).toContain('a foreign Origin is refused with 403 and no CORS grant');
    expect(failed).toContain('Origin: null is refused with 403 and no CORS grant');
  });

  it('catches a backend that reflects any Origin into Access-Control-Allow-Origin', async () => {
    const failures = await failuresAgainst((inner) => async (request) => {
      const response = await inner(request);
      const origin = request.headers.get('Origin');
      if (origin) response.headers.set('Access-Control-Allow-Origin', origin);
      return response;
    });
    expect(names(failures)).toContain('an Origin that only ends with the host is refused with 403 and no CORS grant');
    expect(names(failures)).toContain('a CORS preflight from a foreign origin gets no CORS grant');
    expect(names(failures)).toContain('no response grants CORS access to any origin (*) or to null');
  });

  it('catches a backend that puts the secret in the status body, and cleans up after a failed step', async () => {
    let secret = '';
    const failures = await failuresAgainst((inner) => async (request) => {
      const response = await inner(request);
      if (request.url.endsWith('/totp/setup') && response.status === 200)
        secret = (await response.clone().json()).secret;
      if (request.url.endsWith('/verify') && response.status === 200) {
        // Breaks the login challenge: no recovery code count, so a required check fails midway.
        return json(200, { method: 'totp', recoveryCodesLeft: -1, debug: secret });
      }
      return response;
    });
    expect(names(failures)).toContain('the current code, typed with a space, is accepted (method totp)');
    expect(names(failures)).toContain('no response but a successful setup carries a secret or an otpauth URL');
    expect(names(failures)).not.toContain('the test account is left without TOTP after the failure');
    expect(await backend?.totpkit.status({ id: userId })).toMatchObject({ active: false });
  });
});
