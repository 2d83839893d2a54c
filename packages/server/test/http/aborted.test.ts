/**
 * A client that goes away mid-body is not a server fault (issue 11, item 6): behind every adapter,
 * a body cut short, a destroyed socket and a reset connection reach `onRequestAborted`, never
 * `onError`, and the server goes on answering.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { portOf, postHead, startRequest } from './raw-socket.js';
import { ADAPTERS, type Backend, newSession, protocolHeaders, startBackend } from './support.js';

let backend: Backend;
afterEach(() => backend?.close());

const CUTS: [string, (socket: Socket) => void][] = [
  ['the body ends early (the client half-closes)', (socket) => socket.end()],
  ['the client destroys its socket', (socket) => socket.destroy()],
  ['the connection is reset (RST)', (socket) => socket.resetAndDestroy()],
];

describe.each(ADAPTERS)('aborted requests behind %s', (kind) => {
  it.each(CUTS)('counts it and reports no error when %s', async (_name, cut) => {
    const aborted: string[] = [];
    let heard: () => void = () => {};
    const abortHeard = new Promise<void>((resolve) => {
      heard = resolve;
    });
    backend = await startBackend(kind, {
      handler: {
        onRequestAborted: ({ call }) => {
          aborted.push(call);
          heard();
        },
      },
    });
    const { cookie } = newSession();
    const port = portOf(backend.baseUrl);
    // 100 bytes promised, 14 sent: the handler is left waiting for the rest when the client leaves.
    const socket = await startRequest(port, postHead('/mfa/verify', cookie, 100), '{"code":"1234');
    socket.on('error', () => {}); // the reset may surface on our side too
    cut(socket);
    await abortHeard;

    expect(aborted).toEqual(['verify']);
    // The server is fine and has nothing to report, for that request or this one.
    const status = await fetch(`${backend.baseUrl}/status`, { headers: protocolHeaders(cookie) });
    expect(status.status).toBe(200);
    expect(backend.reported).toEqual([]);
  });
});
