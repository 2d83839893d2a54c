/**
 * Step 11: trusted browsers (§5.8), when status advertises `features.trustedBrowsers`. A verify
 * with `trustBrowserDays` trusts the browser for at most `maxDays` and hands it a cookie that
 * scripts cannot read, that travels over HTTPS only, to this host only, and not on cross-site
 * subrequests; the list marks the browser whose cookie came with the request; revoking one by id
 * or all of them takes them off the list; regenerating the recovery codes revokes them all. The
 * verifies here use spare recovery codes, so nothing waits for a new period.
 *
 * Not advertised, the calls do not exist for this backend: the kit says so and only checks that
 * they answer like any unknown path.
 */
import { ENDPOINTS } from '../../endpoints.js';
import {
  MAX_TRUST_DAYS,
  RecoveryCodesResponse,
  RevokeTrustedBrowsersResponse,
  type TrustedBrowser,
  TrustedBrowsersResponse,
  VerifyResponse,
} from '../../schemas.js';
import { NO_FEATURES, type RunContext, spareCode, spent } from '../context.js';
import { describeResponse, expectError, expectOk, expectThat } from '../expect.js';

const { verify, regenerateRecoveryCodes, trustedBrowsers, revokeTrustedBrowsers } = ENDPOINTS;

const DAY_MS = 86_400_000;
/** How far `trustedUntil` and the cookie's lifetime may be from what the kit computes. */
const SLACK_MS = 120_000;
/** An id no backend gave out. */
const UNKNOWN_ID = 'totpkit-conformance-unknown';
const NO_PENDING = 'no pending session (--pending-header or --login-command), so none to refuse';

/** A browser the backend now trusts: its cookie and when the trust ends. */
export interface Trust {
  cookie: { name: string; value: string; attributes: Map<string, string> };
  trustedUntil: number;
}

export async function checkTrustedBrowsers(context: RunContext): Promise<Trust | null> {
  const { checks, client } = context;
  checks.step(11, 'trusted browsers');
  const features = context.features;
  // Unknown only when status failed: the run has failed already, and the checks are listed as skipped.
  if (features !== null && features.trustedBrowsers === null) {
    checks.notOfferedFeature(
      'trustedBrowsers',
      `status ${features === NO_FEATURES ? 'has no features (an older backend)' : 'has features.trustedBrowsers null'}`,
    );
    await checks.check('GET /trusted-browsers, not offered, answers 404 not_found like an unknown path', async () => {
      expectError(await client.send('GET', trustedBrowsers.path, { label: 'not offered' }), 'not_found');
    });
    await checks.check('POST /trusted-browsers/revoke, not offered, answers 404 not_found', async () => {
      const body = { id: UNKNOWN_ID };
      expectError(await client.send('POST', revokeTrustedBrowsers.path, { body, label: 'not offered' }), 'not_found');
    });
    return null;
  }
  const maxDays = features?.trustedBrowsers?.maxDays ?? 1;
  const depends = dependsOn(context);

  // More days than the backend gives, where the protocol allows it: the trust is capped, not refused.
  const asked = Math.min(maxDays + 1, MAX_TRUST_DAYS);
  const first = await trust(
    context,
    `verify with trustBrowserDays ${asked} trusts this browser for maxDays (${maxDays}), in trustedUntil`,
    asked,
    maxDays,
  );
  await depends(
    'its cookie is __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, and lasts until trustedUntil',
    first,
    ({ cookie, trustedUntil }) => {
      const { name, attributes } = cookie;
      const flags = ['httponly', 'secure'].filter((flag) => attributes.has(flag));
      const described = `${name}; ${[...attributes].map(([key, value]) => (value ? `${key}=${value}` : key)).join('; ')}`;
      expectThat(
        name.startsWith('__Host-') &&
          flags.length === 2 &&
          attributes.get('samesite')?.toLowerCase() === 'lax' &&
          attributes.get('path') === '/' &&
          !attributes.has('domain'),
        '__Host-…; Path=/; HttpOnly; Secure; SameSite=Lax, without Domain',
        described,
      );
      const maxAge = Number(attributes.get('max-age'));
      const ends = context.clock.now() + maxAge * 1000;
      expectThat(
        Number.isInteger(maxAge) && maxAge > 0 && Math.abs(ends - trustedUntil) <= SLACK_MS,
        `Max-Age of about ${Math.round((trustedUntil - context.clock.now()) / 1000)} s (until trustedUntil)`,
        attributes.has('max-age') ? `Max-Age=${attributes.get('max-age')}` : 'no Max-Age (a session cookie)',
      );
    },
  );
  let firstId: string | undefined;
  await depends(
    'GET /trusted-browsers lists it as current when its cookie is sent, with its expiresAt',
    first,
    async (trusted) => {
      const browsers = await list(context, { [trusted.cookie.name]: trusted.cookie.value });
      const current = browsers.filter((browser) => browser.current);
      expectThat(current.length === 1, 'exactly one browser with current: true', `${current.length}`);
      const [browser] = current as [TrustedBrowser];
      firstId = browser.id;
      expectThat(
        Math.abs(Date.parse(browser.expiresAt) - trusted.trustedUntil) <= 1000,
        'expiresAt equal to trustedUntil',
        browser.expiresAt,
      );
    },
  );
  await depends('without its cookie it is listed, but not as current', first, async ({ cookie }) => {
    const browsers = await list(context, { [cookie.name]: null });
    const browser = browsers.find((listed) => listed.id === firstId);
    expectThat(browser !== undefined, 'the trusted browser in the list', 'not listed');
    expectThat(!browser.current, 'current: false', 'current: true');
  });

  const pendingNames = [
    'a pending session may not list trusted browsers (401 unauthenticated)',
    'a pending session may not revoke trusted browsers (401 unauthenticated)',
  ] as const;
  const pending = checks.skipping === null ? await client.sessions.headers('pending') : null;
  if (pending === null) for (const name of pendingNames) checks.skip(name, checks.skipping ?? NO_PENDING);
  else {
    await checks.check(pendingNames[0], async () => {
      const exchange = await client.send('GET', trustedBrowsers.path, { session: 'pending', label: 'pending session' });
      expectThat(exchange.status === 401, '401 unauthenticated', describeResponse(exchange));
      expectError(exchange, 'unauthenticated');
    });
    await checks.check(pendingNames[1], async () => {
      // An id that matches nothing: a backend that lets the pending session through still revokes nothing.
      const body = { id: UNKNOWN_ID };
      const exchange = await client.send('POST', revokeTrustedBrowsers.path, {
        body,
        session: 'pending',
        label: 'pending session',
      });
      expectThat(exchange.status === 401, '401 unauthenticated', describeResponse(exchange));
      expectError(exchange, 'unauthenticated');
    });
  }

  const second = await trust(
    context,
    'verify with trustBrowserDays 1 trusts a second browser for one day, with a new cookie',
    1,
    maxDays,
    first,
  );
  await depends('with both trusted, only the browser whose cookie is sent is current', second, async ({ cookie }) => {
    const browsers = await list(context, { [cookie.name]: cookie.value });
    const current = browsers.filter((browser) => browser.current).map((browser) => browser.id);
    expectThat(browsers.length >= 2, 'two trusted browsers listed', `${browsers.length}`);
    expectThat(
      current.length === 1 && current[0] !== firstId,
      'the second browser alone current',
      JSON.stringify(current),
    );
  });

  await checks.check('revoking an unknown id revokes nothing (revoked 0)', async () => {
    expectThat((await revoke(context, { id: UNKNOWN_ID }, 'unknown id')) === 0, 'revoked 0', 'more');
  });
  await depends('revoking one by its id answers revoked 1, and it is no longer listed', first, async () => {
    if (firstId === undefined) return expectThat(false, 'the id of the first browser', 'it was not listed');
    const revoked = await revoke(context, { id: firstId }, 'by id');
    expectThat(revoked === 1, 'revoked 1', `revoked ${revoked}`);
    const browsers = await list(context, {});
    expectThat(!browsers.some((browser) => browser.id === firstId), 'the revoked browser not listed', 'still listed');
  });
  await depends('revoking all of them answers how many (1) and leaves none listed', second, async () => {
    const revoked = await revoke(context, { all: true }, 'all');
    expectThat(revoked === 1, 'revoked 1 (the second browser)', `revoked ${revoked}`);
    const browsers = await list(context, {});
    expectThat(browsers.length === 0, 'no browsers', `${browsers.length}`);
  });

  // Trust is revoked with the factor's secrets: here the recovery codes, in step 12 TOTP itself.
  const third = await trust(
    context,
    'verify with trustBrowserDays trusts a browser again (for regeneration to revoke)',
    1,
    maxDays,
  );
  await depends('regenerating the recovery codes revoked every trusted browser', third, async ({ cookie }) => {
    const exchange = await client.send('POST', regenerateRecoveryCodes.path, {
      body: { code: await spareCode(context) },
      label: 'revokes trust',
    });
    const { recoveryCodes } = expectOk(exchange, RecoveryCodesResponse);
    context.unusedRecoveryCodes = [...recoveryCodes];
    const browsers = await list(context, { [cookie.name]: cookie.value });
    expectThat(browsers.length === 0, 'no browsers', `${browsers.length} still trusted`);
  });
  return trust(context, 'verify with trustBrowserDays trusts a browser again (for deactivation to revoke)', 1, maxDays);
}

/** Verifies with a spare code, asking for `days` of trust; the trust, or null when the check failed. */
async function trust(
  context: RunContext,
  name: string,
  days: number,
  maxDays: number,
  earlier?: Trust | null,
): Promise<Trust | null> {
  const { checks, client } = context;
  let result: Trust | null = null;
  await checks.check(name, async () => {
    const code = await spareCode(context);
    // The cookies the request carried: the trust cookie is the one the response adds.
    const sent = new Set(
      ((await client.sessions.headers(client.verifyPhase)) ?? [])
        .filter(([header]) => header.toLowerCase() === 'cookie')
        .flatMap(([, value]) => value.split(/;\s*/).map((pair) => pair.split('=')[0])),
    );
    const exchange = await client.send('POST', verify.path, { body: { code, trustBrowserDays: days }, label: 'trust' });
    if (exchange.status === 200) spent(context, code);
    const body = expectOk(exchange, VerifyResponse);
    const until = typeof body.trustedUntil === 'string' ? Date.parse(body.trustedUntil) : Number.NaN;
    const expected = context.clock.now() + Math.min(days, maxDays) * DAY_MS;
    expectThat(
      Math.abs(until - expected) <= SLACK_MS,
      `trustedUntil ${new Date(expected).toISOString()} (now + ${Math.min(days, maxDays)} days)`,
      `trustedUntil ${JSON.stringify(body.trustedUntil)}`,
    );
    const added = exchange.headers
      .getSetCookie()
      .map(parseSetCookie)
      .filter((cookie) => !sent.has(cookie.name));
    const cookie = added.find((candidate) => candidate.name.startsWith('__Host-')) ?? added[0];
    expectThat(cookie !== undefined, 'a Set-Cookie with the trust cookie', 'no new cookie');
    if (earlier) expectThat(cookie.value !== earlier.cookie.value, 'a new trust token', 'the same token as before');
    result = { cookie, trustedUntil: until };
  });
  return result;
}

/** The browsers the signed-in session lists, with `cookies` added to or taken out of its request. */
async function list(context: RunContext, cookies: Record<string, string | null>): Promise<TrustedBrowser[]> {
  const exchange = await context.client.send('GET', trustedBrowsers.path, { cookies });
  return expectOk(exchange, TrustedBrowsersResponse).browsers;
}

async function revoke(context: RunContext, body: { id: string } | { all: true }, label: string): Promise<number> {
  const exchange = await context.client.send('POST', revokeTrustedBrowsers.path, { body, label });
  return expectOk(exchange, RevokeTrustedBrowsersResponse).revoked;
}

/** A check that needs an earlier trust: listed as skipped when that trust failed. */
function dependsOn(context: RunContext) {
  return async (name: string, trust: Trust | null, body: (trust: Trust) => void | Promise<void>) => {
    if (trust === null && context.checks.skipping === null) {
      context.checks.skip(name, 'it depends on a trusted browser, and the verify that should trust it failed');
      return;
    }
    await context.checks.check(name, () => body(trust as Trust));
  };
}

/** `name=value; Attr; Attr=value` as in RFC 6265 §5.2, attribute names lower-cased. */
export function parseSetCookie(line: string): Trust['cookie'] {
  const [pair = '', ...rest] = line.split(';');
  const equals = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    if (key) attributes.set(key, at < 0 ? '' : attribute.slice(at + 1).trim());
  }
  return {
    name: (equals < 0 ? '' : pair.slice(0, equals)).trim(),
    value: (equals < 0 ? pair : pair.slice(equals + 1)).trim(),
    attributes,
  };
}
