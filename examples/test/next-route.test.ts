/**
 * server/next-route.ts, the Next.js App Router route. Next.js is not installed: the file is
 * type-checked against the route-handler shape below, and its exported methods are called the way
 * Next.js calls them, with a Fetch `Request` and the route context.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../server/sessions.js';
import { cookieOf, freshUser } from './support.js';

/** What Next.js 15 calls for `app/mfa/[...call]/route.ts`. */
type RouteHandler = (
  request: Request,
  context: { params: Promise<{ call: string[] }> },
) => Response | Promise<Response>;

let route: Record<'GET' | 'HEAD' | 'POST', RouteHandler>;
let dir: string;

beforeAll(async () => {
  // The route creates its service when it is loaded, from TOTPKIT_DB.
  dir = mkdtempSync(join(tmpdir(), 'totpkit-next-'));
  process.env.TOTPKIT_DB = join(dir, 'totpkit.sqlite');
  route = await import('../server/next-route.js');
  delete process.env.TOTPKIT_DB;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = (...call: string[]) => ({ params: Promise.resolve({ call }) });
const request = (path: string, init: RequestInit = {}) =>
  new Request(`http://localhost:3000/mfa${path}`, {
    ...init,
    headers: { 'Totpkit-Protocol': '1', 'Content-Type': 'application/json', ...init.headers },
  });

describe('the Next.js route', () => {
  it('answers the protocol through its GET, HEAD and POST exports', async () => {
    const cookie = cookieOf(sessions.start(freshUser('next'), 'complete'));

    const status = await route.GET(request('/status', { headers: { Cookie: cookie } }), context('status'));
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ totp: { active: false }, config: { digits: 6, period: 30 } });

    const head = await route.HEAD(
      request('/status', { method: 'HEAD', headers: { Cookie: cookie } }),
      context('status'),
    );
    expect(head.status).toBe(200);

    const setup = await route.POST(
      request('/totp/setup', { method: 'POST', body: '{}', headers: { Cookie: cookie } }),
      context('totp', 'setup'),
    );
    expect(setup.status).toBe(200);
    expect(await setup.json()).toMatchObject({
      issuer: 'ACME Co',
      qrCode: expect.stringMatching(/^data:image\/svg\+xml/),
    });
  });

  it('refuses a request without a session with 401', async () => {
    const response = await route.GET(request('/status'), context('status'));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});
