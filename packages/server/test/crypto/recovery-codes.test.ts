/** Recovery codes: ≥ 50 bits each (DESIGN.md; NIST SP 800-63B §5.1.2), grouped, forgiving to type. */
import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, recoveryCodeHashCandidates } from '../../src/crypto/recovery-codes.js';
import { createKeyring, generateEncryptionKey, generateRecoveryCodes, normalizeRecoveryCode } from '../../src/index.js';

describe('generateRecoveryCodes', () => {
  it('gives distinct xxxxx-xxxxx codes in Crockford base32: 50 bits each', () => {
    const codes = generateRecoveryCodes(10);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  it('uses all 32 symbols about equally', () => {
    const counts = new Map<string, number>();
    for (const code of generateRecoveryCodes(2000)) {
      for (const c of code.replace('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 625) / 625).toBeLessThan(0.2);
  });
});

describe('normalizeRecoveryCode', () => {
  it.each([
    ['k7m2q-9xw4t', 'k7m2q9xw4t'],
    ['K7M2Q-9XW4T', 'k7m2q9xw4t'],
    ['k7m2q 9xw4t', 'k7m2q9xw4t'],
    ['  k7m2q9xw4t ', 'k7m2q9xw4t'],
    ['ｋ７ｍ２ｑ－９ｘｗ４ｔ', 'k7m2q9xw4t'],
    ['1o1i1-L0000', '10111' + '10000'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeRecoveryCode(input)).toBe(expected);
  });

  it.each(['k7m2q-9xw4', 'k7m2q-9xw4tt', 'k7m2q-9xw4u', 'k7m2q_9xw4t', '', '123456'])('rejects %j', (input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
  });

  it.each([null, 42, ['k7m2q-9xw4t'], {}, 'x'.repeat(100000)])('rejects %o without throwing', (input) => {
    expect(normalizeRecoveryCode(input)).toBeNull();
  });
});

describe('hashRecoveryCode', () => {
  const keyring = createKeyring({ current: 'k1', keys: { k1: generateEncryptionKey(), k0: generateEncryptionKey() } });

  it('is keyed, names its key, and differs per user', async () => {
    const hash = await hashRecoveryCode(keyring, 'u-1', 'k7m2q9xw4t');
    expect(hash).toMatch(/^k1:[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('k7m2q');
    expect(await hashRecoveryCode(keyring, 'u-1', 'k7m2q9xw4t')).toBe(hash);
    expect(await hashRecoveryCode(keyring, 'u-2', 'k7m2q9xw4t')).not.toBe(hash);
    const otherKeys = createKeyring({ current: 'k1', keys: { k1: generateEncryptionKey() } });
    expect(await hashRecoveryCode(otherKeys, 'u-1', 'k7m2q9xw4t')).not.toBe(hash);
  });

  it('offers a candidate under every key, current first, so codes survive rotation', async () => {
    const candidates = await recoveryCodeHashCandidates(keyring, 'u-1', 'k7m2q9xw4t');
    expect(candidates.map((c) => c.split(':')[0])).toEqual(['k1', 'k0']);
  });

  it("does not confuse user ids that run into the code ('u-1' + 'x…' vs 'u-1x' + '…')", async () => {
    expect(await hashRecoveryCode(keyring, 'a', 'bk7m2q9xw4')).not.toBe(
      await hashRecoveryCode(keyring, 'ab', 'k7m2q9xw4'),
    );
  });
});
