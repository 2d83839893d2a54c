/**
 * The Fetch handler on its own, as Hono, Next.js, Bun or Deno would call it: no socket, no Node
 * adapter. Also its options checks, and that its files use no Node-only API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTotpHandler } from '../../src/http/index.js';
import { createTotpkit, generateEncryptionKey, MemoryStore } from '../../src/index.js';
import { sessionUser } from './support.js';

const totpkit = createTotpkit({
  issuer: 'fetch tests',
  store: new MemoryStore(),
  keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
  logger: { warn: () => {}, error: () => {} },
});
const make = (options: Partial<Parameters<typeof createTotpHandler>[0]> = {}) =>
  createTotpHandler({ totpkit, basePath: '/mfa', getUser: sessionUser, ...options });
const headers = { 'Totpkit-Protocol': '1', 'Content-Type': 'application/json', Cookie: 'session=fetch-user' };

describe('the Fetch handler', () => {
  it('answers a Request with a Response, with no adapter in between', async () => {
    const handler = make();
    const response = await handler(new Request('https://app.example/mfa/status', { headers }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      totp: { active: false, createdAt: null, lastUsedAt: null },
      recoveryCodes: null,
      config: { digits: 6, period: 30 },
      reauthenticationRequired: false,
      features: { trustedBrowsers: null, codeReauthentication: true },
    });
  });

  it('says which paths it handles, so a host can fall through on the rest', async () => {
    const handler = make({ basePath: '/mfa/' });
    expect(handler.basePath).toBe('/mfa');
    expect(handler.handles('/mfa/status?x=1')).toBe(true);
    expect(handler.handles('/mfa')).toBe(true);
    expect(handler.handles('/mfa-other/status')).toBe(false);
    expect(handler.handles(new Request('https://app.example/login'))).toBe(false);
    const outside = await handler(new Request('https://app.example/login', { headers }));
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('mounts at the root with an empty base path', async () => {
    const handler = make({ basePath: '' });
    expect(handler.handles('/anything')).toBe(true);
    expect((await handler(new Request('https://app.example/status', { headers }))).status).toBe(200);
  });

  it('takes a streamed body, as edge runtimes deliver it', async () => {
    const handler = make();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"co'));
        controller.enqueue(new TextEncoder().encode('de":"123456"}'));
        controller.close();
      },
    });
    const request = new Request('https://app.example/mfa/verify', {
      method: 'POST',
      headers,
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await (await handler(request)).json()).toMatchObject({ error: { code: 'not_active' } });
  });

  it.each([
    [{ basePath: 'mfa' }, 'basePath must be a path starting with "/"'],
    [{ basePath: undefined }, 'basePath is required'],
    [{ getUser: undefined }, 'getUser(request) is required'],
    [{ totpkit: undefined }, 'totpkit (from createTotpkit) is required'],
    [{ bodyLimit: 1024 }, 'bodyLimit must be an integer from 4096 to 65536'],
    [{ bodyLimit: 1_000_000 }, 'bodyLimit must be an integer from 4096 to 65536'],
    [{ csrf: { header: 'X-CSRF-Token' } }, 'csrf.header and csrf.verify go together'],
    [{ csrf: { header: 'bad header', verify: () => true } }, 'csrf.header must be a header name'],
    [{ csrf: { trustedOrigins: ['*'] } }, 'csrf.trustedOrigins must list exact origins'],
    [{ cors: { origins: [] } }, 'cors.origins must list at least one origin'],
    [{ trustCookie: { name: 'trust me' } }, 'trustCookie.name must be a cookie name'],
    [{ trustCookie: true }, 'trustCookie must be { name? } or false'],
  ])('refuses the options %j', (options, message) => {
    expect(() => make(options as Parameters<typeof make>[0])).toThrow(message);
  });
});

describe('the handler files', () => {
  const folder = new URL('../../src/http/', import.meta.url);
  const nodeOnly = new Set(['node.ts', 'node-request.ts', 'node-bridge.ts', 'express.ts', 'fastify.ts']);
  const files = readdirSync(folder).filter((file) => file.endsWith('.ts') && !nodeOnly.has(file));

  it('use no Node-only module, so the handler runs in any Fetch runtime', () => {
    expect(files).toContain('handler.ts');
    expect(files).toContain('core.ts');
    for (const file of files) {
      const source = readFileSync(new URL(file, folder), 'utf8');
      expect(source, file).not.toMatch(/from 'node:|require\(|process\.|Buffer\./);
      for (const adapter of nodeOnly) expect(source, file).not.toContain(`./${adapter.replace('.ts', '.js')}`);
    }
  });
});
