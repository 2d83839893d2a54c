// The totpkit protocol under /mfa, with the demo's sessions: the settings calls need a complete
// session; the login challenge (`verify`) needs a session that is waiting for its second factor,
// and a successful one replaces that session with a new, complete one.
import { createTotpHandler } from '@totpkit/server/http';
import { originalRequest, totpkitExpress } from '@totpkit/server/http/express';
import { sessionCookie } from './cookies.js';

export function mountTotp(app, { accounts, totpkit, secureCookies }) {
  const handler = createTotpHandler({
    totpkit,
    basePath: '/mfa',
    getUser(request, { call }) {
      const session = originalRequest(request)?.session;
      if (!session) return null;
      const pending = session.stage === 'password';
      // The second step only ever verifies; the status call tells <totp-verify> the code length.
      if (pending && call !== 'verify' && call !== 'status') return null;
      if (!pending && call === 'verify') return null;
      // Session facts ride along on the user; the requireRecentAuth hook reads authenticatedAt.
      return { id: session.user_id, username: session.username, authenticatedAt: session.authenticated_at };
    },
    afterVerify({ request, user }) {
      // ASVS 5.0 §7.2.4: a new session id once the login is complete.
      accounts.endSession(originalRequest(request).session.id);
      return { 'Set-Cookie': sessionCookie(accounts.startSession(user.id, 'complete'), { secure: secureCookies }) };
    },
  });
  app.use(totpkitExpress(handler));
}
