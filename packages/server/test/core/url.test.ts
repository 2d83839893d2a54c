/** Google's Key Uri Format: building, parsing, round trips and the `+` versus `%20` trap. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTotpUrl, generateTotpSecret, parseTotpUrl, TotpConfigError, TotpUrlError } from '../../src/core/index.js';

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('buildTotpUrl', () => {
  it('puts the issuer in the label prefix and the parameter, and omits defaults', () => {
    expect(buildTotpUrl({ secret, accountName: 'ada@example.com', issuer: 'ACME' })).toBe(
      `otpauth://totp/ACME:ada%40example.com?secret=${secret}&issuer=ACME`,
    );
  });

  it('encodes spaces as %20, never +', () => {
    const url = buildTotpUrl({ secret, accountName: 'Ada Lovelace', issuer: 'ACME Co' });
    expect(url).toBe(`otpauth://totp/ACME%20Co:Ada%20Lovelace?secret=${secret}&issuer=ACME%20Co`);
    expect(url).not.toContain('+');
  });

  it('encodes a literal + as %2B', () => {
    expect(buildTotpUrl({ secret, accountName: 'ada+2fa@example.com', issuer: 'C++ Shop' })).toBe(
      `otpauth://totp/C%2B%2B%20Shop:ada%2B2fa%40example.com?secret=${secret}&issuer=C%2B%2B%20Shop`,
    );
  });

  it('writes algorithm, digits and period only when they differ from the defaults', () => {
    const url = buildTotpUrl({ secret, accountName: 'a', issuer: 'I', algorithm: 'SHA256', digits: 8, period: 60 });
    expect(url).toBe(`otpauth://totp/I:a?secret=${secret}&issuer=I&algorithm=SHA256&digits=8&period=60`);
    expect(buildTotpUrl({ secret, accountName: 'a', issuer: 'I', algorithm: 'SHA1', digits: 6, period: 30 })).toBe(
      `otpauth://totp/I:a?secret=${secret}&issuer=I`,
    );
  });

  it('canonicalises the secret and leaves out an empty issuer', () => {
    expect(buildTotpUrl({ secret: 'jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp', accountName: 'a', issuer: '' })).toBe(
      `otpauth://totp/a?secret=${secret}`,
    );
  });

  it('encodes unicode', () => {
    const url = buildTotpUrl({ secret, accountName: 'zoë', issuer: 'Café' });
    expect(url).toBe(`otpauth://totp/Caf%C3%A9:zo%C3%AB?secret=${secret}&issuer=Caf%C3%A9`);
  });

  it('refuses a colon in the issuer or in an account without issuer, and an empty account', () => {
    expect(() => buildTotpUrl({ secret, accountName: 'a:b', issuer: '' })).toThrow(TotpConfigError);
    expect(() => buildTotpUrl({ secret, accountName: 'a', issuer: 'I:J' })).toThrow(TotpConfigError);
    expect(() => buildTotpUrl({ secret, accountName: '', issuer: 'I' })).toThrow(TotpConfigError);
  });

  it('writes a colon in the account after the issuer prefix as %3A, and reads it back whole', () => {
    const url = buildTotpUrl({ secret, accountName: 'urn:user:42', issuer: 'ACME' });
    expect(url).toBe(`otpauth://totp/ACME:urn%3Auser%3A42?secret=${secret}&issuer=ACME`);
    expect(parseTotpUrl(url)).toMatchObject({ issuer: 'ACME', accountName: 'urn:user:42' });
  });

  it.each([
    ['an all-space account name', '   ', 'I'],
    ['a lone surrogate in the account name', 'ada\ud800', 'I'],
    ['a lone surrogate in the issuer', 'ada', 'AC\udc00ME'],
    ['a control character', 'ada\n', 'I'],
  ])('refuses %s with a typed invalid_label, never a raw URIError', (_name, accountName, issuer) => {
    expect(() => buildTotpUrl({ secret, accountName, issuer })).toThrow(
      expect.objectContaining({ name: 'TotpConfigError', code: 'invalid_label' }),
    );
  });
});

describe('parseTotpUrl', () => {
  it('reads what Google Authenticator documents', () => {
    const url =
      'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30';
    expect(parseTotpUrl(url)).toEqual({
      secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ',
      accountName: 'john.doe@email.com',
      issuer: 'ACME Co',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
  });

  it('reads what pyotp produces (no label prefix handling quirks, %20, defaults omitted)', () => {
    expect(
      parseTotpUrl(`otpauth://totp/Secure%20App:alice%40google.com?secret=${secret}&issuer=Secure%20App`),
    ).toMatchObject({
      accountName: 'alice@google.com',
      issuer: 'Secure App',
    });
  });

  it('reads what otpauth (hectorm) produces: every parameter spelled out', () => {
    expect(
      parseTotpUrl(`otpauth://totp/ACME:Alice?issuer=ACME&secret=${secret}&algorithm=SHA512&digits=8&period=15`),
    ).toMatchObject({ issuer: 'ACME', accountName: 'Alice', algorithm: 'SHA512', digits: 8, period: 15 });
  });

  it('accepts %3A for the colon, a space after it, lower case and padding in the secret', () => {
    expect(parseTotpUrl('otpauth://totp/ACME%3A%20ada?secret=jbswy3dpehpk3pxpjbswy3dpehpk3pxp====')).toMatchObject({
      secret,
      issuer: 'ACME',
      accountName: 'ada',
    });
  });

  it('takes the issuer from the parameter when there is no prefix', () => {
    expect(parseTotpUrl(`otpauth://totp/ada?secret=${secret}&issuer=ACME`).issuer).toBe('ACME');
    expect(parseTotpUrl(`otpauth://totp/ada?secret=${secret}`).issuer).toBeUndefined();
  });

  it('understands the + that form-encoding libraries write, when the label says the same with a space', () => {
    expect(parseTotpUrl(`otpauth://totp/ACME%20Co:ada?secret=${secret}&issuer=ACME+Co`).issuer).toBe('ACME Co');
  });

  it('reads + in the query as a space, as Google Authenticator exports and Aegis do, and + in the label as a plus', () => {
    expect(parseTotpUrl(`otpauth://totp/ada?secret=${secret}&issuer=ACME+Co`).issuer).toBe('ACME Co');
    expect(parseTotpUrl(`otpauth://totp/ada+2fa?secret=${secret}&issuer=C%2B%2B`)).toMatchObject({
      accountName: 'ada+2fa',
      issuer: 'C++',
    });
  });

  it('accepts an empty issuer= next to a label prefix, taking the prefix', () => {
    expect(parseTotpUrl(`otpauth://totp/ACME:ada?secret=${secret}&issuer=`).issuer).toBe('ACME');
    expect(parseTotpUrl(`otpauth://totp/ada?secret=${secret}&issuer=`).issuer).toBeUndefined();
  });

  it('reads a secret of 128 bytes, the most generateTotpSecret makes', () => {
    const longest = generateTotpSecret(128);
    expect(parseTotpUrl(`otpauth://totp/ada?secret=${longest}`).secret).toBe(longest);
  });

  it('keeps a literal + when the label agrees', () => {
    expect(parseTotpUrl(`otpauth://totp/C%2B%2B:ada?secret=${secret}&issuer=C%2B%2B`).issuer).toBe('C++');
  });

  it.each([
    ['https://example.com/?secret=X', 'not_otpauth'],
    [`otpauth://hotp/ACME:ada?secret=${secret}&counter=1`, 'not_totp'],
    ['otpauth://totp/ACME:ada?issuer=ACME', 'missing_secret'],
    ['otpauth://totp/ACME:ada?secret=', 'missing_secret'],
    ['otpauth://totp/ACME:ada?secret=JBSWY3DP1!', 'invalid_secret'],
    [`otpauth://totp/ACME:ada?secret=${secret}&algorithm=MD5`, 'unsupported_algorithm'],
    [`otpauth://totp/ACME:ada?secret=${secret}&digits=10`, 'unsupported_digits'],
    [`otpauth://totp/ACME:ada?secret=${secret}&digits=6.0`, 'unsupported_digits'],
    [`otpauth://totp/ACME:ada?secret=${secret}&period=0`, 'invalid_period'],
    [`otpauth://totp/ACME:ada?secret=${secret}&period=121`, 'invalid_period'],
    [`otpauth://totp/ACME:ada?secret=${secret}&issuer=Evil`, 'issuer_mismatch'],
    [`otpauth://totp/ACME:ada?secret=${secret}&secret=${secret}`, 'duplicate_parameter'],
    [`otpauth://totp/ACME%ZZ:ada?secret=${secret}`, 'invalid_label'],
    [`otpauth://totp/ACME:?secret=${secret}`, 'invalid_label'],
    [`otpauth://totp/ACME:ada?secret=${secret}&issuer=ACME\n`, 'invalid_url'],
    [`otpauth://totp/ACME:ada?issuer=ACME&secret=${secret}\n`, 'invalid_url'],
    [`otpauth://totp/ACME:ada\ud800?secret=${secret}`, 'invalid_url'],
    [`otpauth://totp/ACME:ada%ED%A0%80?secret=${secret}`, 'invalid_label'],
    [`otpauth://totp/Steam:ada?secret=${secret}&issuer=Steam&encoder=steam`, 'unsupported_encoder'],
    [`otpauth://totp/ACME:ada?secret=${secret}&encoder=base26`, 'unsupported_encoder'],
  ])('refuses %s with %s', (url, code) => {
    expect(() => parseTotpUrl(url)).toThrow(TotpUrlError);
    expect(() => parseTotpUrl(url)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['133 bytes', `${generateTotpSecret(128)}AAAAAAAA`],
    ['100,000 characters', 'A'.repeat(100_000)],
  ])('refuses a secret over 128 bytes, the bound of generation: %s', (_name, long) => {
    expect(() => parseTotpUrl(`otpauth://totp/ACME:ada?secret=${long}`)).toThrow(
      expect.objectContaining({ name: 'TotpUrlError', code: 'invalid_secret' }),
    );
  });

  it('refuses a non-string with a typed error', () => {
    expect(() => parseTotpUrl(42 as never)).toThrow(TotpUrlError);
  });
});

describe('round trips', () => {
  it('parse(build(x)) keeps every colon of an account after an issuer prefix', () => {
    const withColons = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.includes(':') && !s.startsWith(' '));
    fc.assert(
      fc.property(withColons, (accountName) => {
        const url = buildTotpUrl({ secret, accountName, issuer: 'ACME' });
        expect(parseTotpUrl(url)).toMatchObject({ issuer: 'ACME', accountName });
      }),
      { numRuns: 300 },
    );
  });

  const label = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes(':') && !s.startsWith(' '));

  it('parse(build(x)) gives x back for any account, issuer and setting', () => {
    fc.assert(
      fc.property(
        label,
        fc.oneof(fc.constant(''), label),
        fc.constantFrom('SHA1', 'SHA256', 'SHA512' as const),
        fc.integer({ min: 6, max: 8 }),
        fc.integer({ min: 1, max: 120 }),
        (accountName, issuer, algorithm, digits, period) => {
          const secret = generateTotpSecret();
          const url = buildTotpUrl({ secret, accountName, issuer, algorithm, digits, period });
          expect(url).not.toContain('+'); // spaces are %20 and a literal + is %2B
          expect(parseTotpUrl(url)).toEqual({
            secret,
            accountName,
            issuer: issuer === '' ? undefined : issuer,
            algorithm,
            digits,
            period,
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
