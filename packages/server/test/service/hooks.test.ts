/** allauth's adapter hooks and the host events (checklist items 30–31, ASVS 2.5.5 / 6.3.7). */
import { describe, expect, it } from 'vitest';
import { parseTotpUrl, type SensitiveAction, type TotpAdapter, type TotpUser } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com', username: 'ada' };
const wrong = (right: string) => (right === '000000' ? '111111' : '000000');

function recorder() {
  const events: [string, unknown][] = [];
  const names = [
    'onActivated',
    'onDeactivated',
    'onVerified',
    'onFailedAttempt',
    'onLocked',
    'onRecoveryCodeUsed',
    'onRecoveryCodesLow',
    'onRecoveryCodesRegenerated',
  ] as const;
  const adapter: TotpAdapter = {};
  for (const name of names) {
    adapter[name] = (_user: TotpUser, event: unknown) => {
      events.push([name, event]);
    };
  }
  return { events, adapter, names: () => events.map(([name]) => name) };
}

describe('labels and URLs', () => {
  it('labels with the email, then the username, then the id', async () => {
    const fixture = makeService();
    expect((await fixture.kit.beginSetup(user)).accountName).toBe('ada@example.com');
    expect((await fixture.kit.beginSetup({ id: 'u-2', username: 'grace' })).accountName).toBe('grace');
    expect((await fixture.kit.beginSetup({ id: 'u-3' })).accountName).toBe('u-3');
  });

  it('uses getTotpLabel, getTotpIssuer and buildTotpUrl', async () => {
    const fixture = makeService({
      adapter: {
        getTotpLabel: (u) => `${u.username} (prod)`,
        getTotpIssuer: () => 'ACME Production',
      },
    });
    const setup = await fixture.kit.beginSetup(user);
    expect(parseTotpUrl(setup.otpauthUrl)).toMatchObject({ accountName: 'ada (prod)', issuer: 'ACME Production' });
    expect(setup.issuer).toBe('ACME Production');

    const custom = makeService({
      adapter: { buildTotpUrl: (_u, secret) => `otpauth://totp/Custom:x?secret=${secret}&issuer=Custom` },
    });
    expect((await custom.kit.beginSetup(user)).otpauthUrl).toMatch(/^otpauth:\/\/totp\/Custom:x\?secret=/);
  });
});

describe('encrypt and decrypt hooks', () => {
  it('store what encrypt returns and verify through decrypt', async () => {
    const sealed: string[] = [];
    const fixture = makeService({
      adapter: {
        encrypt: (text, { userId }) => {
          const value = `custom:${userId}:${Buffer.from(text).toString('hex')}`;
          sealed.push(value);
          return value;
        },
        decrypt: (text) => Buffer.from(text.split(':')[2] ?? '', 'hex').toString(),
      },
    });
    const { code } = await enroll(fixture, user);
    expect(sealed).toHaveLength(1);
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
  });

  it('fail closed when decrypt throws', async () => {
    const fixture = makeService({
      adapter: {
        encrypt: (t) => t,
        decrypt: () => {
          throw new Error('HSM offline');
        },
      },
    });
    const { code } = await enroll(fixture, user);
    await expect(fixture.kit.verify(user, code())).rejects.toMatchObject({ code: 'decryption_failed' });
  });
});

describe('reauthentication and deactivation guards', () => {
  it('asks requireRecentAuth before each sensitive action and refuses with reauthentication_required (codeReauthentication off)', async () => {
    const asked: SensitiveAction[] = [];
    let fresh = true;
    const fixture = makeService({
      codeReauthentication: false,
      adapter: {
        requireRecentAuth: (_u, action) => {
          asked.push(action);
          return !fresh;
        },
      },
    });
    const { code } = await enroll(fixture, user);
    expect(asked).toEqual(['setup', 'activate']);
    fresh = false;
    await expect(fixture.kit.deactivate(user, { code: code() })).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    await expect(fixture.kit.regenerateRecoveryCodes(user, { code: code() })).rejects.toMatchObject({
      code: 'reauthentication_required',
    });
    expect(await fixture.kit.reauthenticationRequired(user)).toBe(true);
    expect(asked.slice(2)).toEqual(['deactivate', 'regenerate_recovery_codes', 'deactivate']);
    // Login itself never needs a recent login: it is the login.
    expect(await fixture.kit.verify(user, code())).toMatchObject({ ok: true });
  });

  it('answers reauthenticationRequired for setup when inactive, before the user scans anything', async () => {
    const fixture = makeService({ adapter: { requireRecentAuth: (_u, action) => action === 'setup' } });
    expect(await fixture.kit.reauthenticationRequired(user)).toBe(true);
    await expect(fixture.kit.beginSetup(user)).rejects.toMatchObject({ code: 'reauthentication_required' });
  });

  it('refuses deactivation when canDeactivate says no, and keeps TOTP', async () => {
    const fixture = makeService({ adapter: { canDeactivate: () => false } });
    const { code } = await enroll(fixture, user);
    await expect(fixture.kit.deactivate(user, { code: code() })).rejects.toMatchObject({
      code: 'deactivation_forbidden',
    });
    expect(await fixture.kit.status(user)).toMatchObject({ active: true });
  });

  it('requires a current code or a recovery code to deactivate', async () => {
    const fixture = makeService();
    const { code, recoveryCodes } = await enroll(fixture, user);
    expect(await fixture.kit.deactivate(user, { code: wrong(code()) })).toEqual({ ok: false, error: 'invalid_code' });
    expect(await fixture.kit.status(user)).toMatchObject({ active: true });
    expect(await fixture.kit.deactivate(user, { code: recoveryCodes[0] })).toEqual({ ok: true });
    expect(await fixture.kit.status(user)).toMatchObject({ active: false });
  });
});

describe('events', () => {
  it('fire for activation, login, failures, lockout, recovery codes and deactivation, with no secret', async () => {
    const { events, adapter, names } = recorder();
    const fixture = makeService({ adapter, recoveryCodeCount: 4, recoveryCodesLowThreshold: 2 });
    const { code, recoveryCodes, secret } = await enroll(fixture, user);
    expect(names()).toEqual(['onActivated']);

    await fixture.kit.verify(user, code());
    expect(events.at(-1)).toEqual(['onVerified', { at: expect.any(Date), method: 'totp', recoveryCodesLeft: 4 }]);

    await fixture.kit.verify(user, recoveryCodes[0]);
    await fixture.kit.verify(user, recoveryCodes[1]);
    expect(names().slice(-5)).toEqual([
      'onRecoveryCodeUsed',
      'onVerified',
      'onRecoveryCodeUsed',
      'onRecoveryCodesLow',
      'onVerified',
    ]);
    expect(events.find(([n]) => n === 'onRecoveryCodesLow')?.[1]).toMatchObject({ remaining: 2 });

    for (let i = 0; i < 5; i++) await fixture.kit.verify(user, wrong(code()));
    expect(names().filter((n) => n === 'onFailedAttempt')).toHaveLength(5);
    expect(events.find(([n]) => n === 'onFailedAttempt')?.[1]).toMatchObject({ failures: 1, action: 'verify' });
    expect(events.find(([n]) => n === 'onLocked')?.[1]).toMatchObject({ retryAfterSeconds: 300, permanent: false });
    // No failure event while locked: nothing was checked.
    await fixture.kit.verify(user, wrong(code()));
    expect(names().filter((n) => n === 'onFailedAttempt')).toHaveLength(5);

    fixture.clock.advance(300);
    await fixture.kit.regenerateRecoveryCodes(user, { code: code() });
    expect(events.at(-1)).toEqual(['onRecoveryCodesRegenerated', { at: expect.any(Date), count: 4 }]);
    fixture.clock.advance(30);
    await fixture.kit.deactivate(user, { code: code() });
    expect(events.at(-1)).toEqual(['onDeactivated', { at: expect.any(Date), method: 'totp' }]);

    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(secret);
    for (const recovery of recoveryCodes) expect(serialized).not.toContain(recovery);
  });

  it('log a throwing hook instead of failing the operation', async () => {
    const errors: string[] = [];
    const fixture = makeService({
      adapter: {
        onActivated: () => {
          throw new Error('SMTP down');
        },
      },
      logger: { warn: () => {}, error: (message) => errors.push(message) },
    });
    await enroll(fixture, user);
    expect(await fixture.kit.status(user)).toMatchObject({ active: true });
    expect(errors).toEqual(['totpkit: the onActivated hook threw; the operation itself succeeded.']);
  });
});

describe('reuse of a code (ASVS 4.0.3 §2.8.5)', () => {
  it('tells the host when a used code comes back, while the caller gets the generic answer', async () => {
    const { events, adapter, names } = recorder();
    const fixture = makeService({
      adapter: { ...adapter, onCodeReused: (_u, event) => void events.push(['onCodeReused', event]) },
    });
    const { code } = await enroll(fixture, user);
    const current = code();
    await fixture.kit.verify(user, current);
    expect(await fixture.kit.verify(user, current)).toEqual({ ok: false, error: 'invalid_code' });
    await new Promise((resolve) => setTimeout(resolve, 0)); // the notification is not awaited
    expect(names()).toContain('onCodeReused');
    expect(names().filter((n) => n === 'onCodeReused')).toHaveLength(1);
  });

  it('does not call a wrong code a reuse', async () => {
    const reused: unknown[] = [];
    const fixture = makeService({ adapter: { onCodeReused: (_u, event) => void reused.push(event) } });
    const { code } = await enroll(fixture, user);
    await fixture.kit.verify(user, wrong(code()));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reused).toEqual([]);
  });
});
