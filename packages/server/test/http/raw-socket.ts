/**
 * HTTP/1.1 over a raw socket, for what clients will not send: `fetch` and `http.request` resolve
 * `..`, `%2e%2e` and `\` before a request leaves, and never stop mid-body on purpose.
 */
import { connect, type Socket } from 'node:net';

/** The port of an `http://127.0.0.1:<port>/…` URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Sends `head` and `body` exactly as given and resolves the status line's code and the body. */
export function rawRequest(port: number, head: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`${head}\r\n\r\n${body}`);
  });
}

/** The head of a protocol POST with `Connection: close`, so the answer ends the socket. */
export function postHead(target: string, cookie: string, contentLength: number): string {
  return [
    `POST ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    'Totpkit-Protocol: 1',
    `Cookie: ${cookie}`,
    `Content-Length: ${contentLength}`,
    'Connection: close',
  ].join('\r\n');
}

/** Opens a socket and writes `head` and the start of a body; the caller then cuts it off. */
export function startRequest(port: number, head: string, partialBody: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${head}\r\n\r\n${partialBody}`, () => resolve(socket));
    });
    socket.on('error', reject);
  });
}
