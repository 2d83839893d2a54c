/**
 * RFC 4226 Appendix D and RFC 6238 Appendix B, with each algorithm's own seed (the RFC 6238
 * errata: SHA256 uses 32 bytes, SHA512 64).
 */
import { describe, expect, it } from 'vitest';
import { formatHotpValue, hotpValue, type TotpAlgorithm, totpCode, verifyTotp } from '../../src/core/index.js';
import vectors from '../fixtures/rfc-vectors.json' with { type: 'json' };

const bytes = (ascii: string) => new TextEncoder().encode(ascii);

describe('RFC 4226 Appendix D (HOTP, SHA1)', () => {
  for (const v of vectors.filter((v) => v.rfc === 4226)) {
    it(`counter ${v.time_or_counter} gives ${v.expected}`, () => {
      const value = hotpValue(bytes(v.secret_ascii), v.time_or_counter, { digits: v.digits });
      expect(formatHotpValue(value, v.digits)).toBe(v.expected);
    });
  }
});

describe('RFC 6238 Appendix B (TOTP)', () => {
  for (const v of vectors.filter((v) => v.rfc === 6238)) {
    const algorithm = v.algorithm as TotpAlgorithm;
    it(`${algorithm} at T=${v.time_or_counter} gives ${v.expected}`, () => {
      const options = { time: v.time_or_counter, digits: v.digits, algorithm };
      expect(totpCode(bytes(v.secret_ascii), options)).toBe(v.expected);
      expect(verifyTotp(bytes(v.secret_ascii), v.expected, { ...options, tolerance: 0 })).toMatchObject({
        ok: true,
        drift: 0,
      });
    });
  }

  it('covers every algorithm and the 64-bit time past 2038', () => {
    const covered = new Set(vectors.map((v) => `${v.algorithm}@${v.time_or_counter}`));
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512']) expect(covered.has(`${algorithm}@20000000000`)).toBe(true);
  });
});

describe('allauth vectors (base32 secret, 6 digits)', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it('T=59 gives 287082 and T=1111111109 gives 081804', () => {
    expect(totpCode(secret, { time: 59 })).toBe('287082');
    expect(totpCode(secret, { time: 1111111109 })).toBe('081804');
  });
});
