/**
 * Checklist items 1–5 of reference/security.md at the core: a code of any type or spelling gives
 * `{ ok: false }` or `null`, never a throw and never a match as some other value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTotpSecret, normalizeCode, totpCode, validateTotpCode, verifyTotp } from '../../src/core/index.js';

const secret = generateTotpSecret();
const time = 1_700_000_000;
const code = totpCode(secret, { time });

describe('normalizeCode', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    [' 123456 ', '123456'],
    ['１２３４５６', '123456'], // full-width digits, NFKC
    ['１２３　４５６', '123456'], // ideographic space, NFKC → U+0020
    ['123\u00a0456', '123456'], // no-break space, NFKC → U+0020
    ['１２３－４５６', '123456'], // full-width hyphen-minus
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeCode(input)).toBe(expected);
  });

  it.each([
    '12345',
    '1234567',
    '12345a',
    '+12345',
    '-12345',
    '12345\n',
    '123456\n',
    '\t123456',
    '1e5',
    '0x1234',
    '12345.',
    '',
    '٠١٢٣٤٥', // Arabic-Indic digits are digits to Unicode, not to us
    '𝟏𝟐𝟑𝟒𝟓', // mathematical bold digits: NFKC → "12345", still five
    '123\u200b456', // zero-width space
    '123_456',
    '123–456', // en dash is not a hyphen-minus
  ])('rejects %j', (input) => {
    expect(normalizeCode(input)).toBeNull();
  });

  it.each([
    ['a number', 123456],
    ['a bigint', 123456n],
    ['null', null],
    ['undefined', undefined],
    ['an array', ['123456']],
    ['an object', {}],
    ['an object with toString', { toString: () => '123456' }],
    ['a boolean', true],
    ['a symbol', Symbol('123456')],
    ['a String object', new String('123456')],
  ])('rejects %s', (_label, input) => {
    expect(normalizeCode(input)).toBeNull();
  });

  it('rejects a 1 MB string without normalising it', () => {
    const huge = '1'.repeat(1024 * 1024);
    const started = performance.now();
    expect(normalizeCode(huge)).toBeNull();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('honours the digits argument', () => {
    expect(normalizeCode('12345678', 8)).toBe('12345678');
    expect(normalizeCode('123456', 8)).toBeNull();
    expect(normalizeCode('1234-5678', 8)).toBe('12345678');
  });
});

describe('verifyTotp on hostile input', () => {
  it.each([
    ['the right code as a number', Number(code)],
    ['the right code in an array', [code]],
    ['the right code with a letter appended', `${code}a`],
    ['the right code with a newline', `${code}\n`],
    ['the right code with a plus', `+${code}`],
    ['the last five digits', code.slice(1)],
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
    ['a 1 MB string', '9'.repeat(1024 * 1024)],
    ['an object', { code }],
    ['NaN', Number.NaN],
    ['a function', () => code],
  ])('gives { ok: false } for %s', (_label, input) => {
    expect(verifyTotp(secret, input, { time })).toEqual({ ok: false });
    expect(validateTotpCode(secret, input, { time })).toBe(false);
  });

  it('never throws, whatever the code, and only strings can match', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = verifyTotp(secret, input, { time });
        if (typeof input !== 'string') expect(result).toEqual({ ok: false });
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (input) => {
        const result = verifyTotp(secret, input, { time });
        if (result.ok) expect(normalizeCode(input)).toBe(code);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives one step for every spelling of the same code, so a replay key cannot be split', () => {
    const spellings = [code, `${code.slice(0, 3)} ${code.slice(3)}`, `${code.slice(0, 3)}-${code.slice(3)}`];
    spellings.push(code.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))); // full-width
    const steps = spellings.map((s) => verifyTotp(secret, s, { time }));
    for (const result of steps) expect(result).toEqual(steps[0]);
    expect(steps[0]?.ok).toBe(true);
  });
});
