/**
 * Hono, or any Fetch runtime: the handler takes a `Request` and returns a `Response`, so it needs
 * no adapter. On Node, start it with `serve({ fetch: app.fetch, port: 3000 })` from
 * '@hono/node-server'; on Bun, Deno or Cloudflare Workers, `export default app`.
 */
import type { Totpkit } from '@totpkit/server';
import { createTotpHandler } from '@totpkit/server/http';
import { Hono } from 'hono';
import type { SessionHooks } from './sessions.js';

export function createHonoApp(totpkit: Totpkit, { getUser, afterVerify }: SessionHooks): Hono {
  const mfa = createTotpHandler({ totpkit, basePath: '/mfa', getUser, afterVerify });
  const app = new Hono();
  app.all('/mfa/*', (c) => mfa(c.req.raw));
  // …then your routes: pages, sign-in, sign-out.
  return app;
}
