/**
 * `runConformance`: the twelve steps of docs/protocol.md against one backend and one test account,
 * then checks over every response the run received. The account must start without TOTP; the run
 * leaves it that way, cleaning up after a failed step when it can. Steps 10 and 11 check the
 * features status advertises; a feature it does not advertise is reported as not offered.
 */
import * as z from 'zod/mini';
import { ErrorResponse } from '../schemas.js';
import { type Exchange, type FetchFunction, ProtocolClient } from './client.js';
import type { Clock, RunContext } from './context.js';
import { expectThat } from './expect.js';
import { type CheckResult, CheckRunner, type NotOffered } from './report.js';
import { fixedSessions, type HeaderList, type SessionProvider, Sessions } from './sessions.js';
import { checkBadInput } from './steps/bad-input.js';
import { checkDeactivation, cleanUp } from './steps/deactivate.js';
import { checkActivation, checkInitialStatus, checkSetup, checkVerifyAndReplay } from './steps/lifecycle.js';
import { checkPendingSession } from './steps/pending.js';
import { checkReads } from './steps/reads.js';
import { checkReauthentication } from './steps/reauthenticate.js';
import { checkRecoveryCodes } from './steps/recovery.js';
import { checkTrustedBrowsers } from './steps/trusted-browsers.js';

export interface ConformanceOptions {
  /** The backend's base URL, the elements' `endpoint`: `https://app.example/mfa`. */
  baseUrl: string;
  /** Headers that make the backend see the test account signed in, such as a session cookie. */
  headers?: Headerish;
  /** Headers of a session of the same account pending its second factor (§2.4), for `verify`. */
  pendingHeaders?: Headerish;
  /** Headers of a session signed in a moment ago, for hosts that want a recent login before a change. */
  reauthHeaders?: Headerish;
  /** The host's CSRF token header(s), sent on every request; one check leaves them out (§8 item 3). */
  csrfHeaders?: Headerish;
  /**
   * Instead of fixed headers: signs the test user in for a phase and resolves its headers (or null
   * when it cannot). Called again for a new pending session after each successful verify.
   */
  session?: SessionProvider;
  /** Default: the global `fetch`. */
  fetch?: FetchFunction;
  /** Called with each result as it is known, for live output. */
  onResult?: (result: CheckResult) => void;
  /** Called when the run finds a feature the backend does not offer, for live output. */
  onNotOffered?: (note: NotOffered) => void;
  /** Milliseconds per request before it counts as no response. Default 15 000. */
  timeoutMs?: number;
  /** Default: the real clock. Tests pass a virtual one shared with the backend. */
  clock?: Clock;
}

type Headerish = Record<string, string> | [string, string][];

export interface ConformanceReport {
  /** True when every check passed: none failed and none was skipped. A feature not offered does not count. */
  ok: boolean;
  passed: number;
  failed: number;
  skipped: number;
  results: CheckResult[];
  /** The features status does not advertise, whose checks do not apply: not failures, not skips. */
  notOffered: NotOffered[];
}

const list = (headers: Headerish | undefined): HeaderList =>
  Array.isArray(headers) ? headers : Object.entries(headers ?? {});

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs the conformance checks. It never throws for a backend's misbehaviour; see `report.ok`. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const provider =
    options.session ??
    fixedSessions({
      signedIn: list(options.headers),
      pending: list(options.pendingHeaders),
      reauthenticated: list(options.reauthHeaders),
    });
  const sessions = new Sessions(provider, list(options.csrfHeaders));
  const client = new ProtocolClient({
    baseUrl: options.baseUrl,
    sessions,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  const checks = new CheckRunner(options.onResult, options.onNotOffered);
  const context: RunContext = {
    client,
    checks,
    clock: options.clock ?? realClock,
    hasSession: (await sessions.headers('signedIn')) !== null,
    totp: null,
    secrets: [],
    otpauthUrls: [],
    activation: null,
    active: false,
    unusedRecoveryCodes: [],
    lastStep: null,
    features: null,
  };

  try {
    await checkInitialStatus(context);
    await checkReads(context);
    const enrollment = await checkSetup(context);
    await checkActivation(context, enrollment);
    await checkPendingSession(context);
    await checkVerifyAndReplay(context);
    await checkBadInput(context);
    await checkRecoveryCodes(context);
    await checkReauthentication(context);
    const trust = await checkTrustedBrowsers(context);
    // Undefined when the backend trusts no browser: then there is no revocation to check.
    await checkDeactivation(context, context.features?.trustedBrowsers === null ? undefined : trust);
  } finally {
    await cleanUp(context);
  }
  await checkEveryResponse(context);

  const count = (outcome: CheckResult['outcome']) =>
    checks.results.filter((result) => result.outcome === outcome).length;
  const [passed, failed, skipped] = [count('pass'), count('fail'), count('skip')];
  return {
    ok: failed === 0 && skipped === 0,
    passed,
    failed,
    skipped,
    results: checks.results,
    notOffered: checks.notOffered,
  };
}

/** The rules that hold for every response (docs/protocol.md, "Every response"). */
async function checkEveryResponse(context: RunContext): Promise<void> {
  const { checks, client } = context;
  const responses = client.exchanges.filter((exchange) => exchange.status !== 0);
  const withBody = responses.filter((exchange) => exchange.method !== 'HEAD' && exchange.status !== 204);
  checks.step(13, 'every response');

  const offenders = (list: Exchange[]) =>
    list.length === 0
      ? ''
      : `${list.length} of ${responses.length}, e.g. ${list
          .slice(0, 3)
          .map((exchange) => `${exchange.label} → ${exchange.status}`)
          .join('; ')}`;
  // Over whatever the run received, even when a failed step cut it short; over no response at
  // all a rule proves nothing, so it is skipped rather than passed.
  const rule = async (name: string, expected: string, broken: Exchange[], overRequests = false) => {
    if (responses.length === 0 && !overRequests) return checks.skip(name, 'the backend answered no request');
    await checks.always(name, () => expectThat(broken.length === 0, expected, offenders(broken)));
  };

  await rule(
    'no response is a 5xx or a dropped connection',
    'a 2xx or 4xx to every request',
    client.exchanges.filter((exchange) => exchange.status === 0 || exchange.status >= 500),
    true,
  );
  await rule(
    'every response has Cache-Control: no-store',
    'Cache-Control: no-store',
    responses.filter((exchange) => !/(^|,)\s*no-store\s*(,|$)/i.test(exchange.headers.get('cache-control') ?? '')),
  );
  await rule(
    'every response has Content-Type: application/json',
    'Content-Type: application/json',
    withBody.filter((exchange) => !/^application\/json\s*(;|$)/i.test(exchange.headers.get('content-type') ?? '')),
  );
  await rule(
    'every response has X-Content-Type-Options: nosniff',
    'X-Content-Type-Options: nosniff',
    responses.filter((exchange) => exchange.headers.get('x-content-type-options')?.toLowerCase() !== 'nosniff'),
  );
  await rule(
    'every error response has the error envelope',
    '{ error: { code, message } }',
    withBody.filter((exchange) => exchange.status >= 400 && !z.safeParse(ErrorResponse, exchange.json).success),
  );
  await rule(
    'no response grants CORS access to any origin (*) or to null',
    'no Access-Control-Allow-Origin: * or null',
    responses.filter((exchange) => ['*', 'null'].includes(exchange.headers.get('access-control-allow-origin') ?? '')),
  );
  await rule(
    'no response but a successful setup carries a secret or an otpauth URL',
    'the secret only in setup responses',
    responses.filter((exchange) => !isSetupSuccess(exchange) && carriesSecret(exchange, context)),
  );
}

function isSetupSuccess(exchange: Exchange): boolean {
  return exchange.method === 'POST' && exchange.path === '/totp/setup' && exchange.status === 200;
}

function carriesSecret(exchange: Exchange, context: RunContext): boolean {
  const text = `${exchange.text}\n${[...exchange.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}`;
  const upper = text.toUpperCase();
  return (
    context.secrets.some((secret) => upper.includes(secret.toUpperCase())) ||
    context.otpauthUrls.some((url) => text.includes(url))
  );
}
