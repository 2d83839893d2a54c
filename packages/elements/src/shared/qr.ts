/**
 * The browser-drawn QR code, for backends that send `qrCode: null`. The encoder is a separate
 * chunk, fetched by dynamic import only when it is needed.
 */

/** `text` as a QR image (an SVG data URI with a white quiet zone). */
export async function qrImage(text: string): Promise<string> {
  const { qrSvg } = await import('./qr-encoder.js');
  return `data:image/svg+xml,${encodeURIComponent(qrSvg(text))}`;
}
