/**
 * Reauthentication by code (allauth `mfa_reauthenticate`), and rule 5: with
 * `codeReauthentication` (the default), a deactivation or regeneration whose code is right is a
 * reauthentication, so a stale session is not refused before the code is checked.
 */
import { describe, expect, it } from 'vitest';
import type { SensitiveAction, TotpAdapter, TotpkitOptions, TotpUser } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const ada: TotpUser = { id: 'u-ada', email: 'ada@example.com' };
const wrong = (right: string) => (right === '000000' ? '111111' : '000000');

function recorded(overrides: Partial<TotpkitOptions> & { stale?: () => boolean } = {}) {
  const events: [string, unknown][] = [];
  const asked: SensitiveAction[] = [];
  const { stale = () => false, ...options } = overrides;
  const adapter: TotpAdapter = {
    requireRecentAuth: (_user, action) => {
      asked.push(action);
      return stale();
    },
  };
  for (const name of [
    'onReauthenticated',
    'onFailedAttempt',
    'onDeactivated',
    'onRecoveryCodesRegenerated',
    'onRecoveryCodeUsed',
    'onCodeReused',
    'onVerified',
  ] as const) {
    adapter[name] = (_user: TotpUser, event: unknown) => void events.push([name, event]);
  }
  const fixture = makeService({ adapter, ...options });
  return { ...fixture, events, asked, names: () => events.map(([name]) => name) };
}

describe('reauthenticate', () => {
  it('accepts a current TOTP code, answers like verify, and emits onReauthenticated (not onVerified)', async () => {
    const fixture = recorded();
    const { code } = await enroll(fixture, ada);
    const at = new Date(fixture.clock.now());
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toEqual({
      ok: true,
      method: 'totp',
      recoveryCodesLeft: 10,
    });
    expect(fixture.events).toEqual([['onReauthenticated', { at, method: 'totp' }]]);
  });

  it('refuses a replay of the same code, and the code of a login just made', async () => {
    const fixture = recorded();
    const { code } = await enroll(fixture, ada);
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toMatchObject({ ok: true });
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toEqual({ ok: false, error: 'invalid_code' });
    fixture.clock.advance(30);
    expect(await fixture.kit.verify(ada, code())).toMatchObject({ ok: true });
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toEqual({ ok: false, error: 'invalid_code' });
    expect(fixture.names().filter((name) => name === 'onCodeReused')).toHaveLength(2);
    expect(fixture.names().filter((name) => name === 'onReauthenticated')).toHaveLength(1);
  });

  it('consumes a recovery code and counts it; the same code is then refused everywhere', async () => {
    const fixture = recorded();
    const { recoveryCodes } = await enroll(fixture, ada);
    expect(await fixture.kit.reauthenticate(ada, { code: recoveryCodes[0] })).toEqual({
      ok: true,
      method: 'recovery_code',
      recoveryCodesLeft: 9,
    });
    expect(await fixture.kit.status(ada)).toMatchObject({ recoveryCodes: { total: 10, unused: 9 } });
    expect(await fixture.kit.reauthenticate(ada, { code: recoveryCodes[0] })).toEqual({
      ok: false,
      error: 'invalid_code',
    });
    expect(await fixture.kit.verify(ada, recoveryCodes[0])).toEqual({ ok: false, error: 'invalid_code' });
    expect(fixture.events).toContainEqual(['onRecoveryCodeUsed', expect.objectContaining({ remaining: 9 })]);
  });

  it('shares the account limit with verify: failures at either lock both, and a lock refuses a right code', async () => {
    const fixture = recorded();
    const { code } = await enroll(fixture, ada);
    for (let i = 0; i < 2; i++) await fixture.kit.verify(ada, wrong(code()));
    for (let i = 0; i < 2; i++) {
      expect(await fixture.kit.reauthenticate(ada, { code: wrong(code()) })).toEqual({
        ok: false,
        error: 'invalid_code',
      });
    }
    expect(await fixture.kit.reauthenticate(ada, { code: wrong(code()) })).toEqual({
      ok: false,
      error: 'rate_limited',
      retryAfterSeconds: 300,
    });
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toMatchObject({ error: 'rate_limited' });
    expect(await fixture.kit.verify(ada, code())).toMatchObject({ error: 'rate_limited' });
    const failures = fixture.events.filter(([name]) => name === 'onFailedAttempt').map(([, event]) => event);
    expect(failures.map((event) => (event as { action: string }).action)).toEqual([
      'verify',
      'verify',
      'reauthenticate',
      'reauthenticate',
      'reauthenticate',
    ]);
    fixture.clock.advance(300);
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toMatchObject({ ok: true });
  });

  it('refuses a pending user (only the password is proven), a user without TOTP, and malformed input', async () => {
    const fixture = recorded();
    await expect(fixture.kit.reauthenticate(ada, { code: '123456' })).rejects.toMatchObject({ code: 'not_active' });
    const { code } = await enroll(fixture, ada);
    await expect(fixture.kit.reauthenticate({ ...ada, pending: true }, { code: code() })).rejects.toMatchObject({
      code: 'invalid_user',
    });
    for (const input of ['', '12345', 'abc', null, 123456, { code: '1' }]) {
      expect(await fixture.kit.reauthenticate(ada, { code: input })).toEqual({ ok: false, error: 'invalid_code' });
    }
    // Not counted and not spent: the right code still works.
    expect(fixture.names()).not.toContain('onFailedAttempt');
    expect(await fixture.kit.reauthenticate(ada, { code: code() })).toMatchObject({ ok: true });
  });

  it('is refused as a configuration error when codeReauthentication is off', async () => {
    const fixture = recorded({ codeReauthentication: false });
    const { code } = await enroll(fixture, ada);
    await expect(fixture.kit.reauthenticate(ada, { code: code() })).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
    expect(fixture.kit.config.codeReauthentication).toBe(false);
  });
});

describe('rule 5: a right code for deactivate or regenerate is a reauthentication', () => {
  it('deactivates a stale session with the right code, without asking requireRecentAuth, and emits onReauthenticated', async () => {
    let stale = false;
    const fixture = recorded({ stale: () => stale });
    const { code } = await enroll(fixture, ada);
    stale = true;
    fixture.asked.length = 0;
    expect(await fixture.kit.reauthenticationRequired(ada)).toBe(false);
    const at = new Date(fixture.clock.now());
    expect(await fixture.kit.deactivate(ada, { code: code() })).toEqual({ ok: true });
    expect(fixture.events).toEqual([
      ['onReauthenticated', { at, method: 'totp' }],
      ['onDeactivated', { at, method: 'totp' }],
    ]);
    expect(fixture.asked).toEqual([]);
  });

  it('answers a wrong code invalid_code (counted), not reauthentication_required', async () => {
    let stale = false;
    const fixture = recorded({ stale: () => stale });
    const { code } = await enroll(fixture, ada);
    stale = true;
    expect(await fixture.kit.deactivate(ada, { code: wrong(code()) })).toEqual({ ok: false, error: 'invalid_code' });
    expect(await fixture.kit.regenerateRecoveryCodes(ada, { code: wrong(code()) })).toEqual({
      ok: false,
      error: 'invalid_code',
    });
    expect(fixture.events.filter(([name]) => name === 'onFailedAttempt')).toHaveLength(2);
    expect(fixture.names()).not.toContain('onReauthenticated');
    expect(await fixture.kit.status(ada)).toMatchObject({ active: true });
  });

  it('regenerates for a stale session with the right recovery code, and emits onReauthenticated', async () => {
    let stale = false;
    const fixture = recorded({ stale: () => stale });
    const { recoveryCodes } = await enroll(fixture, ada);
    stale = true;
    expect(await fixture.kit.regenerateRecoveryCodes(ada, { code: recoveryCodes[0] })).toMatchObject({ ok: true });
    expect(fixture.names()).toEqual(['onRecoveryCodeUsed', 'onReauthenticated', 'onRecoveryCodesRegenerated']);
    expect(fixture.events[1]).toEqual(['onReauthenticated', expect.objectContaining({ method: 'recovery_code' })]);
  });

  it('still refuses setup and activation for a stale session: no code can be asked before TOTP is active', async () => {
    let stale = false;
    const fixture = recorded({ stale: () => stale });
    const setup = await fixture.kit.beginSetup(ada);
    stale = true;
    expect(await fixture.kit.reauthenticationRequired(ada)).toBe(true);
    await expect(fixture.kit.beginSetup(ada)).rejects.toMatchObject({ code: 'reauthentication_required' });
    await expect(
      fixture.kit.activate(ada, { enrollmentToken: setup.enrollmentToken, code: '123456' }),
    ).rejects.toMatchObject({ code: 'reauthentication_required' });
  });

  it('with codeReauthentication off, asks requireRecentAuth as before', async () => {
    let stale = false;
    const fixture = recorded({ codeReauthentication: false, stale: () => stale });
    const { code } = await enroll(fixture, ada);
    stale = true;
    expect(await fixture.kit.reauthenticationRequired(ada)).toBe(true);
    await expect(fixture.kit.deactivate(ada, { code: code() })).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    stale = false;
    expect(await fixture.kit.deactivate(ada, { code: code() })).toEqual({ ok: true });
    expect(fixture.names()).not.toContain('onReauthenticated');
  });
});
