/**
 * Reading a request body: JSON only, and never more than the limit.
 *
 * The limit is enforced on the bytes actually read from the stream, chunk by chunk: a
 * `Content-Length` over the limit is refused without reading, but a body without one (chunked) or
 * with a wrong one is still cut off at the limit, so no request can make the server buffer more
 * (OWASP REST Security Cheat Sheet, "Input validation"; ASVS 5.0 §15.3.7 on content checks).
 */
import { PROTOCOL_MEDIA_TYPE } from '@totpkit/protocol';
import { isTotpkitError } from '../errors.js';
import type { BodyReader, ProtocolRequest } from './request.js';

/**
 * True for `application/json`, with at most a `charset=utf-8` parameter (RFC 8259 §8.1: JSON is
 * UTF-8). `text/plain` and the form types, which a cross-site form can send without a preflight,
 * are refused (ASVS 4.0.3 §13.2.5).
 */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const [type, ...parameters] = header.split(';');
  if (type?.trim().toLowerCase() !== PROTOCOL_MEDIA_TYPE) return false;
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=');
    if (name?.trim().toLowerCase() !== 'charset') return true;
    return value.trim().replace(/^"|"$/g, '').toLowerCase() === 'utf-8';
  });
}

export type BodyText = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'not_utf8' | 'aborted' };

/**
 * How much of an oversized body is still read, and thrown away, before the 413. A server that
 * answers and closes while the client is still sending makes the client's TCP stack see a reset,
 * which discards the 413 unread (workerd did so for a 128 KiB chunked body). Past this much the
 * stream is cancelled: the Node adapters then discard the rest themselves, and elsewhere the
 * client of so large a body may get a reset instead of the 413.
 */
const DISCARD_LIMIT = 1024 * 1024;

/** Reads and drops up to DISCARD_LIMIT more bytes, then cancels the stream if it has not ended. */
async function discardRest(reader: BodyReader): Promise<void> {
  try {
    for (let left = DISCARD_LIMIT; left > 0; ) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
    }
  } catch {
    return; // the client went away: nothing left to discard
  }
  await reader.cancel().catch(() => {});
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text, or why not: over `limit` bytes, not valid UTF-8, or `aborted` when the stream
 * failed before its end (the client went away, or its connection was reset). A `TotpkitError` from
 * the stream is the host's misconfiguration (an adapter that cannot get the body) and is thrown.
 */
export async function readBodyText(request: ProtocolRequest, limit: number): Promise<BodyText> {
  const declared = request.header('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit)
    return { ok: false, reason: 'too_large' };
  const reader = request.body();
  if (reader === null) return { ok: true, text: '' };

  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<BodyReader['read']>>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (isTotpkitError(error)) throw error;
      return { ok: false, reason: 'aborted' };
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discardRest(reader);
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(value);
  }
  let bytes = chunks[0] ?? new Uint8Array(0);
  if (chunks.length > 1) {
    bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
}
