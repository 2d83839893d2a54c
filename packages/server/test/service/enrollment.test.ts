/**
 * The pending enrollment (checklist items 27–29): the server generates the secret, seals it in a
 * token bound to the user, valid for at most ten minutes, usable once, and unreadable to the client.
 */
import { describe, expect, it } from 'vitest';
import { generateEncryptionKey, totpCode } from '../../src/index.js';
import { makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };
const other = { id: 'u-2', email: 'grace@example.com' };

async function pending(fixture = makeService()) {
  const setup = await fixture.kit.beginSetup(user);
  const code = () => totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
  return { fixture, setup, code };
}

describe('enrollment tokens', () => {
  it('never contain the secret in readable form', async () => {
    const { setup } = await pending();
    const decoded = Buffer.from(setup.enrollmentToken.split('.')[2] ?? '', 'base64url').toString('latin1');
    expect(setup.enrollmentToken).not.toContain(setup.secret);
    expect(decoded).not.toContain(setup.secret);
    expect(decoded).not.toContain(user.id);
  });

  it('expire after ten minutes at most', async () => {
    const { fixture, setup, code } = await pending();
    expect(setup.expiresAt.getTime() - fixture.clock.now()).toBe(600_000);
    fixture.clock.advance(600);
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toEqual({
      ok: false,
      error: 'enrollment_expired',
    });
  });

  it('work until just before they expire', async () => {
    const { fixture, setup, code } = await pending();
    fixture.clock.advance(599);
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toMatchObject({
      ok: true,
    });
  });

  it("are refused for another user, who cannot activate with someone else's token", async () => {
    const { fixture, setup, code } = await pending();
    expect(await fixture.kit.activate(other, { enrollmentToken: setup.enrollmentToken, code: code() })).toEqual({
      ok: false,
      error: 'enrollment_expired',
    });
    expect(await fixture.kit.status(other)).toMatchObject({ active: false });
  });

  it('are refused with any single bit flipped', async () => {
    const { fixture, setup, code } = await pending();
    const token = setup.enrollmentToken;
    const [format, keyId, body] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    // Every bit of the IV, the ciphertext and the tag.
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const tampered = `${format}.${keyId}.${flipped.toString('base64url')}`;
      expect(await fixture.kit.activate(user, { enrollmentToken: tampered, code: code() })).toEqual({
        ok: false,
        error: 'enrollment_expired',
      });
    }
    expect(await fixture.kit.status(user)).toMatchObject({ active: false });
  });

  it('are refused when truncated, empty, or not strings', async () => {
    const { fixture, setup, code } = await pending();
    for (const token of [setup.enrollmentToken.slice(0, -4), '', 'v1.k1.', 'v1.nokey.AAAA', 42, null, {}, ['x']]) {
      expect(await fixture.kit.activate(user, { enrollmentToken: token, code: code() })).toEqual({
        ok: false,
        error: 'enrollment_expired',
      });
    }
  });

  it('are refused when sealed under a key the server does not have', async () => {
    const { setup, code, fixture } = await pending();
    const elsewhere = makeService({ keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } } });
    elsewhere.clock.advance((fixture.clock.now() - elsewhere.clock.now()) / 1000);
    expect(await elsewhere.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toEqual({
      ok: false,
      error: 'enrollment_expired',
    });
  });

  it('work once: a replayed token is expired even after deactivation', async () => {
    const { fixture, setup, code } = await pending();
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toMatchObject({
      ok: true,
    });
    fixture.clock.advance(30);
    expect(await fixture.kit.deactivate(user, { code: code() })).toEqual({ ok: true });
    fixture.clock.advance(30);
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toEqual({
      ok: false,
      error: 'enrollment_expired',
    });
  });

  it('stay usable after a wrong code, so a typo does not restart setup', async () => {
    const { fixture, setup, code } = await pending();
    const wrong = code() === '000000' ? '111111' : '000000';
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: wrong })).toEqual({
      ok: false,
      error: 'invalid_code',
    });
    expect(await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() })).toMatchObject({
      ok: true,
    });
  });
});

describe('setup', () => {
  it('generates a fresh 160-bit secret every time', async () => {
    const fixture = makeService();
    const a = await fixture.kit.beginSetup(user);
    const b = await fixture.kit.beginSetup(user);
    expect(a.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(a.secret).not.toBe(b.secret);
  });

  it('returns everything an enrolment screen needs', async () => {
    const fixture = makeService();
    const setup = await fixture.kit.beginSetup(user);
    expect(setup).toMatchObject({
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      issuer: 'ACME Co',
      accountName: 'ada@example.com',
    });
    expect(setup.qrSvgDataUri).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(setup.otpauthUrl).toContain(`secret=${setup.secret}`);
  });

  it('is refused when TOTP is already active', async () => {
    const { fixture, setup, code } = await pending();
    await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
    await expect(fixture.kit.beginSetup(user)).rejects.toMatchObject({ code: 'already_active' });
  });

  it('refuses a second activation from an older pending setup', async () => {
    const { fixture, setup, code } = await pending();
    const older = await fixture.kit.beginSetup(user);
    await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
    const olderCode = totpCode(older.secret, { time: fixture.clock.now() / 1000 });
    await expect(
      fixture.kit.activate(user, { enrollmentToken: older.enrollmentToken, code: olderCode }),
    ).rejects.toMatchObject({
      code: 'already_active',
    });
  });

  it('leaves the QR code out when qrCode is false', async () => {
    const fixture = makeService({ qrCode: false });
    expect((await fixture.kit.beginSetup(user)).qrSvgDataUri).toBeNull();
  });
});
