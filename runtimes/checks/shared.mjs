/**
 * What every runtime of the matrix runs, written once in plain ESM with no Node API so that Bun,
 * Deno and workerd load the same file: the RFC vectors of the core, the service lifecycle on a
 * given store, and an app that serves the Fetch handler next to a clock the Node test drives.
 * Each check throws on the first wrong answer; the runtime prints the names that passed, and the
 * Node side (test/matrix.test.ts) asserts on them.
 */
import {
  createTotpkit,
  formatHotpValue,
  generateEncryptionKey,
  hotpValue,
  MemoryRateLimiter,
  MemoryReplayCache,
  MemoryStore,
  totpCode,
  verifyTotp,
} from '@totpkit/server';
import { createTotpHandler } from '@totpkit/server/http';
import vectors from '../../packages/server/test/fixtures/rfc-vectors.json' with { type: 'json' };

/** 2030-01-01: where every runtime's virtual clock starts. The Node test starts its own there too. */
export const START_MS = Date.UTC(2030, 0, 1);

/** A clock that moves only when told, shared by the service, its replay cache and its limiter. */
export function virtualClock(start = START_MS) {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

function assert(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

/** RFC 4226 Appendix D and RFC 6238 Appendix B (the fixture the server's own tests use); returns how many passed. */
export function coreChecks() {
  const bytes = (ascii) => new TextEncoder().encode(ascii);
  for (const v of vectors) {
    const secret = bytes(v.secret_ascii);
    if (v.rfc === 4226) {
      const got = formatHotpValue(hotpValue(secret, v.time_or_counter, { digits: v.digits }), v.digits);
      assert(got === v.expected, `HOTP counter ${v.time_or_counter}: ${got} ≠ ${v.expected}`);
    } else {
      const options = { time: v.time_or_counter, digits: v.digits, algorithm: v.algorithm };
      const got = totpCode(secret, options);
      assert(got === v.expected, `TOTP ${v.algorithm} T=${v.time_or_counter}: ${got} ≠ ${v.expected}`);
      assert(verifyTotp(secret, v.expected, { ...options, tolerance: 0 }).ok, `verifyTotp ${v.algorithm}`);
    }
  }
  return vectors.length;
}

/** The memory store, replay cache and limiter on `clock`. */
export function memoryParts(clock) {
  return {
    store: new MemoryStore(),
    replayCache: new MemoryReplayCache({ now: clock.now }),
    rateLimiter: new MemoryRateLimiter({ now: clock.now }),
  };
}

/** A SQL store's parts: its own replay cache and limiter, in the same database. */
export function storeParts(store) {
  return { store, replayCache: store.replayCache(), rateLimiter: store.rateLimiter() };
}

/** A service on `parts` and `clock`, with a fresh key. */
export function createService(parts, clock) {
  const keyring = { current: 'k1', keys: { k1: generateEncryptionKey() } };
  return createTotpkit({ issuer: 'ACME Co', keyring, now: clock.now, ...parts });
}

/**
 * Enrol, activate, log in, refuse the replay, use a recovery code once, deactivate, on the parts
 * `makeParts` returns for a fresh clock (the stores must read the service's clock: replay claims
 * expire by it). Returns the names of the steps, all of which passed.
 */
export async function lifecycleChecks(makeParts) {
  const clock = virtualClock();
  const kit = createService(makeParts(clock), clock);
  const user = { id: 'ada', email: 'ada@example.com' };
  const codeNow = (secret) => totpCode(secret, { time: clock.now() / 1000 });
  const steps = [];
  const step = (name, ok) => {
    assert(ok, name);
    steps.push(name);
  };

  const setup = await kit.beginSetup(user);
  const activated = await kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: codeNow(setup.secret) });
  step('enroll and activate', activated.ok && activated.recoveryCodes.length === 10);
  step('status active', (await kit.status(user)).active === true);

  clock.advance(30_000);
  const code = codeNow(setup.secret);
  const first = await kit.verify(user, code);
  step('verify', first.ok && first.method === 'totp');
  const replay = await kit.verify(user, code);
  step('replay refused', !replay.ok && replay.error === 'invalid_code');

  const recovery = activated.recoveryCodes[0];
  const used = await kit.verify(user, recovery);
  step('recovery code', used.ok && used.method === 'recovery_code' && used.recoveryCodesLeft === 9);
  step('recovery code only once', !(await kit.verify(user, recovery)).ok);

  clock.advance(30_000);
  const off = await kit.deactivate(user, { code: codeNow(setup.secret) });
  step('deactivate', off.ok && (await kit.status(user)).active === false);
  await kit.close();
  return steps;
}

/**
 * A Fetch app: the protocol under `/mfa` for one test account, signed in with the cookie
 * `session=conformance` and pending its second factor with `session=conformance-pending`; and
 * `POST /__clock` with `{"now": ms}` so that the conformance kit's virtual clock (it waits for the
 * next TOTP step) moves the server's clock too instead of sleeping.
 */
export function protocolApp(parts, clock) {
  const totpkit = createService(parts, clock);
  const user = { id: 'conformance', email: 'conformance@example.com' };
  const SESSIONS = { 'session=conformance': user, 'session=conformance-pending': { ...user, pending: true } };
  const handler = createTotpHandler({
    totpkit,
    basePath: '/mfa',
    getUser: (request) => SESSIONS[request.headers.get('cookie')] ?? null,
  });
  return async (request) => {
    if (new URL(request.url).pathname === '/__clock' && request.method === 'POST') {
      const { now } = await request.json();
      clock.set(now);
      return Response.json({ now: clock.now() });
    }
    return handler(request);
  };
}
