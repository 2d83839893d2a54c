/**
 * `runConformance`: the ten steps of docs/protocol.md against one backend and one test account,
 * then checks over every response the run received. The account must start without TOTP; the run
 * leaves it that way, cleaning up after a failed step when it can.
 */
import * as z from 'zod/mini';
import { ErrorResponse } from '../schemas.js';
import { type Exchange, type FetchFunction, ProtocolClient } from './client.js';
import type { Clock, RunContext } from './context.js';
import { expectThat } from './expect.js';
import { type CheckResult, CheckRunner, RunAborted } from './report.js';
import { checkBadInput } from './steps/bad-input.js';
import { checkDeactivation, cleanUp } from './steps/deactivate.js';
import { checkActivation, checkInitialStatus, checkSetup, checkVerifyAndReplay } from './steps/lifecycle.js';
import { checkRecoveryCodes } from './steps/recovery.js';

export interface ConformanceOptions {
  /** The backend's base URL, the elements' `endpoint`: `https://app.example/mfa`. */
  baseUrl: string;
  /** Headers that make the backend see the test account signed in, such as a session cookie. */
  headers?: Record<string, string> | [string, string][];
  /** Default: the global `fetch`. */
  fetch?: FetchFunction;
  /** Called with each result as it is known, for live output. */
  onResult?: (result: CheckResult) => void;
  /** Milliseconds per request before it counts as no response. Default 15 000. */
  timeoutMs?: number;
  /** Default: the real clock. Tests pass a virtual one shared with the backend. */
  clock?: Clock;
}

export interface ConformanceReport {
  /** True when every check passed. */
  ok: boolean;
  passed: number;
  failed: number;
  results: CheckResult[];
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs the conformance checks. It never throws for a backend's misbehaviour; see `report.ok`. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const headers = Array.isArray(options.headers) ? options.headers : Object.entries(options.headers ?? {});
  const client = new ProtocolClient({
    baseUrl: options.baseUrl,
    headers,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  const checks = new CheckRunner(options.onResult);
  const context: RunContext = {
    client,
    checks,
    clock: options.clock ?? realClock,
    hasSession: headers.length > 0,
    totp: null,
    secrets: [],
    otpauthUrls: [],
    activation: null,
    active: false,
    unusedRecoveryCodes: [],
    lastStep: null,
  };

  try {
    await checkInitialStatus(context);
    const pending = await checkSetup(context);
    await checkActivation(context, pending);
    await checkVerifyAndReplay(context);
    await checkBadInput(context);
    await checkRecoveryCodes(context);
    await checkDeactivation(context);
  } catch (error) {
    if (!(error instanceof RunAborted)) throw error;
  } finally {
    await cleanUp(context);
  }
  await checkEveryResponse(context);

  const failed = checks.results.filter((result) => !result.ok).length;
  return { ok: failed === 0, passed: checks.results.length - failed, failed, results: checks.results };
}

/** The rules that hold for every response (docs/protocol.md, "Every response"). */
async function checkEveryResponse(context: RunContext): Promise<void> {
  const { checks, client } = context;
  const responses = client.exchanges.filter((exchange) => exchange.status !== 0);
  const withBody = responses.filter((exchange) => exchange.method !== 'HEAD' && exchange.status !== 204);
  checks.step(11, 'every response');

  const offenders = (list: Exchange[]) =>
    list.length === 0
      ? ''
      : `${list.length} of ${responses.length}, e.g. ${list
          .slice(0, 3)
          .map((exchange) => `${exchange.label} → ${exchange.status}`)
          .join('; ')}`;
  const rule = (name: string, expected: string, broken: Exchange[]) =>
    checks.check(name, () => expectThat(broken.length === 0, expected, offenders(broken)));

  await rule(
    'no response is a 5xx or a dropped connection',
    'a 2xx or 4xx to every request',
    client.exchanges.filter((exchange) => exchange.status === 0 || exchange.status >= 500),
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
    withBody.filter((exchange) => exchange.headers.get('x-content-type-options')?.toLowerCase() !== 'nosniff'),
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
