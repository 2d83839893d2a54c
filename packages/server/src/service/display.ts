/**
 * What setup shows the authenticator app: the names and the QR code, made so that setup never
 * fails (a 500, with the name in the log) because an id is `urn:user:42` or a URL is long.
 *
 * - A colon in the account after the issuer prefix is kept: readers split the label at its first
 *   colon, and `buildTotpUrl` writes this one `%3A`. A colon that would move that split (in the
 *   issuer, or in an account with no issuer) is shown as `：` (U+FF1A, FULLWIDTH COLON) instead.
 * - A lone UTF-16 surrogate, which no URL can encode, and a control character become U+FFFD, as
 *   the WHATWG USVString conversion does. The name is a display label, not an identifier (the
 *   user id binds everything), and the host, not the client, chose it: refusing would only lock
 *   that user out of enrolment, with a 400 the client can do nothing about.
 * - An account name of only spaces, which an app would show as nothing, falls back to the user id.
 */

import { totpQrDataUri } from '../core/index.js';

/** Surrogates that are not half of a pair, and C0/C1 controls. */
const UNENCODABLE = /[\p{Cs}\p{Cc}]/gu;
const REPLACEMENT = '\uFFFD';
const FULLWIDTH_COLON = '\uFF1A';

function wellFormed(name: string): string {
  return name.replace(UNENCODABLE, REPLACEMENT);
}

/** The issuer as the app will show it: well-formed and without a colon. */
export function displayIssuer(issuer: string): string {
  return wellFormed(issuer).replace(/:/g, FULLWIDTH_COLON);
}

/** The account name as the app will show it under `issuer` (already passed through `displayIssuer`). */
export function displayAccountName(accountName: string, issuer: string, fallback: string): string {
  let name = wellFormed(accountName);
  if (name.trim() === '') name = wellFormed(fallback);
  if (name.trim() === '') name = REPLACEMENT;
  return issuer === '' ? name.replace(/:/g, FULLWIDTH_COLON) : name;
}

/**
 * The QR code as a data URI, or null when the URL does not fit in one (a QR code holds at most
 * about 2.3 KB at the error correction used, and a long issuer and account can pass that). Null
 * is the protocol's "draw it yourself": the elements then try, and show the key to type in.
 */
export function qrCodeOrNull(otpauthUrl: string): string | null {
  try {
    return totpQrDataUri(otpauthUrl);
  } catch {
    // The encoder's only input-dependent failure is a URL over its capacity; no URL is logged.
    return null;
  }
}
