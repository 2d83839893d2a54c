/**
 * Express: the totpkit protocol under /mfa, next to your own routes.
 * Start it with `createExpressApp(createAppTotpkit(), sessions).listen(3000)`.
 */
import type { Totpkit } from '@totpkit/server';
import { createTotpHandler } from '@totpkit/server/http';
import { totpkitExpress } from '@totpkit/server/http/express';
import express from 'express';
import type { SessionHooks } from './sessions.js';

export function createExpressApp(totpkit: Totpkit, { getUser, afterVerify }: SessionHooks): express.Express {
  const app = express();
  // Your session middleware goes first, if getUser reads what it puts on `req`
  // (`originalRequest<express.Request>(request)` from '@totpkit/server/http/express' gives it).
  // totpkit goes before body parsers, so a malformed body gets the protocol's error, not theirs.
  app.use(totpkitExpress(createTotpHandler({ totpkit, basePath: '/mfa', getUser, afterVerify })));
  app.use(express.json());
  // …then your routes: pages, sign-in, sign-out.
  return app;
}
