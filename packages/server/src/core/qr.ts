/**
 * QR codes for otpauth URLs, drawn locally: a third-party chart service would see the secret
 * (PHPGangsta #72, node-2fa's Google Charts URL). allauth's `totp_svg` and `totp_svg_data_uri`.
 */
import { encode } from 'uqr';

/** Quiet zone in modules; ISO/IEC 18004 asks for four. It is painted white so dark themes scan. */
const QUIET_ZONE = 4;

/**
 * An SVG image of the QR code for `url`: one path of dark modules on a white square that
 * includes the quiet zone. It carries no text, so no `<title>` can read the secret aloud; give
 * the `<img>` an alt such as "QR code for ACME".
 */
export function totpQrSvg(url: string): string {
  // uqr, as in @totpkit/elements: one encoder across the packages, with no dependencies of its own.
  const { data, size } = encode(url, { ecc: 'M', border: 0 });
  const full = size + QUIET_ZONE * 2;
  let path = '';
  data.forEach((modules, row) => {
    let col = 0;
    while (col < size) {
      if (!modules[col]) {
        col++;
        continue;
      }
      // Merge horizontal runs of dark modules: a third of the markup of one square per module.
      const start = col;
      while (col < size && modules[col]) col++;
      path += `M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h${start - col}z`;
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" width="${full * 4}" height="${full * 4}" shape-rendering="crispEdges">` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}

/** The same SVG as a `data:image/svg+xml;base64,` URI, ready for `<img src>`. */
export function totpQrDataUri(url: string): string {
  return `data:image/svg+xml;base64,${btoa(totpQrSvg(url))}`;
}
