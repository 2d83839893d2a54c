/**
 * Step 10: reauthentication by code (§5.7), when status advertises `features.codeReauthentication`.
 * A right code confirms the user once, under verify's one-time-use rule; a recovery code is used up
 * like at verify; and rule 5 holds: with the feature on, a deactivation or regeneration takes its
 * own code as the reauthentication, so the signed-in session gets `400 invalid_code` for a wrong
 * one and `200` for a right one, never `401 reauthentication_required`.
 *
 * Not advertised, the call does not exist for this backend: the kit says so and only checks that
 * it answers like any unknown path.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { ReauthenticateResponse, RecoveryCodesResponse, StatusResponse } from '../../schemas.js';
import { freshCode, NO_FEATURES, type RunContext, spareCode, spent, wrongCode } from '../context.js';
import { describeResponse, expectError, expectOk, expectThat } from '../expect.js';

const { status, deactivate, verify, reauthenticate, regenerateRecoveryCodes } = ENDPOINTS;

const NO_PENDING = 'no pending session (--pending-header or --login-command), so none to refuse';

export async function checkReauthentication(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(10, 'reauthenticate');
  const features = context.features;
  // Unknown only when status failed: the run has failed already, and the checks are listed as skipped.
  if (features !== null && !features.codeReauthentication) {
    checks.notOfferedFeature(
      'codeReauthentication',
      `status ${features === NO_FEATURES ? 'has no features (an older backend)' : 'has features.codeReauthentication false'}`,
    );
    await checks.check('POST /reauthenticate, not offered, answers 404 not_found like an unknown path', async () => {
      const body = { code: wrongCode(context) };
      expectError(await client.send('POST', reauthenticate.path, { body, label: 'not offered' }), 'not_found');
    });
    return;
  }

  await checks.check('status says reauthenticationRequired false while TOTP is active (rule 5)', async () => {
    const body = expectOk(await client.send('GET', status.path, { label: 'code reauthentication' }), StatusResponse);
    expectThat(!body.reauthenticationRequired, 'reauthenticationRequired false', 'true');
  });
  const pendingName = 'a pending session may not reauthenticate (401 unauthenticated)';
  const pending = checks.skipping === null ? await client.sessions.headers('pending') : null;
  if (pending === null) checks.skip(pendingName, checks.skipping ?? NO_PENDING);
  else {
    await checks.check(pendingName, async () => {
      const body = { code: wrongCode(context) };
      const exchange = await client.send('POST', reauthenticate.path, { body, session: 'pending', label: 'pending' });
      expectThat(exchange.status === 401, '401 unauthenticated', describeResponse(exchange));
      expectError(exchange, 'unauthenticated');
    });
  }

  // Wrong codes here follow the two of step 7 at most three in a row, each run ended by a success.
  await checks.check('a wrong code is refused with 400 invalid_code', async () => {
    const body = { code: wrongCode(context) };
    expectError(await client.send('POST', reauthenticate.path, { body, label: 'wrong code' }), 'invalid_code');
  });
  const code = await freshCode(context);
  await checks.check('the current code reauthenticates (200, method totp, recoveryCodesLeft)', async () => {
    const exchange = await client.send('POST', reauthenticate.path, { body: { code } });
    const body = expectOk(exchange, ReauthenticateResponse);
    expectThat(body.method === 'totp', 'method "totp"', `method "${body.method}"`);
    const left = context.unusedRecoveryCodes.length;
    expectThat(body.recoveryCodesLeft === left, `recoveryCodesLeft ${left}`, `${body.recoveryCodesLeft}`);
  });
  await checks.check('the same code a second time is refused at reauthenticate with 400 invalid_code', async () => {
    expectError(await client.send('POST', reauthenticate.path, { body: { code }, label: 'replay' }), 'invalid_code');
  });
  await checks.check('the code used to reauthenticate cannot log in (400 invalid_code at verify)', async () => {
    const exchange = await client.send('POST', verify.path, { body: { code }, label: 'reauthentication code' });
    expectError(exchange, 'invalid_code');
  });
  // The signed-in session, not the recently reauthenticated one: rule 5 is what lets a session
  // that signed in long ago make these changes with their own code.
  await checks.check(
    'rule 5: a wrong code at deactivation is 400 invalid_code, not 401 reauthentication_required',
    async () => {
      const body = { code: wrongCode(context, 1) };
      const exchange = await client.send('POST', deactivate.path, { body, session: 'signedIn', label: 'rule 5' });
      expectError(exchange, 'invalid_code');
    },
  );

  const recoveryCode = context.unusedRecoveryCodes[0] ?? '';
  const left = context.unusedRecoveryCodes.length - 1;
  await checks.check('a recovery code reauthenticates once, and is used up (recoveryCodesLeft one fewer)', async () => {
    const exchange = await client.send('POST', reauthenticate.path, {
      body: { code: recoveryCode },
      label: 'recovery code',
    });
    if (exchange.status === 200) spent(context, recoveryCode);
    const body = expectOk(exchange, ReauthenticateResponse);
    expectThat(body.method === 'recovery_code', 'method "recovery_code"', `method "${body.method}"`);
    expectThat(body.recoveryCodesLeft === left, `recoveryCodesLeft ${left}`, `${body.recoveryCodesLeft}`);
  });
  await checks.check('rule 5: a right code at regeneration is accepted from the signed-in session', async () => {
    const spare = await spareCode(context);
    const exchange = await client.send('POST', regenerateRecoveryCodes.path, {
      body: { code: spare },
      session: 'signedIn',
      label: 'rule 5',
    });
    const { recoveryCodes } = expectOk(exchange, RecoveryCodesResponse);
    context.unusedRecoveryCodes = [...recoveryCodes];
  });
}
