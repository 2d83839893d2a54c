/** Encryption at rest: AES-256-GCM, key ids in ciphertexts, rotation, and clear errors. */
import { describe, expect, it } from 'vitest';
import { backends } from '../../src/crypto/primitives.js';
import { createKeyring, generateEncryptionKey } from '../../src/index.js';

const k1 = generateEncryptionKey();
const k2 = generateEncryptionKey();

describe('keyring', () => {
  it('seals and opens, carrying the key id, with a fresh IV each time', async () => {
    const keyring = createKeyring({ current: 'k1', keys: { k1 } });
    const a = await keyring.seal('JBSWY3DPEHPK3PXP', 'totp-secret', 'u-1');
    const b = await keyring.seal('JBSWY3DPEHPK3PXP', 'totp-secret', 'u-1');
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await keyring.open(a, 'totp-secret', 'u-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(keyring.keyIdOf(a)).toBe('k1');
  });

  it('binds the ciphertext to its user and purpose: a copied row does not open', async () => {
    const keyring = createKeyring({ current: 'k1', keys: { k1 } });
    const sealed = await keyring.seal('secret', 'totp-secret', 'u-1');
    await expect(keyring.open(sealed, 'totp-secret', 'u-2')).rejects.toMatchObject({ code: 'decryption_failed' });
    await expect(keyring.open(sealed, 'enrollment-token', 'u-1')).rejects.toMatchObject({ code: 'decryption_failed' });
  });

  it('refuses a ciphertext with its key id swapped', async () => {
    const keyring = createKeyring({ current: 'k1', keys: { k1, k2: k1 } });
    const sealed = await keyring.seal('secret', 'totp-secret', 'u-1');
    await expect(keyring.open(sealed.replace('v1.k1.', 'v1.k2.'), 'totp-secret', 'u-1')).rejects.toMatchObject({
      code: 'decryption_failed',
    });
  });

  it('opens data sealed under an old key and rotates it to the current one', async () => {
    const old = createKeyring({ current: 'k1', keys: { k1 } });
    const sealed = await old.seal('secret', 'totp-secret', 'u-1');
    const rotated = createKeyring({ current: 'k2', keys: { k1, k2 } });
    expect(await rotated.open(sealed, 'totp-secret', 'u-1')).toBe('secret');
    const resealed = await rotated.rotate(sealed, 'totp-secret', 'u-1');
    expect(rotated.keyIdOf(resealed)).toBe('k2');
    expect(await rotated.open(resealed, 'totp-secret', 'u-1')).toBe('secret');
    expect(await rotated.rotate(resealed, 'totp-secret', 'u-1')).toBe(resealed);
  });

  it('gives a clear error for an unknown key id', async () => {
    const old = createKeyring({ current: 'retired', keys: { retired: k1 } });
    const sealed = await old.seal('secret', 'totp-secret', 'u-1');
    const keyring = createKeyring({ current: 'k2', keys: { k2 } });
    await expect(keyring.open(sealed, 'totp-secret', 'u-1')).rejects.toThrow(
      /names key "retired", which is not in the keyring/,
    );
  });

  it('gives a clear error for tampering, truncation and foreign formats', async () => {
    const keyring = createKeyring({ current: 'k1', keys: { k1 } });
    const sealed = await keyring.seal('secret', 'totp-secret', 'u-1');
    for (const bad of [`${sealed.slice(0, -2)}AA`, sealed.slice(0, 20), 'plaintext', 'v1.k1.!!!', '']) {
      await expect(keyring.open(bad, 'totp-secret', 'u-1')).rejects.toMatchObject({ code: 'decryption_failed' });
    }
  });

  it('refuses keys that are not 32 bytes of base64, bad ids, and a missing current key', () => {
    expect(() => createKeyring({ current: 'k1', keys: { k1: 'not base64!' } })).toThrow(/not base64/);
    expect(() => createKeyring({ current: 'k1', keys: { k1: btoa('short') } })).toThrow(/needs 32/);
    expect(() => createKeyring({ current: 'k 1', keys: { 'k 1': k1 } })).toThrow(/key id/);
    expect(() => createKeyring({ current: 'k9', keys: { k1 } })).toThrow(/not one of the keys \(k1\)/);
  });

  it('generates distinct 256-bit keys', () => {
    const keys = new Set(Array.from({ length: 100 }, generateEncryptionKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(Buffer.from(key, 'base64')).toHaveLength(32);
  });

  it('derives separate MAC keys per purpose and per key', async () => {
    const keyring = createKeyring({ current: 'k1', keys: { k1, k2 } });
    const a = await keyring.mac('recovery-code', 'x');
    expect(a).toHaveLength(32);
    expect(await keyring.mac('recovery-code', 'x')).toEqual(a);
    expect(await keyring.mac('other', 'x')).not.toEqual(a);
    expect(await keyring.mac('recovery-code', 'x', 'k2')).not.toEqual(a);
  });
});

describe('crypto backends', () => {
  const { node, web } = backends;

  it('runs on node:crypto in Node, and on WebCrypto elsewhere, producing the same format', async () => {
    expect(node).toBeDefined();
    const onNode = createKeyring({ current: 'k1', keys: { k1 }, backend: node });
    const onWeb = createKeyring({ current: 'k1', keys: { k1 }, backend: web });
    const fromNode = await onNode.seal('JBSWY3DPEHPK3PXP', 'totp-secret', 'u-1');
    const fromWeb = await onWeb.seal('JBSWY3DPEHPK3PXP', 'totp-secret', 'u-1');
    expect(await onWeb.open(fromNode, 'totp-secret', 'u-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(await onNode.open(fromWeb, 'totp-secret', 'u-1')).toBe('JBSWY3DPEHPK3PXP');
    await expect(onWeb.open(fromNode, 'totp-secret', 'u-2')).rejects.toMatchObject({ code: 'decryption_failed' });
    await expect(onNode.open(fromWeb, 'totp-secret', 'u-2')).rejects.toMatchObject({ code: 'decryption_failed' });
  });

  it('derive the same MAC keys', async () => {
    const onNode = createKeyring({ current: 'k1', keys: { k1 }, backend: node });
    const onWeb = createKeyring({ current: 'k1', keys: { k1 }, backend: web });
    expect(await onNode.mac('recovery-code', 'data')).toEqual(await onWeb.mac('recovery-code', 'data'));
  });
});
