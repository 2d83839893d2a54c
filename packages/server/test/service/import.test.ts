/** Migrating users from another system (e.g. django-allauth) with their existing secrets. */
import { describe, expect, it } from 'vitest';
import { generateTotpSecret, SecretTooShortError, totpCode } from '../../src/index.js';
import { makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };

describe('importAuthenticator', () => {
  it('activates an existing secret, sealed, with fresh recovery codes, and verifies its codes', async () => {
    const fixture = makeService();
    const secret = generateTotpSecret(); // what allauth's Authenticator.data["secret"] decrypts to
    const { recoveryCodes } = await fixture.kit.importAuthenticator(user, {
      secret: secret.toLowerCase(),
      createdAt: new Date('2024-01-01T00:00:00Z'),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(await fixture.kit.status(user)).toMatchObject({
      active: true,
      createdAt: new Date('2024-01-01T00:00:00Z'),
      recoveryCodes: { total: 10, unused: 10 },
    });
    const record = await fixture.options.store.getAuthenticator(user.id);
    expect(record?.encryptedSecret).not.toContain(secret);
    const code = totpCode(secret, { time: fixture.clock.now() / 1000 });
    expect(await fixture.kit.verify(user, code)).toMatchObject({ ok: true, method: 'totp' });
    expect(await fixture.kit.verify(user, code)).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('keeps the imported settings', async () => {
    const fixture = makeService();
    const secret = generateTotpSecret();
    await fixture.kit.importAuthenticator(user, { secret, digits: 8, period: 60 });
    const code = totpCode(secret, { time: fixture.clock.now() / 1000, digits: 8, period: 60 });
    expect(await fixture.kit.verify(user, code)).toMatchObject({ ok: true });
  });

  it('refuses a short or malformed secret, and an active user', async () => {
    const fixture = makeService();
    await expect(fixture.kit.importAuthenticator(user, { secret: 'JBSWY3DPEHPK3PXP' })).rejects.toBeInstanceOf(
      SecretTooShortError,
    );
    await expect(fixture.kit.importAuthenticator(user, { secret: 'not base32!' })).rejects.toMatchObject({
      code: 'invalid_secret',
    });
    await fixture.kit.importAuthenticator(user, { secret: generateTotpSecret() });
    await expect(fixture.kit.importAuthenticator(user, { secret: generateTotpSecret() })).rejects.toMatchObject({
      code: 'already_active',
    });
  });
});
