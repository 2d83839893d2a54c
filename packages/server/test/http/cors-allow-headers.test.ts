/**
 * `cors.allowHeaders`: request headers a listed origin may send besides the protocol's own, such
 * as `Authorization` for apps that authenticate with bearer tokens through the elements' `headers`
 * property. The preflight grants exactly the listed names; anything else is not granted, so a
 * browser never sends it cross-origin. Names are checked when the handler is created.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTotpHandler } from '../../src/http/index.js';
import type { TotpHandlerOptions } from '../../src/http/options.js';
import { type Backend, type BackendOptions, newSession, protocolHeaders, startBackend } from './support.js';

const APP = 'https://app.example';

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(options: BackendOptions['handler']): Promise<Backend> {
  backend = await startBackend('node', { handler: options });
  return backend;
}

function preflight(url: string, requestHeaders: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': requestHeaders },
  });
}

/** The header names a preflight answer grants, as the browser reads them. */
function granted(response: Response): string[] {
  return (response.headers.get('access-control-allow-headers') ?? '').split(',').map((name) => name.trim());
}

describe('cors.allowHeaders', () => {
  it('grants Authorization to a listed origin, besides the protocol headers', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP], allowHeaders: ['Authorization'] } });
    const response = await preflight(`${baseUrl}/verify`, 'authorization,content-type,totpkit-protocol');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(granted(response)).toEqual(['Content-Type', 'Totpkit-Protocol', 'Authorization']);
  });

  it('does not grant a header that is not listed', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP], allowHeaders: ['Authorization'] } });
    const response = await preflight(`${baseUrl}/verify`, 'content-type,totpkit-protocol,x-api-key');
    expect(response.status).toBe(204);
    expect(granted(response).map((name) => name.toLowerCase())).not.toContain('x-api-key');
  });

  it('grants no extra header when none is listed', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP] } });
    const response = await preflight(`${baseUrl}/verify`, 'authorization,content-type,totpkit-protocol');
    expect(granted(response)).toEqual(['Content-Type', 'Totpkit-Protocol']);
  });

  it('keeps the protocol headers and the CSRF header, once each, whatever the case of the list', async () => {
    const { baseUrl } = await start({
      cors: { origins: [APP], allowHeaders: ['authorization', 'Content-Type', 'AUTHORIZATION', 'x-csrf-token'] },
      csrf: { header: 'X-CSRF-Token', verify: () => true },
    });
    const response = await preflight(`${baseUrl}/verify`, 'authorization');
    expect(granted(response)).toEqual(['Content-Type', 'Totpkit-Protocol', 'X-CSRF-Token', 'authorization']);
  });

  it('still refuses an unlisted origin whatever headers are allowed', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP], allowHeaders: ['Authorization'] } });
    const response = await fetch(`${baseUrl}/verify`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('lets the granted call through with its Authorization header', async () => {
    const { baseUrl } = await start({ cors: { origins: [APP], allowHeaders: ['Authorization'] } });
    const { cookie } = newSession();
    const response = await fetch(`${baseUrl}/status`, {
      headers: protocolHeaders(cookie, { Origin: APP, 'Sec-Fetch-Site': 'cross-site', Authorization: 'Bearer t' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it.each([
    ['a wildcard', '*'],
    ['an empty name', ''],
    ['a name with a space', 'X Api-Key'],
    ['a name with a colon', 'Authorization:'],
    ['a value instead of a name', 'Bearer abc/def'],
    ['a header line', 'X-A\r\nX-B'],
  ])('refuses %s when the handler is created', (_name, header) => {
    const options: TotpHandlerOptions = {
      totpkit: { verify: () => undefined } as unknown as TotpHandlerOptions['totpkit'],
      basePath: '/mfa',
      getUser: () => null,
      cors: { origins: [APP], allowHeaders: [header] },
    };
    expect(() => createTotpHandler(options)).toThrow(/cors\.allowHeaders must list header names/);
  });
});
