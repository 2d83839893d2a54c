// The session cookie: HttpOnly so scripts cannot read it, SameSite=Lax against cross-site posts,
// Secure whenever the demo is served over HTTPS.
const COOKIE = 'sid';

/** Reads the session id from a Cookie header. */
export function sessionIdFrom(cookieHeader) {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return null;
}

/** The Set-Cookie value for session `id`, or one that clears the cookie when `id` is empty. */
export function sessionCookie(id, { secure }) {
  const attributes = [`${COOKIE}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  if (!id) attributes.push('Max-Age=0');
  return attributes.join('; ');
}
