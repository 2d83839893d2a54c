// The demo app: sign-up and sign-in with a password, a second step with <totp-verify>, and a
// security page with the totpkit elements, all served by one Express app. The totpkit HTTP
// handler answers under /mfa.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { sessionIdFrom, setSessionCookie } from './cookies.js';
import { errorHandler } from './errors.js';
import { field, formBody, httpError, sameOrigin, securityHeaders } from './guards.js';
import { ConfigurationError } from './keys.js';
import { isTrustedBrowser, mountTotp } from './mfa.js';
import { pages } from './pages.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';
import { safeNext } from './redirects.js';

const ASSETS = fileURLToPath(new URL('../dist/assets', import.meta.url));

const USERNAME = /^[a-z0-9_.-]{3,32}$/i;
// NIST SP 800-63B §5.1.1.2: at least 8 characters, and accept at least 64.
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 128;

/** Express's `trust proxy` from TRUST_PROXY: a hop count, or addresses and names such as `loopback`. */
export function trustProxySetting(value) {
  if (!value) return false;
  return /^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim());
}

export function createApp({
  accounts,
  totpkit,
  throttle,
  trustProxy = false,
  log = console.error,
  needsReauthentication = recentAuthPolicy(),
}) {
  const app = express();
  app.disable('x-powered-by');
  // Whether X-Forwarded-Proto and X-Forwarded-For are believed: only from the proxies named here.
  try {
    app.set('trust proxy', trustProxySetting(trustProxy));
  } catch {
    throw new ConfigurationError('TRUST_PROXY: give a hop count or proxy addresses, such as `1` or `loopback`.');
  }

  app.use(securityHeaders);
  // Built files only; anything else under /assets (a typo, `%`, `..%2f`) is a 404 or 400 page.
  app.use('/assets', express.static(ASSETS, { index: false, fallthrough: false, dotfiles: 'deny' }));
  if (!existsSync(ASSETS)) console.warn('demo: dist/assets is missing; run `vite build` in demo/ (npm start does).');
  app.use((req, _res, next) => {
    req.session = accounts.session(sessionIdFrom(req));
    next();
  });

  mountTotp(app, { accounts, totpkit, log });

  app.use(sameOrigin, formBody, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const signedIn = (req) => req.session?.stage === 'complete';
  const userOf = (session) => ({ id: session.user_id, authenticatedAt: session.authenticated_at });
  const newSession = (req, res, userId, stage) => setSessionCookie(req, res, accounts.startSession(userId, stage));
  /** A 429 on the same form, with Retry-After, as totpkit answers a locked second step. */
  const tooMany = (res, retryAfterSeconds, page) => {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    const error = `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    res.status(429).set('Retry-After', String(retryAfterSeconds)).send(page(error));
  };

  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.get('/', async (req, res) => {
    const status = signedIn(req) ? await totpkit.status(userOf(req.session)) : null;
    res.send(pages.home(req.session, status));
  });

  app.get('/signup', (_req, res) => res.send(pages.credentials({ mode: 'signup' })));
  app.post('/signup', async (req, res) => {
    const username = field(req, 'username').trim();
    const password = field(req, 'password');
    const page = (error) => pages.credentials({ mode: 'signup', error, username });
    const allowed = throttle.signupAllowed(req);
    if (!allowed.allowed) return tooMany(res, allowed.retryAfterSeconds, page);
    let error = '';
    if (!USERNAME.test(username)) error = 'Choose a username of 3 to 32 letters, digits, dots, dashes or underscores.';
    else if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
      error = `Choose a password of ${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`;
    }
    const user = error ? null : accounts.createUser(username, await hashPassword(password));
    if (!error && !user) {
      // Kept on purpose (docs/getting-started.md): with usernames and no email there is no other
      // way to tell someone to pick another name. Counted per address, so names cannot be listed fast.
      error = 'That username is taken.';
      throttle.failedSignup(req);
    }
    if (error) return res.status(400).send(page(error));
    if (req.session) accounts.endSession(req.session.id);
    newSession(req, res, user.id, 'complete');
    res.redirect(303, '/security');
  });

  app.get('/signin', (_req, res) => res.send(pages.credentials({ mode: 'signin' })));
  app.post('/signin', async (req, res) => {
    const username = field(req, 'username').trim();
    const password = field(req, 'password');
    const page = (error) => pages.credentials({ mode: 'signin', error, username });
    const allowed = throttle.attempt(req, username);
    if (!allowed.allowed) return tooMany(res, allowed.retryAfterSeconds, page);
    const user = accounts.userByName(username);
    // Hash even for an unknown user, so the response time does not reveal which names exist.
    const valid = (await verifyPassword(password, user?.password_hash ?? DUMMY_HASH)) && user !== null;
    throttle.settle(req, username, valid);
    if (!valid) return res.status(400).send(page('Wrong username or password.'));
    if (req.session) accounts.endSession(req.session.id);
    const { active } = await totpkit.status({ id: user.id });
    // A browser the user chose to trust at an earlier second step skips it until the trust ends
    // or is revoked (the security page lists them). The password was still checked above.
    const secondStep = active && !(await isTrustedBrowser(totpkit, req, user.id));
    newSession(req, res, user.id, secondStep ? 'password' : 'complete');
    res.redirect(303, secondStep ? '/signin/verify' : '/');
  });

  app.get('/signin/verify', (req, res) => {
    if (req.session?.stage !== 'password') return res.redirect(303, signedIn(req) ? '/' : '/signin');
    res.send(pages.verify());
  });

  app.post('/signout', (req, res) => {
    if (req.session) accounts.endSession(req.session.id);
    setSessionCookie(req, res, '');
    res.redirect(303, '/');
  });

  app.get('/reauth', (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    res.send(pages.credentials({ mode: 'reauth', next: safeNext(req.query.next) }));
  });
  app.post('/reauth', async (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    const next = safeNext(field(req, 'next'));
    const page = (error) => pages.credentials({ mode: 'reauth', error, next });
    const { username } = req.session;
    const allowed = throttle.attempt(req, username);
    if (!allowed.allowed) return tooMany(res, allowed.retryAfterSeconds, page);
    const user = accounts.userById(req.session.user_id);
    const valid = await verifyPassword(field(req, 'password'), user.password_hash);
    throttle.settle(req, username, valid);
    if (!valid) return res.status(400).send(page('Wrong password.'));
    // A new id for the newly authenticated session (ASVS 5.0 §7.2.4), its clocks restarted.
    setSessionCookie(req, res, accounts.rotate(req.session, { reauthenticated: true }));
    res.redirect(303, next);
  });

  app.get('/security', async (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    const user = userOf(req.session);
    const [status, reauthenticate] = await Promise.all([totpkit.status(user), totpkit.reauthenticationRequired(user)]);
    res.send(pages.security(req.session, { status, reauthenticate, renamed: req.query.renamed === '1' }));
  });

  // A sensitive change of the demo's own: the username. It needs a recent sign-in, as totpkit's
  // changes do; a user with 2FA confirms with a code (<totp-verify purpose="reauthenticate">,
  // whose afterReauthenticate restarts the session's clocks), anyone else with the password.
  app.get('/account/username', async (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    if (!needsReauthentication(userOf(req.session))) return res.send(pages.username(req.session));
    const { active } = await totpkit.status(userOf(req.session));
    if (!active) return res.redirect(303, '/reauth?next=/account/username');
    res.send(pages.confirm(req.session, { next: '/account/username' }));
  });
  app.post('/account/username', (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    // The check is here, not only on the page: a form kept open past the window is refused.
    if (needsReauthentication(userOf(req.session))) return res.redirect(303, '/account/username');
    const username = field(req, 'username').trim();
    const page = (error) => pages.username(req.session, { error, username });
    if (!USERNAME.test(username)) {
      return res.status(400).send(page('Choose a username of 3 to 32 letters, digits, dots, dashes or underscores.'));
    }
    if (!accounts.renameUser(req.session.user_id, username))
      return res.status(400).send(page('That username is taken.'));
    res.redirect(303, '/security?renamed=1');
  });

  app.get('/theming', (req, res) => res.send(pages.theming(req.session)));

  app.use((_req, _res, next) => next(httpError(404, 'There is nothing here.')));
  app.use(errorHandler({ render: pages.error, log }));
  return app;
}

/** The adapter hook: sensitive changes need a password (or the sign-up) within `windowMs`. */
export function recentAuthPolicy({ windowMs = 5 * 60_000, now = Date.now } = {}) {
  return (user) => !(user.authenticatedAt && now() - user.authenticatedAt < windowMs);
}
