import { describe, expect, it } from 'vitest';
import { base32ToBytes, hotp, parseOtpauthUrl, stepAt, totpAt } from '../src/conformance/totp.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe("the conformance kit's own TOTP", () => {
  // RFC 6238 Appendix B: the seeds are ASCII digits, 20/32/64 bytes for SHA1/SHA256/SHA512.
  const seeds = {
    SHA1: ascii('12345678901234567890'),
    SHA256: ascii('12345678901234567890123456789012'),
    SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
  } as const;
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];

  it.each(vectors)('matches RFC 6238 Appendix B at T=%i', (time, sha1, sha256, sha512) => {
    const step = stepAt(time * 1000, 30);
    expect(hotp(seeds.SHA1, step, 'SHA1', 8)).toBe(sha1);
    expect(hotp(seeds.SHA256, step, 'SHA256', 8)).toBe(sha256);
    expect(hotp(seeds.SHA512, step, 'SHA512', 8)).toBe(sha512);
  });

  it('matches RFC 4226 Appendix D for the first HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314'];
    expect(expected.map((_, counter) => hotp(seeds.SHA1, counter, 'SHA1', 6))).toEqual(expected);
  });

  it('decodes base32 with or without padding, in either case', () => {
    expect([...base32ToBytes('MZXW6YQ=')]).toEqual([...ascii('foob')]);
    expect([...base32ToBytes('mzxw6yq')]).toEqual([...ascii('foob')]);
    expect(() => base32ToBytes('MZXW6Y1')).toThrow('not base32');
  });

  it('reads an otpauth URL with the Key Uri Format defaults', () => {
    const parsed = parseOtpauthUrl(
      'otpauth://totp/ACME:ada%40example.com?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq&issuer=ACME',
    );
    expect(parsed).toMatchObject({
      secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    expect(totpAt(parsed, stepAt(59_000, 30))).toBe('287082');
  });

  it('reads explicit algorithm, digits and period', () => {
    const parsed = parseOtpauthUrl('otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&algorithm=sha256&digits=8&period=60');
    expect(parsed).toMatchObject({ algorithm: 'SHA256', digits: 8, period: 60 });
  });

  it.each([
    ['not a URL', 'is not a URL'],
    ['otpauth://hotp/x?secret=GEZDGNBV', 'does not start with otpauth://totp/'],
    ['otpauth://totp/x', 'no secret'],
    ['otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5', 'unknown algorithm'],
    ['otpauth://totp/x?secret=GEZDGNBV&digits=5', 'digits outside'],
    ['otpauth://totp/x?secret=GEZDGNBV&period=0', 'period outside'],
  ])('refuses %s without naming the secret', (url, message) => {
    expect(() => parseOtpauthUrl(url)).toThrow(message);
    try {
      parseOtpauthUrl(url);
    } catch (error) {
      expect((error as Error).message).not.toContain('GEZDGNBV');
    }
  });
});
