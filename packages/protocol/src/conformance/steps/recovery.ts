/**
 * Step 9: a recovery code works exactly once, the counts follow, and regeneration replaces the
 * whole set. Each wrong attempt here follows a success, so failures never pile up.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { RecoveryCodesResponse, StatusResponse, VerifyResponse } from '../../schemas.js';
import type { RunContext } from '../context.js';
import { expectError, expectOk, expectThat } from '../expect.js';

const { status, verify, regenerateRecoveryCodes } = ENDPOINTS;

export async function checkRecoveryCodes(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(9, 'recovery codes');
  const total = context.unusedRecoveryCodes.length;
  const [used, forRegeneration] = context.unusedRecoveryCodes;
  if (used === undefined || forRegeneration === undefined) {
    await checks.check('activation returned at least two recovery codes', () => {
      expectThat(false, 'at least two recovery codes', `${total}`);
    });
    return;
  }

  await checks.require('a recovery code is accepted at verify (method recovery_code, one fewer left)', async () => {
    const exchange = await client.send('POST', verify.path, { body: { code: used }, label: 'recovery code' });
    if (exchange.status === 200) context.unusedRecoveryCodes.shift();
    const body = expectOk(exchange, VerifyResponse);
    expectThat(body.method === 'recovery_code', 'method "recovery_code"', `method "${body.method}"`);
    expectThat(body.recoveryCodesLeft === total - 1, `recoveryCodesLeft ${total - 1}`, `${body.recoveryCodesLeft}`);
  });
  await checks.check('the same recovery code a second time is refused with 400 invalid_code', async () => {
    expectError(
      await client.send('POST', verify.path, { body: { code: used }, label: 'recovery code reuse' }),
      'invalid_code',
    );
  });
  await checks.check('status counts the used recovery code', async () => {
    const body = expectOk(await client.send('GET', status.path, { label: 'after a recovery code' }), StatusResponse);
    const counts = body.recoveryCodes;
    expectThat(
      counts?.total === total && counts.unused === total - 1,
      `recoveryCodes { total: ${total}, unused: ${total - 1} }`,
      JSON.stringify(counts),
    );
  });

  const oldSet = [...context.unusedRecoveryCodes];
  await checks.require('regeneration (with a recovery code) returns a new set', async () => {
    const exchange = await client.send('POST', regenerateRecoveryCodes.path, { body: { code: forRegeneration } });
    const { recoveryCodes } = expectOk(exchange, RecoveryCodesResponse);
    context.unusedRecoveryCodes = [...recoveryCodes];
    expectThat(
      recoveryCodes.every((code) => !oldSet.includes(code)),
      'codes that were not in the old set',
      'a code from the old set',
    );
  });
  const stale = oldSet.find((code) => code !== forRegeneration);
  if (stale !== undefined) {
    await checks.check('a code from the replaced set is refused with 400 invalid_code', async () => {
      expectError(
        await client.send('POST', verify.path, { body: { code: stale }, label: 'replaced code' }),
        'invalid_code',
      );
    });
  }
  await checks.check('status counts the new set as unused', async () => {
    const body = expectOk(await client.send('GET', status.path, { label: 'after regeneration' }), StatusResponse);
    const count = context.unusedRecoveryCodes.length;
    const counts = body.recoveryCodes;
    expectThat(
      counts?.total === count && counts.unused === count,
      `recoveryCodes { total: ${count}, unused: ${count} }`,
      JSON.stringify(counts),
    );
  });
}
