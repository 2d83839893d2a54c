/**
 * A browser-like HTTP client for the demo's tests: it keeps the session cookie the server sets
 * (either name: `sid` over HTTP, `__Host-sid` over HTTPS) and the trusted-browser cookie
 * (`__Host-totpkit-trust`), and sends forms and protocol calls the way the pages and the elements
 * do. Redirects are not followed, so tests see each Location.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const TRUST_COOKIE = '__Host-totpkit-trust';
const PROTOCOL = { 'Totpkit-Protocol': '1', 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-origin' };

export class Client {
  /** `name=value` of the session cookie, or '' before one is set. */
  cookie = '';
  /** `name=value` of the trusted-browser cookie, or '' when this browser is not trusted. */
  trust = '';

  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  /** The session id the server last set ('' when cleared). */
  get sessionId(): string {
    return this.cookie.split('=')[1] ?? '';
  }

  async #send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...this.headers, ...this.#cookieHeader(), ...init.headers },
    });
    let session = false;
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] as string;
      const [name, value] = pair.split('=');
      // A cleared cookie (empty value, Max-Age=0) is one the browser drops.
      if (name === TRUST_COOKIE) this.trust = value ? pair : '';
      else if (!session) {
        this.cookie = pair;
        session = true;
      }
    }
    return response;
  }

  #cookieHeader(): { Cookie: string } | Record<string, never> {
    const cookies = [this.cookie, this.trust].filter(Boolean);
    return cookies.length > 0 ? { Cookie: cookies.join('; ') } : {};
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { headers });
  }

  form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', ...headers },
      body: new URLSearchParams(fields),
    });
  }

  mfa(path: string, body?: unknown): Promise<Response> {
    return this.#send(`/mfa${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: PROTOCOL,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** A second client with the same cookie: the same session used from somewhere else. */
  copy(): Client {
    const other = new Client(this.base, this.headers);
    other.cookie = this.cookie;
    return other;
  }
}

/** Serves an Express app on a free port of 127.0.0.1; resolves with its URL and a stop function. */
export async function serve(app: (req: never, res: never) => void): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer(app as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
