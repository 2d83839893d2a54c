/**
 * What the steps of a run share: the client, the checks, the clock, and what the kit has learnt
 * about the test account (its TOTP parameters, the last step it used, the unused recovery codes).
 */
import type { Features } from '../schemas.js';
import type { ProtocolClient } from './client.js';
import type { CheckRunner } from './report.js';
import { stepAt, type TotpParameters, totpAt } from './totp.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface RunContext {
  client: ProtocolClient;
  checks: CheckRunner;
  clock: Clock;
  /** True when `--header` gave session headers, so the kit can leave them out to test 401. */
  hasSession: boolean;
  /** The parameters of the secret being enrolled or enrolled. */
  totp: TotpParameters | null;
  /** Every secret a setup returned; no other response may contain one. */
  secrets: string[];
  /** The otpauth URLs setup returned; no other response may contain one either. */
  otpauthUrls: string[];
  /** The enrollment token that activated TOTP and its code: both must now be refused. */
  activation: { enrollmentToken: string; code: string } | null;
  /** True while the test account has TOTP active because of this run. */
  active: boolean;
  /** Recovery codes of the current set that the kit has not used. */
  unusedRecoveryCodes: string[];
  /** The last time step whose code the kit sent: a code is never sent twice, except to test replay. */
  lastStep: number | null;
  /**
   * What the first status advertised; every feature off when it had no `features` (an older
   * backend); null when status could not be read, so the feature steps only list their checks.
   */
  features: Features | null;
}

/** The features of a status without `features` (an older backend): every feature off. */
export const NO_FEATURES: Features = Object.freeze({ trustedBrowsers: null, codeReauthentication: false });

/**
 * A code the backend has never seen: the current step's, once that step is later than any the
 * kit has used. It waits for the next period rather than try a future step, so a backend with
 * tolerance 0 passes too, and it avoids the last moments of a step, where a code could expire in
 * flight.
 */
export async function freshCode(context: RunContext): Promise<string> {
  const totp = context.totp;
  // Skipped checks never send it; the run goes on only to list them.
  if (context.checks.skipping !== null) return '000000';
  if (!totp) throw new Error('no TOTP parameters yet');
  const periodMs = totp.period * 1000;
  const margin = Math.min(1500, periodMs / 4);
  for (;;) {
    const now = context.clock.now();
    const step = stepAt(now, totp.period);
    const left = (step + 1) * periodMs - now;
    if ((context.lastStep === null || step > context.lastStep) && left >= margin) {
      context.lastStep = step;
      return totpAt(totp, step);
    }
    await context.clock.sleep(left + 25);
  }
}

/**
 * A code for a call that only needs some right code: an unused recovery code while more than the
 * two that a cleanup may need are left (no wait), else a fresh TOTP code.
 */
export async function spareCode(context: RunContext): Promise<string> {
  if (context.unusedRecoveryCodes.length > 2) return context.unusedRecoveryCodes[0] as string;
  return freshCode(context);
}

/** After a call accepted `code`: a recovery code among it is used up. */
export function spent(context: RunContext, code: string): void {
  context.unusedRecoveryCodes = context.unusedRecoveryCodes.filter((unused) => unused !== code);
}

/**
 * A code that is wrong at any step near now, even with a tolerance of 10 steps either side, so
 * that "a wrong code is refused" cannot pass by luck; `nth` gives another such code.
 */
export function wrongCode(context: RunContext, nth = 0): string {
  const totp = context.totp;
  if (!totp) throw new Error('no TOTP parameters yet');
  const step = stepAt(context.clock.now(), totp.period);
  const near = new Set<string>();
  for (let offset = -11; offset <= 11; offset++) near.add(totpAt(totp, step + offset));
  let skip = nth;
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate * 7919)
      .padStart(totp.digits, '0')
      .slice(-totp.digits);
    if (!near.has(code) && skip-- === 0) return code;
  }
}
