/** Property tests: every algorithm, digit count and 64-bit counter agrees with node:crypto. */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPortableHotpFunction } from '../../src/core/hmac.js';
import { splitCounter } from '../../src/core/hotp.js';
import { base32Encode, hotpValue, type TotpAlgorithm, totpCode, verifyTotp } from '../../src/core/index.js';

function referenceHotp(key: Uint8Array, counter: bigint, algorithm: TotpAlgorithm, digits: number): number {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(algorithm.toLowerCase(), key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
}

const arbitraries = {
  key: fc.uint8Array({ minLength: 16, maxLength: 128 }),
  counter: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  algorithm: fc.constantFrom<TotpAlgorithm>('SHA1', 'SHA256', 'SHA512'),
  digits: fc.integer({ min: 6, max: 8 }),
};

describe('hotpValue', () => {
  it('equals HMAC + dynamic truncation computed with node:crypto', () => {
    fc.assert(
      fc.property(
        arbitraries.key,
        arbitraries.counter,
        arbitraries.algorithm,
        arbitraries.digits,
        (key, counter, algorithm, digits) => {
          expect(hotpValue(key, counter, { algorithm, digits })).toBe(referenceHotp(key, counter, algorithm, digits));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same value for a key as bytes and as base32 of any case', () => {
    fc.assert(
      fc.property(arbitraries.key, fc.integer({ min: 0, max: 2 ** 40 }), (key, counter) => {
        const text = base32Encode(key);
        const value = hotpValue(key, counter);
        expect(hotpValue(text.toLowerCase(), counter)).toBe(value);
        expect(hotpValue(`${text.replace(/(.{4})/g, '$1 ')}===`, counter)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts numbers and bigints for the same counter, past 2^32', () => {
    fc.assert(
      fc.property(arbitraries.key, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (key, counter) => {
        expect(hotpValue(key, counter)).toBe(hotpValue(key, BigInt(counter)));
        expect(splitCounter(counter)).toEqual(splitCounter(BigInt(counter)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('portable SHA-256/512 backend (@noble/hashes, used where node:crypto is absent)', () => {
  it('agrees with node:crypto', () => {
    fc.assert(
      fc.property(
        arbitraries.key,
        arbitraries.counter,
        fc.constantFrom('SHA256', 'SHA512' as const),
        (key, counter, algorithm) => {
          const [high, low] = splitCounter(counter);
          const value = createPortableHotpFunction(key, algorithm)(high, low) % 10 ** 8;
          expect(value).toBe(referenceHotp(key, counter, algorithm, 8));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('totpCode and verifyTotp', () => {
  it('verify accepts whatever totpCode produced, at drift 0', () => {
    fc.assert(
      fc.property(
        arbitraries.key,
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 120 }),
        arbitraries.algorithm,
        arbitraries.digits,
        (key, time, period, algorithm, digits) => {
          const options = { time, period, algorithm, digits };
          const code = totpCode(key, options);
          expect(code).toMatch(new RegExp(`^[0-9]{${digits}}$`));
          expect(verifyTotp(key, code, options)).toEqual({ ok: true, step: Math.floor(time / period), drift: 0 });
        },
      ),
      { numRuns: 500 },
    );
  });
});
