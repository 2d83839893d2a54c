// The session cookie: HttpOnly so scripts cannot read it, SameSite=Lax against cross-site posts.
//
// Over HTTPS (req.secure: the socket, or X-Forwarded-Proto from a proxy named in TRUST_PROXY) it
// is `__Host-sid`, Secure: the browser then refuses it from plain HTTP, from a subdomain, and
// with a Domain or a Path other than `/`, so a neighbour cannot plant a session on this site.
// Over plain HTTP (http://localhost while developing) a browser would drop a `__Host-` or
// Secure cookie, so it is a plain `sid`; an HTTPS request never reads that one.
const SECURE_NAME = '__Host-sid';
const PLAIN_NAME = 'sid';

const nameFor = (req) => (req.secure ? SECURE_NAME : PLAIN_NAME);

/** The session id from the request's Cookie header: only the cookie this scheme sets. */
export function sessionIdFrom(req) {
  const wanted = nameFor(req);
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === wanted) return value.join('=');
  }
  return null;
}

/** The Set-Cookie value for session `id`, or one that clears the cookie when `id` is empty. */
export function sessionCookie(req, id) {
  const attributes = [`${nameFor(req)}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (req.secure) attributes.push('Secure');
  // No Max-Age on a live session: the cookie ends with the browser; the server enforces the
  // idle and absolute timeouts (accounts.js) whatever the browser keeps.
  if (!id) attributes.push('Max-Age=0');
  return attributes.join('; ');
}

/** Adds the cookie to the response, next to any other Set-Cookie header. */
export function setSessionCookie(req, res, id) {
  res.append('Set-Cookie', sessionCookie(req, id));
}
