/**
 * The elements on a django-allauth headless backend (`protocol="allauth-headless"`, `endpoint` the
 * headless base such as `/_allauth/browser/v1`). Each protocol call becomes the allauth calls that
 * do the same, and allauth's answers become protocol answers and `TotpRequestError`s, so the
 * elements' states, events and texts are those of every other backend. Written against allauth
 * 0.63.6 as measured (/work/shared/reference/allauth-headless.md) and the `totp_url` of 64+;
 * docs/elements.md, "django-allauth headless", has the table and what cannot be mapped.
 *
 * A module of its own, loaded by `import()` only when an element is set to this protocol: the
 * default path pays nothing for it (scripts/bundle.mjs keeps it a separate chunk).
 */
import type { EndpointName, SetupResponse, StatusResponse } from '@totpkit/protocol';
import type { ClientOptions, EndpointRequest, EndpointResponse, TotpErrorCode } from '../shared/client.js';
import type { TotpStringOverrides } from '../shared/strings/index.js';

/**
 * A failed call, with `TotpRequestError`'s members. Not that class itself: the no-build bundle
 * builds this module as a chunk that shares no code with the bundle, and the elements take any
 * error with a `code` (see `TotpElement._fail`).
 */
class TotpRequestError extends Error {
  override name = 'TotpRequestError';
  constructor(
    readonly code: TotpErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** allauth fixes these (MFA_TOTP_DIGITS/PERIOD are not exposed); SHA1 is its only algorithm. */
const DIGITS = 6;
const PERIOD = 30;

/** An allauth envelope: `{status, data, meta, errors}`, members as needed. */
// biome-ignore-start lint/suspicious/noExplicitAny: allauth's bodies are read member by member, each with a fallback.
interface Envelope {
  status?: number;
  data?: any;
  meta?: any;
  errors?: { code?: string; param?: string; message?: string }[];
}
// biome-ignore-end lint/suspicious/noExplicitAny: see above

/** allauth's error codes, as ours. Those not listed count by their status (see `failure`). */
const ERRORS: Record<string, TotpErrorCode> = {
  incorrect_code: 'invalid_code',
  // A 400 without a retry time: the element counts down its default wait (docs/elements.md).
  too_many_login_attempts: 'rate_limited',
  required: 'invalid_request',
  cannot_generate_recovery_codes: 'not_active',
  unverified_email: 'forbidden',
};

/** Django's CSRF cookie, read afresh for every request: it rotates when a login step completes. */
function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1] as string) : '';
}

/** allauth only trims a code; a pasted `123 456` or `4064-3614` would be refused. */
const clean = (code: string): string => code.replace(/[\s-]/g, '');

/** Unix seconds (allauth sends floats) as the protocol's ISO timestamp. */
const iso = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;

/** The error a non-2xx envelope stands for. */
function failure(what: string, status: number, json: Envelope, retryAfter: number | null): TotpRequestError {
  const first = json.errors?.[0];
  const detail = first ? `${first.code}: ${first.message}` : JSON.stringify(json).slice(0, 200);
  const message = `${what} answered ${status} (allauth ${detail})`;
  if (status === 401) {
    const flows: string[] = (json.data?.flows ?? []).map((flow: { id?: string }) => flow.id);
    // Signed in, but not recently: `meta.is_authenticated` tells it from "not signed in".
    const reauth = json.meta?.is_authenticated && flows.some((id) => /^(mfa_)?reauthenticate$/.test(id));
    return new TotpRequestError(reauth ? 'reauthentication_required' : 'unauthenticated', message, status);
  }
  if (status === 429) return new TotpRequestError('rate_limited', message, status, retryAfter);
  const code = (first?.code && ERRORS[first.code]) || (status >= 500 ? 'internal_error' : 'invalid_request');
  return new TotpRequestError(code, message, status, code === 'rate_limited' ? retryAfter : null);
}

/** What a non-JSON answer means with allauth: Django's own pages, not the headless API. */
function notJson(what: string, status: number): TotpRequestError {
  const say = (code: TotpErrorCode, why: string) =>
    new TotpRequestError(code, `${what} answered ${status} without JSON: ${why}`, status);
  if (status === 403) {
    return say('forbidden', "Django's CSRF check failed; the csrftoken cookie is missing or stale.");
  }
  if (status === 502 || status === 503 || status === 504) return say('unavailable', 'the backend is down.');
  if (status >= 500) return say('internal_error', 'a server error in Django (see its log).');
  if (status === 404)
    return say('not_found', 'no such path; is endpoint the headless base, such as /_allauth/browser/v1?');
  return say('invalid_request', 'refused by Django before the headless API answered.');
}

/** One allauth call: the answer's status and envelope for a 2xx or a 404 with JSON; throws otherwise. */
async function send(
  options: ClientOptions,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: object,
  notFoundOk = false,
): Promise<{ status: number; json: Envelope }> {
  const url = options.endpoint.replace(/\/+$/, '') + path;
  const what = `${method} ${url}`;
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (method !== 'GET') {
    // The first token comes from any GET under the headless base.
    if (!csrfToken()) await send(options, 'GET', '/config');
    headers['X-CSRFToken'] = csrfToken();
  }
  if (body) headers['Content-Type'] = 'application/json';
  const fetcher = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetcher(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body ? JSON.stringify(body) : null,
    });
  } catch (error) {
    throw new TotpRequestError('network_error', `${what} failed: ${(error as Error)?.message ?? error}`);
  }
  const { status } = response;
  if (!/^application\/json\b/i.test(response.headers.get('Content-Type') ?? '')) throw notJson(what, status);
  let json: Envelope;
  try {
    json = await response.json();
  } catch {
    throw new TotpRequestError('invalid_response', `${what} answered ${status} with a body that is not JSON`, status);
  }
  if (response.ok || (status === 404 && notFoundOk)) return { status, json };
  const seconds = Number(response.headers.get('Retry-After'));
  throw failure(what, status, json, response.headers.has('Retry-After') && seconds >= 0 ? seconds : null);
}

/** The user's authenticators: the TOTP entry and the recovery-code set, when there are. */
async function authenticators(options: ClientOptions) {
  const { json } = await send(options, 'GET', '/account/authenticators');
  // biome-ignore lint/suspicious/noExplicitAny: as the envelope
  const list: { type: string; [key: string]: any }[] = Array.isArray(json.data) ? json.data : [];
  return { totp: list.find((a) => a.type === 'totp'), codes: list.find((a) => a.type === 'recovery_codes') };
}

async function status(options: ClientOptions): Promise<StatusResponse> {
  const { totp, codes } = await authenticators(options);
  // The protocol's lastUsedAt counts recovery codes too; allauth keeps one date per authenticator.
  const used = [totp?.last_used_at, codes?.last_used_at].filter((at): at is number => typeof at === 'number');
  return {
    totp: {
      active: !!totp,
      createdAt: iso(totp?.created_at),
      lastUsedAt: iso(used.length ? Math.max(...used) : null),
    },
    recoveryCodes: codes ? { total: codes.total_code_count, unused: codes.unused_code_count } : null,
    config: { digits: DIGITS, period: PERIOD },
    // allauth cannot say ahead of time: its 401 comes at activation (django-allauth#4019).
    reauthenticationRequired: false,
  };
}

async function setup(options: ClientOptions): Promise<SetupResponse> {
  const { status: code, json } = await send(options, 'GET', '/account/authenticators/totp', undefined, true);
  if (code === 200) throw new TotpRequestError('already_active', 'allauth: TOTP is already active', 409);
  const secret: string | undefined = json.meta?.secret;
  if (!secret)
    throw new TotpRequestError('invalid_response', 'allauth: the 404 of GET totp carries no meta.secret', 404);
  let url: string | undefined = json.meta?.totp_url;
  let issuer = options.issuer || location.hostname;
  let account: string;
  if (url) {
    // allauth ≥ 64 builds the URL: its label and issuer are what the app will show.
    const parsed = new URL(url);
    const label = decodeURIComponent(parsed.pathname.replace(/^\/*(totp\/)?/, ''));
    issuer = parsed.searchParams.get('issuer') ?? issuer;
    account = label.includes(':') ? label.slice(label.indexOf(':') + 1) : label;
  } else {
    const { json: session } = await send(options, 'GET', '/auth/session');
    const user = session.data?.user ?? {};
    account = String(user.email || user.username || user.display || '');
    const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
    const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
    url = `otpauth://totp/${label}?${query}`;
  }
  return {
    secret,
    otpauthUrl: url,
    // allauth sends no image: the element draws the QR code.
    qrCode: null,
    digits: DIGITS,
    period: PERIOD,
    algorithm: 'SHA1',
    issuer,
    accountName: account,
    // The pending secret lives in the Django session (the newest GET wins), not in a token.
    enrollmentToken: 'allauth-session',
    // …and never expires there: the latest date a Date can hold.
    expiresAt: new Date(8.64e15).toISOString(),
  };
}

/** The unused recovery codes (8 digits); allauth can show them again, with recent authentication. */
async function recoveryCodes(options: ClientOptions): Promise<string[]> {
  const { status: code, json } = await send(options, 'GET', '/account/authenticators/recovery-codes', undefined, true);
  return code === 200 ? (json.data?.unused_codes ?? []) : [];
}

/** allauth asks for no code to deactivate or regenerate; ours does, so it goes to reauthenticate first. */
async function confirm(options: ClientOptions, code: string): Promise<void> {
  const { totp } = await authenticators(options);
  if (!totp) throw new TotpRequestError('not_active', 'allauth: TOTP is not active', 404);
  await send(options, 'POST', '/auth/2fa/reauthenticate', { code: clean(code) });
}

type Body = { code?: string } | undefined;

const CALLS: { [N in EndpointName]: (options: ClientOptions, body: Body) => Promise<unknown> } = {
  status,
  setup,
  async activate(options, body) {
    // allauth answers a second activation with a 500 HTML page (an IntegrityError): ask first.
    if ((await authenticators(options)).totp) {
      throw new TotpRequestError('already_active', 'allauth: TOTP is already active', 409);
    }
    await send(options, 'POST', '/account/authenticators/totp', { code: clean(body?.code ?? '') });
    // The activation's answer carries no codes; reading them needs the recent sign-in it just was.
    return { recoveryCodes: await recoveryCodes(options) };
  },
  async deactivate(options, body) {
    await confirm(options, body?.code ?? '');
    await send(options, 'DELETE', '/account/authenticators/totp');
    return {};
  },
  async regenerateRecoveryCodes(options, body) {
    await confirm(options, body?.code ?? '');
    const { json } = await send(options, 'POST', '/account/authenticators/recovery-codes', {});
    return { recoveryCodes: json.data?.unused_codes ?? [] };
  },
  verify: (options, body) => accepted(options, '/auth/2fa/authenticate', body),
  reauthenticate: (options, body) => accepted(options, '/auth/2fa/reauthenticate', body),
  // allauth's trust is a signed cookie of its own, with nothing to list or revoke (its status
  // advertises no trusted browsers, so the elements never call these).
  trustedBrowsers: notOffered,
  revokeTrustedBrowsers: notOffered,
};

/** Sends a code to `path`; answers which kind it was and how many recovery codes are left. */
async function accepted(options: ClientOptions, path: string, body: Body) {
  const { json } = await send(options, 'POST', path, { code: clean(body?.code ?? '') });
  const methods: { type?: string }[] = json.data?.methods ?? [];
  const method = methods.at(-1)?.type === 'recovery_codes' ? 'recovery_code' : 'totp';
  // Signed in now (with a new CSRF token), so the count can be read.
  const { codes } = await authenticators(options);
  return { method, recoveryCodesLeft: codes ? codes.unused_code_count : null };
}

async function notOffered(): Promise<never> {
  throw new TotpRequestError('not_found', 'allauth: no such call in allauth headless', 404);
}

/** The allauth headless transport: `callEndpoint`'s signature, allauth's calls. */
export function allauthHeadless<N extends EndpointName>(
  options: ClientOptions,
  name: N,
  body?: EndpointRequest<N>,
): Promise<EndpointResponse<N>> {
  return CALLS[name](options, body as Body) as Promise<EndpointResponse<N>>;
}

/**
 * allauth's recovery codes are 8 digits and can be shown again (with a recent sign-in), unlike
 * ours: the texts that say otherwise, by language. A page's `strings` still win over these.
 */
const TEXTS: Record<string, TotpStringOverrides> = {
  en: {
    recoveryHint: 'Enter one of your unused 8-digit recovery codes.',
    recoveryFormat: 'Enter a recovery code: 8 digits.',
    codesIntro:
      'If you lose your phone, each of these codes signs you in once. Keep them somewhere safe; you can also show the unused ones again in your account settings.',
  },
  de: {
    recoveryHint: 'Geben Sie einen Ihrer unbenutzten 8-stelligen Wiederherstellungscodes ein.',
    recoveryFormat: 'Geben Sie einen Wiederherstellungscode ein: 8 Ziffern.',
    codesIntro:
      'Wenn Sie Ihr Telefon verlieren, meldet Sie jeder dieser Codes einmal an. Bewahren Sie sie sicher auf; die unbenutzten können Sie in Ihren Kontoeinstellungen erneut anzeigen.',
  },
  fr: {
    recoveryHint: 'Saisissez l’un de vos codes de récupération inutilisés à 8\u00a0chiffres.',
    recoveryFormat: 'Saisissez un code de récupération\u00a0: 8\u00a0chiffres.',
    codesIntro:
      'Si vous perdez votre téléphone, chacun de ces codes vous connecte une fois. Conservez-les en lieu sûr\u00a0; vous pourrez réafficher ceux qui restent dans les paramètres de votre compte.',
  },
  es: {
    recoveryHint: 'Introduzca uno de sus códigos de recuperación de 8 dígitos sin usar.',
    recoveryFormat: 'Introduzca un código de recuperación: 8 dígitos.',
    codesIntro:
      'Si pierde su teléfono, cada uno de estos códigos le permite iniciar sesión una vez. Guárdelos en un lugar seguro; puede volver a mostrar los no usados en la configuración de su cuenta.',
  },
};

/** The texts above for a page's language (`de-CH` counts as `de`), English otherwise. */
export const texts = (lang: string): TotpStringOverrides =>
  TEXTS[lang.slice(0, 2).toLowerCase()] ?? (TEXTS.en as TotpStringOverrides);
