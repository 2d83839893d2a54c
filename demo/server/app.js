// The demo app: sign-up and sign-in with a password, a second step with <totp-verify>, and a
// security page with the totpkit elements, all served by one Express app. The totpkit HTTP
// handler answers under /mfa.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { sessionCookie, sessionIdFrom } from './cookies.js';
import { mountTotp } from './mfa.js';
import { pages } from './pages.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';

const ASSETS = fileURLToPath(new URL('../dist/assets', import.meta.url));
const REAUTH_WINDOW_MS = 5 * 60_000; // allauth's ACCOUNT_REAUTHENTICATION_TIMEOUT

/**
 * Only same-origin form posts (defence in depth on top of SameSite=Lax): Sec-Fetch-Site where the
 * browser sends it, else the Origin header.
 */
function sameOrigin(req, res, next) {
  if (req.method !== 'POST') return next();
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const allowed = site
    ? site === 'same-origin' || site === 'none'
    : !origin || origin === `${req.protocol}://${req.get('host')}`;
  if (!allowed) {
    res.status(403).type('text').send('Cross-site request refused.');
    return;
  }
  next();
}

const USERNAME = /^[a-z0-9_.-]{3,32}$/i;
// NIST SP 800-63B §5.1.1.2: at least 8 characters, and accept at least 64.
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 128;

export function createApp({ accounts, totpkit, secureCookies = false }) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((req, res, next) => {
    // Everything is served from this origin: the QR code is drawn locally and no CDN is used.
    res.set(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    // Not no-referrer: that makes browsers send `Origin: null` on form posts.
    res.set('Referrer-Policy', 'same-origin');
    res.set('X-Content-Type-Options', 'nosniff');
    req.session = accounts.session(sessionIdFrom(req.get('cookie')));
    next();
  });
  app.use('/assets', express.static(ASSETS, { index: false, fallthrough: false }));
  if (!existsSync(ASSETS)) console.warn('demo: dist/assets is missing; run `vite build` in demo/ (npm start does).');

  mountTotp(app, { accounts, totpkit, secureCookies });

  app.use(express.urlencoded({ extended: false, limit: '4kb' }), sameOrigin);
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const signedIn = (req) => req.session?.stage === 'complete';
  const safeNext = (next) => (typeof next === 'string' && /^\/[a-z/-]*$/i.test(next) ? next : '/');
  const startSession = (res, userId, stage) =>
    res.set('Set-Cookie', sessionCookie(accounts.startSession(userId, stage), { secure: secureCookies }));

  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.get('/', (req, res) => res.send(pages.home(req.session)));

  app.get('/signup', (_req, res) => res.send(pages.credentials({ mode: 'signup' })));
  app.post('/signup', async (req, res) => {
    const username = String(req.body.username ?? '').trim();
    const password = String(req.body.password ?? '');
    let error = '';
    if (!USERNAME.test(username)) error = 'Choose a username of 3 to 32 letters, digits, dots, dashes or underscores.';
    else if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
      error = `Choose a password of ${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`;
    }
    const user = error ? null : accounts.createUser(username, await hashPassword(password));
    if (!error && !user) error = 'That username is taken.';
    if (error) {
      res.status(400).send(pages.credentials({ mode: 'signup', error, username }));
      return;
    }
    startSession(res, user.id, 'complete');
    res.redirect(303, '/security');
  });

  app.get('/signin', (_req, res) => res.send(pages.credentials({ mode: 'signin' })));
  app.post('/signin', async (req, res) => {
    const username = String(req.body.username ?? '').trim();
    const password = String(req.body.password ?? '');
    const user = accounts.userByName(username);
    // Hash even for an unknown user, so the response time does not reveal which names exist.
    const valid = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !valid) {
      res.status(400).send(pages.credentials({ mode: 'signin', error: 'Wrong username or password.', username }));
      return;
    }
    if (req.session) accounts.endSession(req.session.id);
    const { active } = await totpkit.status({ id: user.id });
    startSession(res, user.id, active ? 'password' : 'complete');
    res.redirect(303, active ? '/signin/verify' : '/');
  });

  app.get('/signin/verify', (req, res) => {
    if (req.session?.stage !== 'password') {
      res.redirect(303, signedIn(req) ? '/' : '/signin');
      return;
    }
    res.send(pages.verify());
  });

  app.post('/signout', (req, res) => {
    if (req.session) accounts.endSession(req.session.id);
    res.set('Set-Cookie', sessionCookie('', { secure: secureCookies }));
    res.redirect(303, '/');
  });

  app.get('/reauth', (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    res.send(pages.credentials({ mode: 'reauth', next: safeNext(req.query.next) }));
  });
  app.post('/reauth', async (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    const user = accounts.userById(req.session.user_id);
    if (!(await verifyPassword(String(req.body.password ?? ''), user.password_hash))) {
      res
        .status(400)
        .send(pages.credentials({ mode: 'reauth', error: 'Wrong password.', next: safeNext(req.body.next) }));
      return;
    }
    accounts.reauthenticated(req.session.id);
    res.redirect(303, safeNext(req.body.next));
  });

  app.get('/security', (req, res) => {
    if (!signedIn(req)) return res.redirect(303, '/signin');
    res.send(pages.security(req.session));
  });

  app.get('/theming', (req, res) => res.send(pages.theming(req.session)));

  app.use((req, res) => res.status(404).send(pages.notFound(req.session)));
  return app;
}

/** The adapter hook: sensitive changes need a password (or the signup) within the last five minutes. */
export function requireRecentAuth(user) {
  return !(user.authenticatedAt && Date.now() - user.authenticatedAt < REAUTH_WINDOW_MS);
}
