/**
 * What the steps of a run share: the client, the checks, the clock, and what the kit has learnt
 * about the test account (its TOTP parameters, the last step it used, the unused recovery codes).
 */
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
}

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
