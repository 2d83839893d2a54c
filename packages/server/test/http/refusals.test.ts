/**
 * Bad input is refused with the error envelope, over real HTTP, behind each adapter: malformed
 * JSON, wrong content types, wrong methods, oversized bodies (with and without Content-Length),
 * unknown fields, a missing protocol header, cross-site requests and foreign origins
 * (reference/security.md checklist items 3, 33, 34 and 36).
 */
import { ERROR_STATUS, type ErrorCode } from '@totpkit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type Backend, newSession, protocolHeaders, startBackend } from './support.js';

interface Case {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string | null>;
  /** A function for a stream, which can be sent only once. */
  body?: BodyInit | (() => BodyInit);
  code: ErrorCode;
  field?: string;
}

const oversized = `{"code":null}${' '.repeat(70_000)}`;
const chunked = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 1000));
      offset += 1000;
    },
  });
};

const CASES: Case[] = [
  { name: 'malformed JSON', body: '{"code":', code: 'invalid_request' },
  { name: 'an empty body', body: '', code: 'invalid_request' },
  { name: 'a JSON array', body: '["123456"]', code: 'invalid_request' },
  { name: 'duplicate keys', body: '{"code":"123456","code":"654321"}', code: 'invalid_request' },
  { name: 'escaped duplicate keys', body: '{"code":"123456","co\\u0064e":"654321"}', code: 'invalid_request' },
  { name: 'invalid UTF-8', body: Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), code: 'invalid_request' },
  {
    name: 'text/plain',
    headers: { 'Content-Type': 'text/plain' },
    body: '{"code":"123456"}',
    code: 'unsupported_media_type',
  },
  {
    name: 'a form',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'code=123456',
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON in another charset',
    headers: { 'Content-Type': 'application/json; charset=iso-8859-1' },
    body: '{"code":"123456"}',
    code: 'unsupported_media_type',
  },
  {
    name: 'no Content-Type',
    headers: { 'Content-Type': null },
    body: '{"code":"123456"}',
    code: 'unsupported_media_type',
  },
  { name: 'GET on a POST call', method: 'GET', code: 'method_not_allowed' },
  { name: 'PUT on a POST call', method: 'PUT', body: '{}', code: 'method_not_allowed' },
  { name: 'POST on status', path: '/status', body: '{}', code: 'method_not_allowed' },
  { name: 'a body over the limit', body: oversized, code: 'payload_too_large' },
  { name: 'a chunked body over the limit', body: () => chunked(oversized), code: 'payload_too_large' },
  { name: 'an unknown extra field', body: '{"code":"123456","sneaky":"JBSWY3DP"}', code: 'invalid_request' },
  { name: 'a code that is a number', body: '{"code":123456}', code: 'invalid_request', field: 'code' },
  { name: 'a code that cannot be one', body: '{"code":"12345a"}', code: 'invalid_code', field: 'code' },
  { name: 'a missing Totpkit-Protocol', headers: { 'Totpkit-Protocol': null }, body: '{}', code: 'invalid_request' },
  { name: 'Totpkit-Protocol: 2', headers: { 'Totpkit-Protocol': '2' }, body: '{}', code: 'invalid_request' },
  { name: 'Sec-Fetch-Site: cross-site', headers: { 'Sec-Fetch-Site': 'cross-site' }, body: '{}', code: 'forbidden' },
  { name: 'Sec-Fetch-Site: same-site', headers: { 'Sec-Fetch-Site': 'same-site' }, body: '{}', code: 'forbidden' },
  { name: 'a foreign Origin', headers: { Origin: 'https://evil.example' }, body: '{}', code: 'forbidden' },
  { name: 'Origin: null', headers: { Origin: 'null' }, body: '{}', code: 'forbidden' },
  { name: 'an unknown call', path: '/nope', method: 'GET', code: 'not_found' },
  { name: 'the base path itself', path: '', method: 'GET', code: 'not_found' },
  { name: 'a trailing slash', path: '/status/', method: 'GET', code: 'not_found' },
  { name: 'a percent-encoded call', path: '/%73tatus', method: 'GET', code: 'not_found' },
  { name: 'no session', headers: { Cookie: null }, body: '{"code":"123456"}', code: 'unauthenticated' },
];

describe.each(ADAPTERS)('bad input behind %s', (kind) => {
  let backend: Backend;
  const { cookie } = newSession();
  beforeAll(async () => {
    backend = await startBackend(kind);
  });
  afterAll(() => backend.close());

  async function send(c: Omit<Case, 'code' | 'name'>): Promise<Response> {
    const headers = new Headers(protocolHeaders(cookie));
    for (const [name, value] of Object.entries(c.headers ?? {})) {
      if (value === null) headers.delete(name);
      else headers.set(name, value);
    }
    const body = typeof c.body === 'function' ? c.body() : c.body;
    const init: RequestInit & { duplex?: 'half' } = { method: c.method ?? 'POST', headers, body };
    if (body instanceof ReadableStream) init.duplex = 'half';
    return fetch(`${backend.baseUrl}${c.path ?? '/verify'}`, init);
  }

  it.each(CASES)('refuses $name with $code', async (c) => {
    const response = await send(c);
    expect(response.status).toBe(ERROR_STATUS[c.code]);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await response.json();
    expect(body).toEqual({
      error: { code: c.code, message: expect.any(String), ...(c.field ? { field: c.field } : {}) },
    });
    // Nothing the client sent comes back.
    expect(JSON.stringify(body)).not.toMatch(/sneaky|JBSWY3DP|123456|12345a|evil/);
  });

  it('answers 405 with the Allow header, and HEAD without a body', async () => {
    expect((await send({ method: 'GET' })).headers.get('allow')).toBe('POST');
    expect((await send({ path: '/status', body: '{}' })).headers.get('allow')).toBe('GET, HEAD');
    const head = await send({ method: 'HEAD', path: '/totp/setup' });
    expect(head.status).toBe(405);
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(await head.text()).toBe('');
  });

  it('still reads a chunked body under the limit', async () => {
    const response = await send({ body: chunked(`{"code":"123456"${' '.repeat(3000)}}`) });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_active' } });
  });

  it('answers a same-origin browser request, and one without browser headers', async () => {
    const browsers: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'same-origin', Origin: backend.origin },
      { Origin: backend.origin },
      {},
    ];
    for (const headers of browsers) {
      const response = await send({ method: 'GET', path: '/status', headers });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ totp: { active: false } });
    }
  });

  it('lets requests outside the base path through to the host', async () => {
    const response = await fetch(`${backend.origin}/elsewhere`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ from: kind });
  });

  it('keeps the connection usable after refusing an oversized body', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await send({ body: chunked(oversized) })).status).toBe(413);
      expect((await send({ method: 'GET', path: '/status' })).status).toBe(200);
    }
  });
});
