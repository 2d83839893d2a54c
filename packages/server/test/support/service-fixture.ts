/**
 * A service on a controllable clock, with a user already enrolled or not, for the service tests.
 * `clock.advance(30)` moves to the next time step; `code()` is the code for the current step.
 */
import {
  createTotpkit,
  generateEncryptionKey,
  MemoryStore,
  type RateLimiter,
  type ReplayCache,
  type Totpkit,
  type TotpkitOptions,
  type TotpStore,
  type TotpUser,
  totpCode,
} from '../../src/index.js';

/** A fixed, arbitrary start: 2023-11-14T22:13:20Z, a multiple of 30 s. */
export const START_MS = 1_700_000_000_000;

export interface Clock {
  now: () => number;
  /** Moves the clock by `seconds`. */
  advance(seconds: number): void;
}

export function createClock(start = START_MS): Clock {
  let current = start;
  return {
    now: () => current,
    advance(seconds) {
      current += seconds * 1000;
    },
  };
}

export interface Parts {
  store: TotpStore;
  replayCache?: ReplayCache;
  rateLimiter?: RateLimiter;
}

export interface Fixture {
  kit: Totpkit;
  clock: Clock;
  options: TotpkitOptions;
}

/** A service over `parts` (MemoryStore by default) with a fresh keyring and the given options. */
export function makeService(overrides: Partial<TotpkitOptions> = {}, parts?: Parts): Fixture {
  const clock = createClock();
  const options: TotpkitOptions = {
    issuer: 'ACME Co',
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    store: parts?.store ?? new MemoryStore(),
    replayCache: parts?.replayCache,
    rateLimiter: parts?.rateLimiter,
    now: clock.now,
    logger: { warn: () => {}, error: () => {} },
    ...overrides,
  };
  return { kit: createTotpkit(options), clock, options };
}

export interface Enrolled {
  secret: string;
  recoveryCodes: string[];
  /** The code for the current step of the fixture's clock. */
  code(offsetSteps?: number): string;
}

/** Runs setup and activation for `user` and moves the clock one step on (the activation code is spent). */
export async function enroll({ kit, clock }: Fixture, user: TotpUser): Promise<Enrolled> {
  const setup = await kit.beginSetup(user);
  const code = (offsetSteps = 0) => totpCode(setup.secret, { time: clock.now() / 1000 + offsetSteps * 30 });
  const activated = await kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
  if (!activated.ok) throw new Error(`activation failed: ${activated.error}`);
  clock.advance(30);
  return { secret: setup.secret, recoveryCodes: activated.recoveryCodes, code };
}
