/** Rotating the encryption key: old secrets keep working and move to the new key as they are used. */
import { describe, expect, it } from 'vitest';
import { generateEncryptionKey, MemoryStore } from '../../src/index.js';
import { enroll, makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };

describe('key rotation', () => {
  it('verifies secrets and recovery codes sealed under the old key, re-sealing the secret under the new one', async () => {
    const store = new MemoryStore();
    const k1 = generateEncryptionKey();
    const before = makeService({ keyring: { current: 'k1', keys: { k1 } } }, { store });
    const enrolled = await enroll(before, user);
    expect((await store.getAuthenticator(user.id))?.encryptedSecret).toMatch(/^v1\.k1\./);

    const after = makeService({ keyring: { current: 'k2', keys: { k1, k2: generateEncryptionKey() } } }, { store });
    after.clock.advance((before.clock.now() - after.clock.now()) / 1000);
    expect(await after.kit.verify(user, enrolled.code())).toMatchObject({ ok: true });
    expect((await store.getAuthenticator(user.id))?.encryptedSecret).toMatch(/^v1\.k2\./);
    expect(await after.kit.verify(user, enrolled.recoveryCodes[0])).toMatchObject({
      ok: true,
      method: 'recovery_code',
    });

    after.clock.advance(30);
    before.clock.advance(30); // enrolled.code() reads the first service's clock
    expect(await after.kit.verify(user, enrolled.code())).toMatchObject({ ok: true });
  });

  it('refuses to verify when the key that sealed the secret was removed, naming the problem', async () => {
    const store = new MemoryStore();
    const before = makeService({ keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } } }, { store });
    const enrolled = await enroll(before, user);
    const after = makeService({ keyring: { current: 'k2', keys: { k2: generateEncryptionKey() } } }, { store });
    after.clock.advance((before.clock.now() - after.clock.now()) / 1000);
    await expect(after.kit.verify(user, enrolled.code())).rejects.toMatchObject({
      code: 'decryption_failed',
      message: 'The sealed value names key "k1", which is not in the keyring.',
    });
  });
});
