/**
 * Step 12, deactivation, and the cleanup that leaves the test account as the run found it when a
 * step failed midway.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { StatusResponse, TrustedBrowsersResponse } from '../../schemas.js';
import { freshCode, type RunContext } from '../context.js';
import { describeResponse, expectError, expectOk, expectThat } from '../expect.js';
import type { Trust } from './trusted-browsers.js';

const { status, deactivate, verify, trustedBrowsers } = ENDPOINTS;

/** `trust`: a browser step 11 left trusted (undefined when the backend does not trust browsers). */
export async function checkDeactivation(context: RunContext, trust?: Trust | null): Promise<void> {
  const { checks, client } = context;
  checks.step(12, 'deactivate');
  // The last check asks verify as a login would, with a pending session: one can only be had while
  // TOTP is active (a host signs a user without it straight in), so get it now.
  if (client.verifyPhase === 'pending' && checks.skipping === null) await client.sessions.headers('pending');
  await checks.require('a current code turns TOTP off (200 {})', async () => {
    // Rule 5: with code reauthentication the code is the reauthentication, from any signed-in session.
    const session = context.features?.codeReauthentication ? 'signedIn' : 'reauthenticated';
    const body = { code: await freshCode(context) };
    const exchange = await client.send('POST', deactivate.path, { body, session });
    if (exchange.status === 200) context.active = false;
    expectThat(exchange.status === 200, '200', describeResponse(exchange));
  });
  await checks.check('status shows TOTP inactive and no recovery codes', async () => {
    const body = expectOk(await client.send('GET', status.path, { label: 'after deactivation' }), StatusResponse);
    expectThat(!body.totp.active, 'totp.active false', 'totp.active true');
    expectThat(body.recoveryCodes === null, 'recoveryCodes null', JSON.stringify(body.recoveryCodes));
  });
  // With a pending session the answer may also be 401: a host may end the pending sessions of an
  // account whose factors changed (the demo signs every other session out).
  const pendingGone = client.verifyPhase === 'pending';
  await checks.check(
    `verify now answers 404 not_active${pendingGone ? ' (or 401 if the pending session ended)' : ''}`,
    async () => {
      const code = context.unusedRecoveryCodes[0] ?? '000000';
      const exchange = await client.send('POST', verify.path, { body: { code }, label: 'after deactivation' });
      if (pendingGone) expectError(exchange, 'not_active', 'unauthenticated');
      else expectError(exchange, 'not_active');
    },
  );
  if (trust === undefined) return;
  const revoked = 'deactivation revoked every trusted browser: none is listed, not even with its cookie';
  if (trust === null && checks.skipping === null) {
    checks.skip(revoked, 'it depends on a trusted browser, and the verify that should trust it failed');
    return;
  }
  await checks.check(revoked, async () => {
    const cookies = trust ? { [trust.cookie.name]: trust.cookie.value } : {};
    const exchange = await client.send('GET', trustedBrowsers.path, { cookies, label: 'after deactivation' });
    const { browsers } = expectOk(exchange, TrustedBrowsersResponse);
    expectThat(browsers.length === 0, 'no browsers', `${browsers.length} still trusted`);
  });
}

/**
 * After a failed step: turns TOTP off again with an unused recovery code, or else with a fresh
 * code, and reports whether the account was left as found.
 */
export async function cleanUp(context: RunContext): Promise<void> {
  if (!context.active) return;
  const { checks, client } = context;
  checks.step(12, 'cleanup');
  await checks.always('the test account is left without TOTP after the failure', async () => {
    const attempts = context.unusedRecoveryCodes.slice(0, 2).map((code) => async () => code);
    if (context.totp) attempts.push(() => freshCode(context));
    let last = 'no code to deactivate with';
    for (const nextCode of attempts) {
      const exchange = await client.send('POST', deactivate.path, {
        body: { code: await nextCode() },
        label: 'cleanup',
      });
      if (exchange.status === 200) {
        context.active = false;
        return;
      }
      last = describeResponse(exchange);
    }
    expectThat(false, 'deactivation to succeed', `${last}: TOTP is still active`);
  });
}
