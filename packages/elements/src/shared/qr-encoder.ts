/**
 * The QR encoder, loaded on demand (it is the largest piece and most setups never need it:
 * the server usually sends its own image). Draws an SVG with black modules on white and the
 * four-module white quiet zone that scanners need, whatever the page's theme.
 */
import { encode } from 'uqr';

const QUIET_ZONE = 4;

/** `text` as a QR code in SVG markup. */
export function qrSvg(text: string): string {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const full = size + 2 * QUIET_ZONE;
  let path = '';
  data.forEach((row, y) => {
    // One rectangle per run of dark modules keeps the path short.
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x++;
      path += `M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x + 1 - start}v1h${start - x - 1}z`;
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges"><rect width="${full}" height="${full}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
