// A fake django-allauth headless server (browser client, 0.63.6) for test/allauth-headless.test.ts,
// written from /work/shared/reference/allauth-headless.md: the same paths, statuses, envelopes,
// CSRF cookie and its rotation, the 403/404/500 HTML pages and the crash on a second activation.
// Mounted in the test runner's dev server under ALLAUTH_BASE, so the page calls it same-origin.
//
// Not allauth: the routes under ALLAUTH_TEST let a test make a user and a session in one call and
// move the session's clock. Each session has a clock of its own, frozen at the time the test gave,
// so codes are computed for a known 30 s step and never race a step boundary.
import { createHmac, randomBytes, randomInt } from 'node:crypto';

export const ALLAUTH_PREFIX = '/fake-allauth';
export const ALLAUTH_BASE = `${ALLAUTH_PREFIX}/_allauth/browser/v1`;
const ALLAUTH_TEST = `${ALLAUTH_PREFIX}/__test`;
/** ACCOUNT_REAUTHENTICATION_TIMEOUT's default. */
const REAUTH_SECONDS = 300;
/** Failed codes per user before `too_many_login_attempts` (the reference saw it at the sixth). */
const CODE_ATTEMPTS = 5;

const users = new Map();
const sessions = new Map();

const base32 = (bytes) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return bits
    .match(/.{5}/g)
    .map((chunk) => alphabet[Number.parseInt(chunk, 2)])
    .join('');
};
const unbase32 = (text) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...text].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  return Buffer.from(bits.match(/.{8}/g).map((byte) => Number.parseInt(byte, 2)));
};
function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', unbase32(secret)).update(counter).digest();
  return String((mac.readUInt32BE(mac[19] & 0xf) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
const token = (length) => randomBytes(length).toString('base64url').slice(0, length);
const newCodes = () => Array.from({ length: 10 }, () => String(randomInt(10_000_000, 100_000_000)));

/** The user's public shape, as allauth sends it. */
const userBody = (user) => ({
  id: user.id,
  display: user.username,
  has_usable_password: true,
  email: `${user.username}@example.com`,
  username: user.username,
});
const totpBody = (user) => ({ type: 'totp', created_at: user.totp.createdAt, last_used_at: user.totp.lastUsedAt });
const codesBody = (user, withCodes) => ({
  type: 'recovery_codes',
  created_at: user.codes.createdAt,
  last_used_at: user.codes.lastUsedAt,
  total_code_count: user.codes.all.length,
  unused_code_count: user.codes.unused.length,
  ...(withCodes ? { unused_codes: [...user.codes.unused] } : {}),
});

function json(context, status, body) {
  context.status = status;
  context.type = 'application/json';
  context.set('Cache-Control', 'max-age=0, no-cache, no-store, must-revalidate, private');
  context.body = JSON.stringify({ status, ...body });
}
function htmlPage(context, status, title) {
  context.status = status;
  context.type = 'text/html';
  context.body = `<!DOCTYPE html><html><body><h1>${title}</h1></body></html>`;
}
const error = (context, status, code, message, param) =>
  json(context, status, { errors: [{ message, code, ...(param ? { param } : {}) }] });
const incorrect = (context) => error(context, 400, 'incorrect_code', 'Incorrect code.', 'code');

function setCsrf(context, session) {
  context.cookies.set('csrftoken', session.csrf, { httpOnly: false, sameSite: 'lax', path: '/', overwrite: true });
}
/** A completed login: new session id and a new CSRF token, as Django's `login()` does. */
function rotate(context, session) {
  sessions.delete(session.id);
  session.id = token(32);
  session.csrf = token(64);
  sessions.set(session.id, session);
  context.cookies.set('sessionid', session.id, { httpOnly: true, sameSite: 'lax', path: '/', overwrite: true });
}

function sessionOf(context) {
  let session = sessions.get(context.cookies.get('sessionid') ?? '');
  if (!session) {
    session = { id: token(32), csrf: context.cookies.get('csrftoken') || token(64), now: Date.now() / 1000 };
    session.user = null;
    session.pending = null;
    session.methods = [];
    sessions.set(session.id, session);
    context.cookies.set('sessionid', session.id, { httpOnly: true, sameSite: 'lax', path: '/', overwrite: true });
  }
  return session;
}

async function readBody(context) {
  const chunks = [];
  for await (const chunk of context.req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A TOTP code (current step only) or an unused recovery code; counts failures toward the limit. */
function checkCode(context, session, user, code, { consume }) {
  if (!code) {
    error(context, 400, 'required', 'This field is required.', 'code');
    return false;
  }
  if (user.failures >= CODE_ATTEMPTS) {
    error(context, 400, 'too_many_login_attempts', 'Too many failed login attempts. Try again later.', 'code');
    return false;
  }
  const step = Math.floor(session.now / 30);
  if (user.totp && code === totp(user.totp.secret, session.now) && !(consume && user.usedSteps.has(step))) {
    if (consume) user.usedSteps.add(step);
    user.totp.lastUsedAt = session.now;
    session.methods.push({ method: 'mfa', at: session.now, id: 1, type: 'totp' });
    return true;
  }
  if (user.codes?.unused.includes(code)) {
    user.codes.unused = user.codes.unused.filter((c) => c !== code);
    user.codes.lastUsedAt = session.now;
    session.methods.push({ method: 'mfa', at: session.now, id: 3, type: 'recovery_codes' });
    return true;
  }
  user.failures++;
  incorrect(context);
  return false;
}

/** The 401s: not signed in (or 2FA pending), or signed in but not recently. */
function guard(context, session, { recent }) {
  if (session.pending) {
    const flows = [{ id: 'login' }, { id: 'signup' }, { id: 'mfa_authenticate', is_pending: true }];
    json(context, 401, { data: { flows }, meta: { is_authenticated: false } });
    return null;
  }
  if (!session.user) {
    json(context, 401, { data: { flows: [{ id: 'login' }, { id: 'signup' }] }, meta: { is_authenticated: false } });
    return null;
  }
  const user = users.get(session.user);
  const last = Math.max(...session.methods.map((m) => m.at));
  if (recent && session.now - last > REAUTH_SECONDS) {
    const flows = [{ id: 'reauthenticate' }, ...(user.totp ? [{ id: 'mfa_reauthenticate' }] : [])];
    const data = { user: userBody(user), methods: session.methods, flows };
    json(context, 401, { data, meta: { is_authenticated: true } });
    return null;
  }
  return user;
}
const signedIn = (context, session, user) =>
  json(context, 200, { data: { user: userBody(user), methods: session.methods }, meta: { is_authenticated: true } });

/** allauth's routes: `METHOD path` → handler(context, session, body). */
const ROUTES = {
  'GET /config': (c) =>
    json(c, 200, {
      data: {
        account: { authentication_method: 'username_email', is_open_for_signup: true },
        mfa: { supported_types: ['totp', 'recovery_codes'] },
      },
    }),
  'GET /auth/session': (c, s) => {
    const user = guard(c, s, { recent: false });
    if (user) signedIn(c, s, user);
  },
  'DELETE /auth/session': (c, s) => {
    s.user = null;
    s.pending = null;
    s.methods = [];
    json(c, 401, { data: { flows: [{ id: 'login' }, { id: 'signup' }] }, meta: { is_authenticated: false } });
  },
  'POST /auth/login': (c, s, body) => {
    const user = users.get(body.username);
    if (!user || body.password !== user.password) {
      const message = 'The username and/or password you specified are not correct.';
      return error(c, 400, 'username_password_mismatch', message, 'password');
    }
    s.methods = [{ method: 'password', at: s.now, username: user.username }];
    if (user.totp) {
      s.pending = user.username;
      const flows = [{ id: 'login' }, { id: 'signup' }, { id: 'mfa_authenticate', is_pending: true }];
      return json(c, 401, { data: { flows }, meta: { is_authenticated: false } });
    }
    s.user = user.username;
    rotate(c, s);
    signedIn(c, s, user);
  },
  'POST /auth/2fa/authenticate': (c, s, body) => {
    const user = users.get(s.pending);
    if (!user) {
      return json(c, 401, { data: { flows: [{ id: 'login' }, { id: 'signup' }] }, meta: { is_authenticated: null } });
    }
    if (!checkCode(c, s, user, body.code, { consume: true })) return;
    s.user = s.pending;
    s.pending = null;
    rotate(c, s);
    signedIn(c, s, user);
  },
  'POST /auth/reauthenticate': (c, s, body) => {
    const user = guard(c, s, { recent: false });
    if (!user) return;
    if (body.password !== user.password) return error(c, 400, 'incorrect_password', 'Incorrect password.', 'password');
    s.methods.push({ method: 'password', at: s.now, reauthenticated: true });
    signedIn(c, s, user);
  },
  'POST /auth/2fa/reauthenticate': (c, s, body) => {
    const user = guard(c, s, { recent: false });
    if (user && checkCode(c, s, user, body.code, { consume: true })) signedIn(c, s, user);
  },
  'GET /account/authenticators': (c, s) => {
    const user = guard(c, s, { recent: false });
    if (user) json(c, 200, { data: user.totp ? [totpBody(user), codesBody(user, false)] : [] });
  },
  'GET /account/authenticators/totp': (c, s) => {
    const user = guard(c, s, { recent: false });
    if (!user) return;
    if (user.totp) return json(c, 200, { data: totpBody(user) });
    // A new secret on every GET; only the latest activates.
    s.secret = base32(randomBytes(20));
    json(c, 404, { meta: { secret: s.secret, ...(user.totpUrl ? { totp_url: user.totpUrl(s.secret) } : {}) } });
  },
  'POST /account/authenticators/totp': (c, s, body) => {
    const user = guard(c, s, { recent: false });
    if (!user) return;
    if (!body.code) return error(c, 400, 'required', 'This field is required.', 'code');
    // Only trimmed, and checked before the reauthentication (and before the existing authenticator).
    if (!s.secret || body.code.trim() !== totp(s.secret, s.now)) return incorrect(c);
    if (!guard(c, s, { recent: true })) return;
    if (user.totp) return htmlPage(c, 500, 'IntegrityError: UNIQUE constraint failed');
    user.totp = { secret: s.secret, createdAt: s.now, lastUsedAt: null };
    user.codes = { all: newCodes(), createdAt: s.now, lastUsedAt: null };
    user.codes.unused = [...user.codes.all];
    json(c, 200, { data: totpBody(user) });
  },
  'DELETE /account/authenticators/totp': (c, s) => {
    const user = guard(c, s, { recent: true });
    if (!user) return;
    user.totp = null;
    user.codes = null;
    json(c, 200, {});
  },
  'GET /account/authenticators/recovery-codes': (c, s) => {
    const user = guard(c, s, { recent: false });
    if (!user) return;
    if (!user.codes) return json(c, 404, {});
    if (guard(c, s, { recent: true })) json(c, 200, { data: codesBody(user, true) });
  },
  'POST /account/authenticators/recovery-codes': (c, s) => {
    const user = guard(c, s, { recent: true });
    if (!user) return;
    if (!user.totp) {
      const message = 'You cannot generate recovery codes without having two-factor authentication enabled.';
      return error(c, 400, 'cannot_generate_recovery_codes', message);
    }
    user.codes = { all: newCodes(), createdAt: s.now, lastUsedAt: null };
    user.codes.unused = [...user.codes.all];
    json(c, 200, { data: codesBody(user, true) });
  },
};

/**
 * `POST ALLAUTH_TEST/session {username, now, totp?, pending?, stale?, totpUrl?}`: a new user (with
 * TOTP on when `totp` is a secret) and a new session, signed in (or with 2FA pending), its clock at
 * `now`. Answers the recovery codes. `POST ALLAUTH_TEST/advance {seconds}` moves the clock.
 */
async function testRoute(context) {
  const body = (await readBody(context)) ?? {};
  const session = sessionOf(context);
  if (context.path === `${ALLAUTH_TEST}/advance`) {
    session.now += body.seconds;
    return json(context, 200, { data: { now: session.now } });
  }
  const user = { id: users.size + 1, username: body.username, password: 'Test-pass-1234', failures: 0 };
  user.usedSteps = new Set();
  user.totp = body.totp ? { secret: body.totp, createdAt: body.now - 86_400, lastUsedAt: null } : null;
  user.codes = body.totp ? { all: newCodes(), createdAt: body.now - 86_400, lastUsedAt: null } : null;
  if (user.codes) user.codes.unused = [...user.codes.all];
  if (body.issuer) {
    user.totpUrl = (secret) =>
      `otpauth://totp/${encodeURIComponent(body.issuer)}:${user.username}%40example.com?secret=${secret}&issuer=${encodeURIComponent(body.issuer)}`;
  }
  users.set(user.username, user);
  rotate(context, session);
  session.now = body.now;
  session.methods = [
    { method: 'password', at: body.now - (body.stale ? REAUTH_SECONDS + 1 : 0), username: user.username },
  ];
  session.user = body.pending ? null : user.username;
  session.pending = body.pending ? user.username : null;
  session.secret = null;
  if (!body.noCsrf) setCsrf(context, session);
  json(context, 200, { data: { codes: user.codes?.all ?? [] } });
}

/** A Koa middleware (the dev server's kind) that answers under ALLAUTH_PREFIX. */
export function fakeAllauthMiddleware() {
  return async (context, next) => {
    if (!context.path.startsWith(`${ALLAUTH_PREFIX}/`)) return next();
    if (context.path.startsWith(`${ALLAUTH_TEST}/`)) return testRoute(context);
    const route = `${context.method} ${context.path.slice(ALLAUTH_BASE.length)}`;
    const handler = context.path.startsWith(`${ALLAUTH_BASE}/`) && ROUTES[route];
    if (!handler) return htmlPage(context, 404, 'Not Found');
    const session = sessionOf(context);
    if (context.method !== 'GET') {
      // Django's CsrfViewMiddleware: the X-CSRFToken header against the cookie, on every POST and DELETE.
      const cookie = context.cookies.get('csrftoken');
      if (!cookie || context.get('X-CSRFToken') !== session.csrf || cookie !== session.csrf) {
        return htmlPage(context, 403, 'Forbidden (403) CSRF verification failed. Request aborted.');
      }
    }
    const body = await readBody(context);
    if (body === undefined) {
      context.status = 400;
      context.type = 'text/html';
      context.body = '';
      return;
    }
    // Every browser view calls get_token: each answer repeats the cookie.
    await handler(context, session, body);
    setCsrf(context, session);
  };
}
