/** The verification window, one-time use through afterStep, and times past 2038. */
import { describe, expect, it } from 'vitest';
import {
  generateTotpSecret,
  SecretTooShortError,
  ToleranceTooLargeError,
  TotpConfigError,
  totpCode,
  validateTotpCode,
  verifyTotp,
} from '../../src/core/index.js';

const secret = generateTotpSecret();
const period = 30;
const now = 1_700_000_000; // a fixed clock; time is always injected, never read from input
const step = Math.floor(now / period);
const codeAt = (s: number) => totpCode(secret, { time: s * period });

describe('window edges', () => {
  for (const tolerance of [0, 1, 2, 10]) {
    it(`tolerance ${tolerance}: accepts ±${tolerance} steps, refuses ±${tolerance + 1}`, () => {
      for (let offset = 0 - tolerance; offset <= tolerance; offset++) {
        expect(verifyTotp(secret, codeAt(step + offset), { time: now, tolerance })).toEqual({
          ok: true,
          step: step + offset,
          drift: offset,
        });
      }
      for (const offset of [-(tolerance + 1), tolerance + 1]) {
        // A code of another step can collide with one inside the window (p ≈ 1e-6 per step);
        // skip such a collision rather than flake.
        const code = codeAt(step + offset);
        const collides = Array.from({ length: 2 * tolerance + 1 }, (_, i) => codeAt(step - tolerance + i)).includes(
          code,
        );
        if (!collides) expect(verifyTotp(secret, code, { time: now, tolerance })).toEqual({ ok: false });
      }
    });
  }

  it('defaults to tolerance 1', () => {
    expect(verifyTotp(secret, codeAt(step - 1), { time: now }).ok).toBe(true);
    expect(verifyTotp(secret, codeAt(step + 1), { time: now }).ok).toBe(true);
  });

  it('treats the last second of a step as that step and the next second as the next', () => {
    const lastSecond = (step + 1) * period - 1;
    expect(verifyTotp(secret, codeAt(step), { time: lastSecond, tolerance: 0 }).ok).toBe(true);
    expect(verifyTotp(secret, codeAt(step + 1), { time: lastSecond + 1, tolerance: 0 }).ok).toBe(true);
  });

  it('never matches a step before the epoch', () => {
    expect(verifyTotp(secret, totpCode(secret, { time: 0 }), { time: 5, tolerance: 1 })).toEqual({
      ok: true,
      step: 0,
      drift: 0,
    });
  });
});

describe('afterStep (one-time use)', () => {
  it('refuses the step that was already used', () => {
    const first = verifyTotp(secret, codeAt(step), { time: now });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(verifyTotp(secret, codeAt(step), { time: now, afterStep: first.step })).toEqual({ ok: false });
  });

  it('refuses an older code of the window after a newer one was used', () => {
    expect(verifyTotp(secret, codeAt(step - 1), { time: now, afterStep: step })).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(step), { time: now, afterStep: step })).toEqual({ ok: false });
  });

  it('still accepts a later step of the window', () => {
    expect(verifyTotp(secret, codeAt(step + 1), { time: now, afterStep: step })).toMatchObject({
      ok: true,
      step: step + 1,
    });
  });

  it('treats null and undefined as "nothing used yet"', () => {
    expect(verifyTotp(secret, codeAt(step), { time: now, afterStep: null }).ok).toBe(true);
    expect(verifyTotp(secret, codeAt(step), { time: now, afterStep: undefined }).ok).toBe(true);
  });

  it('rejects a non-integer afterStep as a configuration error', () => {
    expect(() => verifyTotp(secret, codeAt(step), { time: now, afterStep: 1.5 })).toThrow(TotpConfigError);
  });
});

describe('64-bit time', () => {
  it('works past 2038 and for steps past 2^32', () => {
    for (const time of [2 ** 31 + 5, 20_000_000_000, 2 ** 32 * 30 + 45, 2 ** 45]) {
      const code = totpCode(secret, { time });
      expect(verifyTotp(secret, code, { time, tolerance: 0 })).toMatchObject({ ok: true, step: Math.floor(time / 30) });
    }
  });

  it('gives different codes for steps 2^32 apart (the high word is hashed)', () => {
    const low = totpCode(secret, { time: 30 });
    const high = totpCode(secret, { time: (2 ** 32 + 1) * 30 });
    const others = Array.from({ length: 5 }, (_, i) => totpCode(secret, { time: (2 ** 32 + 1 + i) * 30 }));
    // One equal pair is a 1e-6 accident; six in a row would mean the high word was ignored.
    expect([high, ...others].every((code) => code === low)).toBe(false);
  });
});

describe('guardrails', () => {
  it('refuses a tolerance above 10 with ToleranceTooLargeError', () => {
    expect(() => verifyTotp(secret, '123456', { tolerance: 11 })).toThrow(ToleranceTooLargeError);
    expect(() => verifyTotp(secret, '123456', { tolerance: -1 })).toThrow(TotpConfigError);
  });

  it('refuses secrets under 16 bytes with SecretTooShortError', () => {
    expect(() => verifyTotp(new Uint8Array(15), '123456')).toThrow(SecretTooShortError);
    expect(() => totpCode('JBSWY3DPEHPK3PXP')).toThrow(SecretTooShortError); // 10 bytes
  });

  it('refuses periods outside 1–120 s and digits outside 6–8', () => {
    expect(() => totpCode(secret, { period: 121 })).toThrow(expect.objectContaining({ code: 'invalid_period' }));
    expect(() => totpCode(secret, { period: 0 })).toThrow(expect.objectContaining({ code: 'invalid_period' }));
    expect(() => totpCode(secret, { digits: 5 })).toThrow(expect.objectContaining({ code: 'invalid_digits' }));
    expect(() => totpCode(secret, { digits: 9 })).toThrow(expect.objectContaining({ code: 'invalid_digits' }));
    expect(() => totpCode(secret, { algorithm: 'MD5' as never })).toThrow(
      expect.objectContaining({ code: 'invalid_algorithm' }),
    );
  });

  it('accepts 7-digit codes and the whole supported range', () => {
    for (const digits of [6, 7, 8]) {
      for (const p of [1, 30, 120]) {
        const code = totpCode(secret, { time: now, digits, period: p });
        expect(code).toHaveLength(digits);
        expect(validateTotpCode(secret, code, { time: now, digits, period: p })).toBe(true);
      }
    }
  });
});
