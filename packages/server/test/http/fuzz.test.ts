/**
 * Fuzzing over real HTTP: random JSON values, random bytes and random headers never get a 5xx, a
 * dropped connection or a crash, and every answer has the protocol's headers and, for errors, the
 * envelope. Each adapter is fuzzed, because each has its own path from socket to handler.
 */
import { ERROR_CODES } from '@totpkit/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type Backend, newSession, protocolHeaders, startBackend } from './support.js';

const PATHS = ['/status', '/totp/setup', '/totp/activate', '/totp/deactivate', '/verify', '/recovery-codes/regenerate'];
const RUNS = 60;

/** Header names a client controls without breaking HTTP framing (no Content-Length, Host, …). */
const HEADER_NAMES = [
  'content-type',
  'totpkit-protocol',
  'origin',
  'sec-fetch-site',
  'cookie',
  'accept',
  'x-csrf-token',
  'access-control-request-method',
  'x-forwarded-for',
  'x-anything',
];
const headerValue = fc.string({
  unit: fc.constantFrom(...' !"#%&()*+,-./0123456789:;<=>?@AZaz[]_{|}~é'),
  maxLength: 40,
});
const interestingValue = fc.oneof(
  headerValue,
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    '1',
    '2',
    'cross-site',
    'same-origin',
    'null',
  ),
);

describe.each(ADAPTERS)('fuzzing the handler behind %s', (kind) => {
  let backend: Backend;
  const { cookie } = newSession();
  beforeAll(async () => {
    backend = await startBackend(kind);
  });
  afterAll(() => backend.close());

  async function expectWellFormed(response: Response, method: string): Promise<void> {
    const text = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    if (response.status >= 400 && method !== 'HEAD') {
      const body = JSON.parse(text);
      expect(ERROR_CODES).toContain(body.error.code);
      expect(typeof body.error.message).toBe('string');
    }
  }

  it('never fails on random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS.slice(1)), fc.jsonValue({ maxDepth: 4 }), async (path, value) => {
        const response = await fetch(`${backend.baseUrl}${path}`, {
          method: 'POST',
          headers: protocolHeaders(cookie),
          body: JSON.stringify(value),
        });
        await expectWellFormed(response, 'POST');
      }),
      { numRuns: RUNS },
    );
  });

  it('never fails on random bodies shaped like requests', async () => {
    const field = fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 2 }));
    const body = fc.record({ code: field, enrollmentToken: field, secret: field }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS.slice(1)), body, async (path, value) => {
        const response = await fetch(`${backend.baseUrl}${path}`, {
          method: 'POST',
          headers: protocolHeaders(cookie),
          body: JSON.stringify(value),
        });
        await expectWellFormed(response, 'POST');
      }),
      { numRuns: RUNS },
    );
  });

  it('never fails on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.uint8Array({ maxLength: 6000 }), async (path, bytes) => {
        const response = await fetch(`${backend.baseUrl}${path}`, {
          method: 'POST',
          headers: protocolHeaders(cookie),
          body: bytes,
        });
        await expectWellFormed(response, 'POST');
      }),
      { numRuns: RUNS },
    );
  });

  it('never fails on random methods, paths and headers', async () => {
    const headers = fc.dictionary(fc.constantFrom(...HEADER_NAMES), interestingValue, { maxKeys: 6 });
    const path = fc.oneof(
      fc.constantFrom(...PATHS, '', '/', '/status/', '/totp'),
      fc.webPath().map((p) => `/${p}`),
    );
    const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(method, path, headers, fc.constantFrom('{}', '{"code":"123456"}', 'x'), async (m, p, h, b) => {
        const response = await fetch(`${backend.baseUrl}${p}`, {
          method: m,
          headers: h,
          body: m === 'GET' || m === 'HEAD' ? undefined : b,
        });
        await expectWellFormed(response, m);
      }),
      { numRuns: RUNS },
    );
  });
});
