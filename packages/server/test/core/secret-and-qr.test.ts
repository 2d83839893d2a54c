import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  buildTotpUrl,
  generateTotpSecret,
  SecretTooShortError,
  secretToBase32,
  TotpConfigError,
  totpQrDataUri,
  totpQrSvg,
} from '../../src/core/index.js';

describe('generateTotpSecret', () => {
  it('gives 20 random bytes as 32 upper-case base32 characters without padding', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
  });

  it('honours the length and never repeats', () => {
    expect(base32Decode(generateTotpSecret(32))).toHaveLength(32);
    const seen = new Set(Array.from({ length: 1000 }, () => generateTotpSecret()));
    expect(seen.size).toBe(1000);
  });

  it('uses every base32 character about equally (no biased alphabet mapping)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of generateTotpSecret()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    const expected = (2000 * 32) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });

  it('throws SecretTooShortError on fewer than 16 bytes', () => {
    expect(() => generateTotpSecret(15)).toThrow(SecretTooShortError);
    expect(() => generateTotpSecret(10)).toThrow(/at least 16 bytes/);
    expect(() => generateTotpSecret(16.5)).toThrow(TotpConfigError);
  });
});

describe('secretToBase32', () => {
  it('canonicalises spacing, case and padding', () => {
    expect(secretToBase32('jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp====')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('rejects characters outside the alphabet', () => {
    for (const bad of [
      'JBSWY3DPEHPK3PXP0BSWY3DPEHPK3PX1',
      'JBSWY3DP!HPK3PXPJBSWY3DPEHPK3PXP',
      'ÀBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    ]) {
      expect(() => secretToBase32(bad)).toThrow(expect.objectContaining({ code: 'invalid_secret' }));
    }
  });
});

/** Rasterises the SVG path (runs of `M x y h n v1 h -n z`) and decodes it like a camera would. */
function decodeSvg(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const scale = 4;
  const pixels = new Uint8ClampedArray(size * scale * size * scale * 4).fill(255);
  for (const [, x, y, w] of svg.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) {
      for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
        const i = (py * size * scale + px) * 4;
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
      }
    }
  }
  return jsQR(pixels, size * scale, size * scale)?.data;
}

describe('totpQrSvg / totpQrDataUri', () => {
  const url = buildTotpUrl({ secret: generateTotpSecret(), accountName: 'ada@example.com', issuer: 'ACME Co' });

  it('draws a QR code that decodes back to the otpauth URL', () => {
    expect(decodeSvg(totpQrSvg(url))).toBe(url);
  });

  it('paints a white background that includes a four-module quiet zone', () => {
    const svg = totpQrSvg(url);
    expect(svg).toMatch(/<rect width="(\d+)" height="\1" fill="#fff"\/>/);
    const xs = [...svg.matchAll(/M(\d+) (\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
    expect(Math.min(...xs)).toBe(4);
  });

  it('never puts the secret or the URL in the image as text', () => {
    const svg = totpQrSvg(url);
    expect(svg).not.toContain('secret');
    expect(svg).not.toContain('<title');
    expect(svg).not.toContain('otpauth');
  });

  it('gives a base64 SVG data URI of the same image', () => {
    const uri = totpQrDataUri(url);
    expect(uri.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(atob(uri.slice('data:image/svg+xml;base64,'.length))).toBe(totpQrSvg(url));
  });
});
