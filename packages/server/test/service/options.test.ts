/** `createTotpkit` options: validated once, with messages a person can act on. */
import { describe, expect, it } from 'vitest';
import { createTotpkit, generateEncryptionKey, MemoryStore, type TotpkitOptions, totpCode } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const base = (): TotpkitOptions => ({
  issuer: 'ACME',
  store: new MemoryStore(),
  keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
  logger: { warn: () => {}, error: () => {} },
});

function configError(options: Partial<TotpkitOptions> & Record<string, unknown>): string {
  try {
    createTotpkit({ ...base(), ...options } as TotpkitOptions);
  } catch (error) {
    expect(error).toMatchObject({ name: 'TotpkitError', code: 'invalid_configuration' });
    return (error as Error).message;
  }
  throw new Error('createTotpkit accepted the options');
}

describe('option validation', () => {
  it.each([
    [{ issuer: '' }, /issuer must not be empty/],
    [{ issuer: 'A:B' }, /issuer may not contain ':'/],
    [{ issuer: undefined }, /issuer is required/],
    [{ period: 121 }, /period must be at most 120/],
    [{ digits: 9 }, /digits must be 6, 7 or 8/],
    [{ digits: 6.5 }, /digits/],
    [{ algorithm: 'MD5' }, /algorithm/],
    [{ tolerance: 11 }, /tolerance must be at most 10/],
    [{ enrollmentTtlSeconds: 3600 }, /at most 600/],
    [{ store: undefined }, /store/],
    [{ store: {} }, /store: must be an object with methods getAuthenticator/],
    [{ keyring: undefined }, /keyring is required/],
    [
      { keyring: { current: 'k2', keys: { k1: generateEncryptionKey() } } },
      /keyring.current is "k2", which is not one of the keys/,
    ],
    [{ keyring: { current: 'k1', keys: { k1: 'c2hvcnQ=' } } }, /is 5 bytes; AES-256 needs 32/],
    [{ rateLimiter: { check() {} } }, /rateLimiter: must be an object with methods check, attempt, succeed, reset/],
  ])('refuses %o', (options, message) => {
    expect(configError(options as Record<string, unknown>)).toMatch(message);
  });

  it('lists every problem at once', () => {
    const message = configError({ issuer: '', period: 0, digits: 12 });
    expect(message).toMatch(/issuer/);
    expect(message).toMatch(/period/);
    expect(message).toMatch(/digits/);
  });

  it('applies the decided defaults: SHA1, 6 digits, 30 s, tolerance 1, 10 recovery codes', () => {
    expect(createTotpkit(base()).config).toEqual({
      issuer: 'ACME',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      tolerance: 1,
      recoveryCodeCount: 10,
      // allauth's MFA_TRUST_ENABLED is off by default; reauthentication by code is on.
      trustedBrowsers: null,
      codeReauthentication: true,
    });
  });

  it('warns at configuration time about settings that break common authenticator apps', () => {
    const warnings: string[] = [];
    createTotpkit({
      ...base(),
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
      logger: { warn: (m) => warnings.push(m), error: () => {} },
    });
    expect(warnings.join('\n')).toMatch(/SHA256 is ignored by Microsoft Authenticator/);
    expect(warnings.join('\n')).toMatch(/8-digit codes are ignored by Google Authenticator/);
    expect(warnings.join('\n')).toMatch(/60-second period is ignored/);
    warnings.length = 0;
    createTotpkit({ ...base(), logger: { warn: (m) => warnings.push(m), error: () => {} } });
    expect(warnings).toEqual([]);
  });

  it('honours period, digits and algorithm end to end', async () => {
    const fixture = makeService({ period: 60, digits: 8, algorithm: 'SHA512' });
    const user = { id: 'u-1' };
    const setup = await fixture.kit.beginSetup(user);
    expect(setup.otpauthUrl).toContain('&algorithm=SHA512&digits=8&period=60');
    const code = totpCode(setup.secret, {
      time: fixture.clock.now() / 1000,
      period: 60,
      digits: 8,
      algorithm: 'SHA512',
    });
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code })).toMatchObject({
      ok: true,
    });
  });

  it('keeps an enrolled user on the settings of their enrolment when the configuration changes', async () => {
    const store = new MemoryStore();
    const first = makeService({}, { store });
    const user = { id: 'u-1' };
    const enrolled = await enroll(first, user);
    const changed = makeService({ keyring: first.options.keyring, digits: 8, period: 60 }, { store });
    changed.clock.advance((first.clock.now() - changed.clock.now()) / 1000);
    expect(await changed.kit.verify(user, enrolled.code())).toMatchObject({ ok: true });
  });
});

describe('the insecure bypass code (allauth MFA_TOTP_INSECURE_BYPASS_CODE)', () => {
  it('refuses to start in production', () => {
    expect(configError({ insecureBypassCode: '123456', allowInsecureBypassCode: true, production: true })).toMatch(
      /insecureBypassCode is set in production/,
    );
  });

  it('needs the explicit opt-in', () => {
    expect(configError({ insecureBypassCode: '123456', production: false })).toMatch(/allowInsecureBypassCode: true/);
  });

  it('must have the configured number of digits', () => {
    expect(configError({ insecureBypassCode: '12345', allowInsecureBypassCode: true, production: false })).toMatch(
      /must be 6 digits/,
    );
  });

  it('reads NODE_ENV=production as production', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(configError({ insecureBypassCode: '123456', allowInsecureBypassCode: true })).toMatch(/in production/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('works outside production with the opt-in, for activation and login, and warns', async () => {
    const warnings: string[] = [];
    const fixture = makeService({
      insecureBypassCode: '123456',
      allowInsecureBypassCode: true,
      production: false,
      logger: { warn: (m) => warnings.push(m), error: () => {} },
    });
    expect(warnings.join()).toMatch(/bypass/);
    const user = { id: 'u-1' };
    const setup = await fixture.kit.beginSetup(user);
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: '123 456' })).toMatchObject(
      { ok: true },
    );
    expect(await fixture.kit.verify(user, '123456')).toMatchObject({ ok: true, method: 'totp' });
    expect(await fixture.kit.verify(user, '123456')).toMatchObject({ ok: true, method: 'totp' });
  });
});
