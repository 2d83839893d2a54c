/**
 * Step 6, first half: a session pending its second factor (§2.4). With TOTP now active, the kit
 * gets such a session for the test account; it may answer the challenge and read a withheld
 * status, and nothing else. From here on `verify` is sent with it, as a browser would.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { StatusResponse } from '../../schemas.js';
import { NO_FEATURES, type RunContext, wrongCode } from '../context.js';
import { describeResponse, expectError, expectOk, expectThat } from '../expect.js';

const { status, setup, deactivate, regenerateRecoveryCodes } = ENDPOINTS;

const NO_PENDING =
  'no pending session: give --pending-header (or --login-command printing headers for "pending"), ' +
  'headers of the same account signed in with its password only';

const NAMES = [
  'status to a pending session is 401, or withholds createdAt, lastUsedAt and recoveryCodes (pending: true)',
  'a pending session may not set up (401 unauthenticated)',
  'a pending session may not deactivate (401 unauthenticated)',
  'a pending session may not regenerate recovery codes (401 unauthenticated)',
];

export async function checkPendingSession(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(6, 'pending session');
  const pending = checks.skipping === null ? await client.sessions.headers('pending') : null;
  if (pending === null) {
    for (const name of NAMES) checks.skip(name, checks.skipping ?? NO_PENDING);
    return;
  }
  client.verifyPhase = 'pending';
  const [statusName, setupName, deactivateName, regenerateName] = NAMES as [string, string, string, string];
  await checks.check(statusName, async () => {
    const exchange = await client.send('GET', status.path, { session: 'pending', label: 'pending session' });
    if (exchange.status === 401) return expectError(exchange, 'unauthenticated');
    const body = expectOk(exchange, StatusResponse);
    const withheld = { pending: body.pending, createdAt: body.totp.createdAt, lastUsedAt: body.totp.lastUsedAt };
    expectThat(
      body.pending === true &&
        body.totp.active &&
        body.totp.createdAt === null &&
        body.totp.lastUsedAt === null &&
        body.recoveryCodes === null &&
        !body.reauthenticationRequired,
      '{ pending: true, totp: { active: true, createdAt: null, lastUsedAt: null }, recoveryCodes: null }',
      JSON.stringify({ ...withheld, active: body.totp.active, recoveryCodes: body.recoveryCodes }),
    );
  });
  // The login page decides from the pending status whether to offer "trust this browser" (§5.1).
  const features = context.features;
  if (features !== null && features !== NO_FEATURES) {
    await checks.check('status to a pending session is 401, or advertises the same features', async () => {
      const exchange = await client.send('GET', status.path, { session: 'pending', label: 'pending features' });
      if (exchange.status === 401) return expectError(exchange, 'unauthenticated');
      const body = expectOk(exchange, StatusResponse);
      expectThat(
        JSON.stringify(body.features) === JSON.stringify(features),
        JSON.stringify(features),
        JSON.stringify(body.features),
      );
    });
  }
  // Each of these would be 409 or 200 to a signed-in session: only the session makes it a 401.
  const refused = async (name: string, path: string, body: unknown) =>
    checks.check(name, async () => {
      const exchange = await client.send('POST', path, { body, session: 'pending', label: 'pending session' });
      expectThat(exchange.status === 401, '401 unauthenticated', describeResponse(exchange));
      expectError(exchange, 'unauthenticated');
    });
  await refused(setupName, setup.path, {});
  // A code that cannot be right: a backend that lets a pending session through still changes nothing.
  await refused(deactivateName, deactivate.path, { code: wrongCode(context) });
  await refused(regenerateName, regenerateRecoveryCodes.path, { code: wrongCode(context) });
}
