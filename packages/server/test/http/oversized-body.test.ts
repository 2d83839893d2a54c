/**
 * An oversized body streamed without Content-Length gets its 413 after the handler has read, and
 * thrown away, up to 1 MiB more of it: a server that answers and closes while the client is still
 * sending makes the client see a connection reset, and lose the 413 (workerd did, in the runtime
 * matrix). Past that the stream is cancelled, so a huge body costs no more than that.
 */
import { describe, expect, it } from 'vitest';
import { createTotpHandler } from '../../src/http/index.js';
import { createTotpkit, generateEncryptionKey, MemoryStore } from '../../src/index.js';
import { sessionUser } from './support.js';

const totpkit = createTotpkit({
  issuer: 'oversized bodies',
  store: new MemoryStore(),
  keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
});
const handler = createTotpHandler({ totpkit, basePath: '/mfa', getUser: sessionUser });
const headers = { 'Totpkit-Protocol': '1', 'Content-Type': 'application/json', Cookie: 'session=big-body' };
const CHUNK = 16 * 1024;

/** A chunked request body of `total` bytes that records how much was pulled and whether it was cancelled. */
function streamedBody(total: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= total) return controller.close();
      controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      seen.pulled += CHUNK;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  const request = new Request('https://app.example/mfa/verify', {
    method: 'POST',
    headers,
    body,
    duplex: 'half',
  } as RequestInit);
  return { request, seen };
}

describe('an oversized streamed body', () => {
  it('is read to its end when it is at most 1 MiB over the limit, then answered 413', async () => {
    const { request, seen } = streamedBody(128 * 1024);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(seen).toEqual({ pulled: 128 * 1024, cancelled: false });
  });

  it('is cancelled once 1 MiB past the limit has been thrown away, and still answered 413', async () => {
    const { request, seen } = streamedBody(64 * 1024 * 1024);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeGreaterThan(1024 * 1024);
    expect(seen.pulled).toBeLessThan(1024 * 1024 + 64 * 1024 + 4 * CHUNK);
  });
});
