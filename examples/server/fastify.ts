/**
 * Fastify: the totpkit protocol under /mfa, next to your own routes.
 * Start it with `await (await createFastifyApp(createAppTotpkit(), sessions)).listen({ port: 3000 })`.
 */
import type { Totpkit } from '@totpkit/server';
import { createTotpHandler } from '@totpkit/server/http';
import { totpkitFastify } from '@totpkit/server/http/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { SessionHooks } from './sessions.js';

export async function createFastifyApp(
  totpkit: Totpkit,
  { getUser, afterVerify }: SessionHooks,
): Promise<FastifyInstance> {
  const app = Fastify();
  // Register your session plugin first, so its hooks run before totpkit's. No `prefix` for
  // totpkit: `basePath` is its prefix. It answers before Fastify parses the body.
  await app.register(totpkitFastify(createTotpHandler({ totpkit, basePath: '/mfa', getUser, afterVerify })));
  // …then your routes: pages, sign-in, sign-out.
  return app;
}
