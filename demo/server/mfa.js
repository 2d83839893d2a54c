// The totpkit protocol under /mfa, with the demo's sessions: the settings calls need a complete
// session; the login challenge (`verify`) needs a session that is waiting for its second factor,
// and a successful one replaces that session with a new, complete one.
//
// Turning two-factor on or off changes how the account is protected, so the session that did it
// gets a new id and every other session of the user is signed out (ASVS 5.0 §7.4.3 asks that
// this be at least offered). Signing the others out outright, rather than offering it, is the
// demo's choice: a session opened before 2FA was turned on was opened with the password alone,
// possibly by whoever made the user turn 2FA on; the demo has no page that lists sessions, and
// the only cost is signing in again on one's other devices.
import { createTotpHandler, readTrustCookie } from '@totpkit/server/http';
import { originalRequest, totpkitExpress } from '@totpkit/server/http/express';
import { sessionCookie, setSessionCookie } from './cookies.js';

/** The Express request behind each user object that getUser hands to totpkit. */
const requests = new WeakMap();

/**
 * The service's events that rotate the session. totpkit awaits them before it answers, and passes
 * the very object getUser returned, so the new cookie goes out with the answer to the call.
 * A hook that throws is logged by totpkit and the change stands: the user keeps the old session
 * until it expires, which the log line makes visible.
 */
export function sessionEvents(accounts) {
  const rotate = (user) => {
    const req = requests.get(user);
    if (!req?.session) throw new Error('demo: no session to rotate after a 2FA change');
    const id = accounts.rotate(req.session, { signOutOthers: true });
    setSessionCookie(req, req.res, id);
  };
  return { onActivated: rotate, onDeactivated: rotate };
}

export function mountTotp(app, { accounts, totpkit, log = console.error }) {
  const handler = createTotpHandler({
    totpkit,
    basePath: '/mfa',
    getUser(request, { call }) {
      const req = originalRequest(request);
      const session = req?.session;
      if (!session) return null;
      const pending = session.stage === 'password';
      // The second step only ever verifies; the status call tells <totp-verify> the code length.
      if (pending && call !== 'verify' && call !== 'status') return null;
      if (!pending && call === 'verify') return null;
      // Session facts ride along on the user; the requireRecentAuth hook reads authenticatedAt.
      const user = {
        id: session.user_id,
        username: session.username,
        authenticatedAt: session.authenticated_at,
        pending, // totpkit then answers the status with only active, digits and period
      };
      requests.set(user, req);
      return user;
    },
    afterVerify({ request, user }) {
      // ASVS 5.0 §7.2.4: a new session id once the login is complete. When the user ticked "Don't
      // ask again on this browser", the handler adds its own trust cookie next to this one.
      const req = originalRequest(request);
      accounts.endSession(req.session.id);
      return { 'Set-Cookie': sessionCookie(req, accounts.startSession(user.id, 'complete')) };
    },
    // A code just now counts as a password just now (<totp-verify purpose="reauthenticate">, and
    // the in-place confirmation of the other elements): the session's clocks restart, under a new
    // id, so requireRecentAuth and the change-username page let the next sensitive change through.
    afterReauthenticate({ request }) {
      const req = originalRequest(request);
      return { 'Set-Cookie': sessionCookie(req, accounts.rotate(req.session, { reauthenticated: true })) };
    },
    // A store that is down: logged once, with the request id that the page's error shows.
    onError(error, { request, call }) {
      log(`demo: request ${originalRequest(request)?.id} (/mfa ${call ?? ''}) failed:`, error);
    },
  });
  app.use(totpkitExpress(handler));
}

/**
 * True when this browser holds a trust the user gave at an earlier second step, still valid for
 * this user: the sign-in then skips the second step. The cookie is the handler's
 * `__Host-totpkit-trust` (HttpOnly, Secure): browsers keep a Secure cookie from https:// pages and
 * from http://localhost, so over plain HTTP elsewhere there is no trust and the code is asked.
 */
export function isTrustedBrowser(totpkit, req, userId) {
  return totpkit.isBrowserTrusted({ id: userId }, readTrustCookie(req));
}
