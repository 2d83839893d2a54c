/**
 * Google's Key Uri Format (github.com/google/google-authenticator/wiki/Key-Uri-Format):
 * `otpauth://totp/Issuer:account?secret=…&issuer=Issuer[&algorithm=…][&digits=…][&period=…]`.
 *
 * Two traps from the peer libraries are handled on purpose:
 * - spaces are written `%20`, never `+`: several apps show a `+` literally (oslo-project/otp#8);
 * - the issuer goes both in the label prefix and in the `issuer` parameter, as the format
 *   recommends, because older apps read one and newer apps the other.
 */
import { base32Decode, base32Encode } from './base32.js';
import { TotpConfigError, TotpUrlError } from './errors.js';
import {
  ALGORITHMS,
  checkAlgorithm,
  checkDigits,
  checkPeriod,
  DEFAULTS,
  MAX_DIGITS,
  MAX_PERIOD,
  MAX_SECRET_BYTES,
  MIN_DIGITS,
  type TotpAlgorithm,
} from './options.js';
import { secretToBytes, type TotpSecret } from './secret.js';

export interface BuildTotpUrlOptions {
  secret: TotpSecret;
  /** Shown under the issuer in the app, usually the e-mail address or user name. */
  accountName: string;
  /** Your product's name. An empty string leaves the prefix and parameter out. */
  issuer: string;
  period?: number;
  digits?: number;
  algorithm?: TotpAlgorithm;
}

export interface ParsedTotpUrl {
  /** Canonical base32: upper case, no spaces, no padding. */
  secret: string;
  accountName: string;
  /** From the `issuer` parameter or, failing that, the label prefix. */
  issuer: string | undefined;
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
}

/**
 * The longest secret text looked at: MAX_SECRET_BYTES in base32 (8 characters per 5 bytes) with
 * room for padding and the spaces some exporters put between groups.
 */
const MAX_SECRET_TEXT = 2 * Math.ceil((MAX_SECRET_BYTES * 8) / 5);

/** With the u flag a surrogate matches only when it is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0 and C1 controls and DEL: a URL carries them percent-encoded, never raw. */
const CONTROL = /\p{Cc}/u;

/** A label part the format can carry: well-formed Unicode, and not blank. */
function checkLabelPart(what: string, value: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw new TotpConfigError('invalid_label', `The ${what} has a lone UTF-16 surrogate, which no URL can encode.`);
  }
  if (CONTROL.test(value)) {
    throw new TotpConfigError('invalid_label', `The ${what} contains a control character.`);
  }
}

/**
 * Builds an `otpauth://totp/` URL. Default-valued parameters are left out, as allauth and pyotp
 * do, because some apps mishandle parameters they do not expect.
 *
 * @example buildTotpUrl({ secret, accountName: 'ada@example.com', issuer: 'ACME Co' })
 * // 'otpauth://totp/ACME%20Co:ada%40example.com?secret=…&issuer=ACME%20Co'
 */
export function buildTotpUrl(options: BuildTotpUrlOptions): string {
  const { accountName, issuer } = options;
  // Apps trim the label; an account of spaces would show as nothing.
  if (typeof accountName !== 'string' || accountName.trim() === '') {
    throw new TotpConfigError('invalid_label', 'accountName must be a string with something besides spaces.');
  }
  if (typeof issuer !== 'string') throw new TotpConfigError('invalid_label', 'issuer must be a string.');
  checkLabelPart('account name', accountName);
  checkLabelPart('issuer', issuer);
  // Readers split the label at its first colon (%3A included): a colon in the issuer, or in an
  // account with no issuer before it, would move that split. One in the account after an issuer
  // prefix cannot, so `urn:user:42` is written `ACME:urn%3Auser%3A42` and shown as it is.
  if (issuer.includes(':')) throw new TotpConfigError('invalid_label', "The issuer may not contain ':'.");
  if (issuer === '' && accountName.includes(':')) {
    throw new TotpConfigError('invalid_label', "Without an issuer, the account name may not contain ':'.");
  }
  const secret = base32Encode(secretToBytes(options.secret));
  const algorithm = checkAlgorithm(options.algorithm ?? DEFAULTS.algorithm);
  const digits = checkDigits(options.digits ?? DEFAULTS.digits);
  const period = checkPeriod(options.period ?? DEFAULTS.period);

  // encodeURIComponent writes a space as %20; URLSearchParams would write '+'.
  const label = issuer
    ? `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`
    : encodeURIComponent(accountName);
  let query = `secret=${secret}`;
  if (issuer) query += `&issuer=${encodeURIComponent(issuer)}`;
  if (algorithm !== DEFAULTS.algorithm) query += `&algorithm=${algorithm}`;
  if (digits !== DEFAULTS.digits) query += `&digits=${digits}`;
  if (period !== DEFAULTS.period) query += `&period=${period}`;
  return `otpauth://totp/${label}?${query}`;
}

function decode(component: string, code: 'invalid_label' | 'invalid_url'): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw new TotpUrlError(code, 'The otpauth URL has a malformed percent-escape.');
  }
}

function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq), 'invalid_url').toLowerCase();
    // The query is form-encoded: `+` is a space there (Google Authenticator's and Aegis's
    // readers agree), and a literal plus is %2B. In the label a `+` stays a plus.
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '), 'invalid_url');
    if (params.has(name)) {
      throw new TotpUrlError('duplicate_parameter', `The otpauth URL repeats the "${name}" parameter.`);
    }
    params.set(name, value);
  }
  return params;
}

/**
 * Parses a TOTP key URI as Google Authenticator, pyotp and otpauth produce them.
 *
 * Accepts `%3A` for the label colon, padding and lower case in the secret, `+` for a space in
 * the query (form encoding), and an empty `issuer=` next to a label prefix.
 *
 * @throws TotpUrlError with a `code` naming what is wrong: control characters or a lone surrogate,
 * not `otpauth://`, not `totp`, a missing, non-base32 or over-long secret, an unsupported
 * algorithm, digits or encoder, a bad period, or an issuer parameter that contradicts the label.
 */
export function parseTotpUrl(url: string): ParsedTotpUrl {
  if (typeof url !== 'string') throw new TotpUrlError('invalid_url', 'The otpauth URL must be a string.');
  // A URL has no raw control character (a pasted trailing newline) and no lone surrogate; each is
  // refused here, where it would otherwise surface later as a misleading error.
  if (CONTROL.test(url) || LONE_SURROGATE.test(url)) {
    throw new TotpUrlError('invalid_url', 'The otpauth URL contains a control character or a lone surrogate.');
  }
  const scheme = url.slice(0, 10).toLowerCase();
  if (scheme !== 'otpauth://') throw new TotpUrlError('not_otpauth', 'The URL does not start with otpauth://.');
  const rest = url.slice(10);
  const slash = rest.indexOf('/');
  const type = (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
  if (type !== 'totp') {
    throw new TotpUrlError('not_totp', `Only otpauth://totp/ URLs are supported; this one is "${type}".`);
  }
  const afterType = rest.slice(slash + 1);
  const question = afterType.indexOf('?');
  const rawLabel = question === -1 ? afterType : afterType.slice(0, question);
  const params = parseQuery(question === -1 ? '' : afterType.slice(question + 1).split('#')[0]!);

  const label = decode(rawLabel, 'invalid_label');
  const colon = label.indexOf(':');
  const labelIssuer = colon === -1 ? undefined : label.slice(0, colon);
  const accountName = (colon === -1 ? label : label.slice(colon + 1)).replace(/^ +/, '');
  if (accountName === '') throw new TotpUrlError('invalid_label', 'The otpauth URL has no account name.');

  // An empty `issuer=` says nothing (some exporters always write the parameter).
  const issuer = params.get('issuer') || undefined;
  if (issuer !== undefined && labelIssuer !== undefined && issuer !== labelIssuer) {
    throw new TotpUrlError(
      'issuer_mismatch',
      `The issuer parameter (${JSON.stringify(issuer)}) differs from the label prefix (${JSON.stringify(labelIssuer)}).`,
    );
  }
  // Steam Guard's `encoder=steam` (Aegis, andOTP) turns the same HMAC into five letters: read as
  // plain TOTP it would give codes that never match, so any encoder is refused.
  if (params.has('encoder')) {
    throw new TotpUrlError('unsupported_encoder', 'The otpauth URL asks for an encoder other than digits.');
  }

  const rawSecret = params.get('secret');
  if (!rawSecret) throw new TotpUrlError('missing_secret', 'The otpauth URL has no secret parameter.');
  // The same upper bound as generation (MAX_SECRET_BYTES), checked on the text before decoding.
  if (rawSecret.length > MAX_SECRET_TEXT) {
    throw new TotpUrlError('invalid_secret', `The secret is longer than ${MAX_SECRET_BYTES} bytes.`);
  }
  let secretBytes: Uint8Array;
  try {
    secretBytes = base32Decode(rawSecret);
  } catch {
    throw new TotpUrlError('invalid_secret', 'The secret parameter is not base32.');
  }
  if (secretBytes.length === 0) throw new TotpUrlError('invalid_secret', 'The secret parameter is empty.');
  if (secretBytes.length > MAX_SECRET_BYTES) {
    throw new TotpUrlError('invalid_secret', `The secret is longer than ${MAX_SECRET_BYTES} bytes.`);
  }

  const algorithmText = (params.get('algorithm') ?? DEFAULTS.algorithm).toUpperCase();
  if (!ALGORITHMS.includes(algorithmText as TotpAlgorithm)) {
    throw new TotpUrlError(
      'unsupported_algorithm',
      `Unsupported algorithm "${algorithmText}"; use SHA1, SHA256 or SHA512.`,
    );
  }
  const digitsText = params.get('digits') ?? String(DEFAULTS.digits);
  const digits = /^[0-9]{1,2}$/.test(digitsText) ? Number(digitsText) : Number.NaN;
  if (!(digits >= MIN_DIGITS && digits <= MAX_DIGITS)) {
    throw new TotpUrlError('unsupported_digits', `Unsupported digits "${digitsText}"; use 6 to 8.`);
  }
  const periodText = params.get('period') ?? String(DEFAULTS.period);
  const period = /^[0-9]{1,3}$/.test(periodText) ? Number(periodText) : Number.NaN;
  if (!(period >= 1 && period <= MAX_PERIOD)) {
    throw new TotpUrlError('invalid_period', `Unsupported period "${periodText}"; use 1 to 120 seconds.`);
  }

  return {
    secret: base32Encode(secretBytes),
    accountName,
    issuer: issuer ?? labelIssuer,
    algorithm: algorithmText as TotpAlgorithm,
    digits,
    period,
  };
}
