// What every response and every form post goes through before the routes: a request id, the
// security headers, the same-origin check and a form body parser that refuses what it cannot read.
import { randomBytes } from 'node:crypto';
import express from 'express';

// Everything is served from this origin. No inline script and no inline style: lit gives the
// elements' styles to the browser as constructable stylesheets (adoptedStyleSheets), which CSP
// does not govern, and sets styles through the CSSOM. The QR code is a data: image.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Request id and headers for every response. */
export function securityHeaders(req, res, next) {
  req.id = randomBytes(6).toString('hex');
  res.set('X-Request-Id', req.id);
  res.set('Content-Security-Policy', CSP);
  // Not no-referrer: that makes browsers send `Origin: null` on form posts.
  res.set('Referrer-Policy', 'same-origin');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Cross-Origin-Opener-Policy', 'same-origin');
  // Only over HTTPS: on plain HTTP the header is ignored, and on localhost it would stick to
  // every other local project. One year; add includeSubDomains once every subdomain is HTTPS.
  if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000');
  next();
}

/**
 * Only same-origin form posts (defence in depth on top of SameSite=Lax): Sec-Fetch-Site where the
 * browser sends it, else the Origin header.
 */
export function sameOrigin(req, _res, next) {
  if (req.method !== 'POST') return next();
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const allowed = site
    ? site === 'same-origin' || site === 'none'
    : !origin || origin === `${req.protocol}://${req.get('host')}`;
  if (!allowed) return next(httpError(403, 'Cross-site request refused.'));
  next();
}

const urlencoded = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });

/**
 * The pages' forms are urlencoded. Anything else (JSON, multipart, no body at all) is refused
 * here with a 4xx, so no route ever sees a body it did not expect. The parser's own refusals
 * (413 too large, 415 unknown charset, 400 malformed) go to the error page with their status.
 */
export function formBody(req, res, next) {
  if (req.method !== 'POST') return next();
  const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!type) return next(httpError(400, 'This form arrived empty.'));
  if (type !== 'application/x-www-form-urlencoded') {
    return next(httpError(415, 'Send this form as application/x-www-form-urlencoded.'));
  }
  urlencoded(req, res, (error) => {
    if (!error && (req.body === null || typeof req.body !== 'object')) req.body = {};
    next(error);
  });
}

/** An error with a status and a message that is safe to show. */
export function httpError(status, message) {
  return Object.assign(new Error(message), { status, publicMessage: message });
}

/** A form field as a string ('' when absent or repeated: `?a=1&a=2` is not a name). */
export const field = (req, name) => (typeof req.body?.[name] === 'string' ? req.body[name] : '');
