/**
 * Next.js (App Router): in your app this file is `app/mfa/[...call]/route.ts`. A route handler is
 * a Fetch function, and so is the totpkit handler: export it as the methods the protocol uses.
 * Next.js is not installed here; this file is type-checked against the Fetch types (and its
 * handler called by a test), not run inside Next.js.
 */
import { createTotpHandler } from '@totpkit/server/http';
import { sessions } from './sessions.js';
import { createAppTotpkit } from './totpkit.js';

const handler = createTotpHandler({
  totpkit: createAppTotpkit(),
  basePath: '/mfa',
  getUser: sessions.getUser,
  afterVerify: sessions.afterVerify,
});

export { handler as GET, handler as HEAD, handler as POST };
