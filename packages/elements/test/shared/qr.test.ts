import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import 'jsqr';
import type jsQRType from 'jsqr';
import '../../src/totp-activate/totp-activate.js';
import type { TotpActivate } from '../../src/totp-activate/totp-activate.js';
import { inactiveBackend, OTPAUTH_URL, setup } from '../helpers/backend.js';
import { part, untilState } from '../helpers/dom.js';

// jsQR ships as a UMD script that sets `self.jsQR`.
const jsQR = (self as unknown as { jsQR: typeof jsQRType }).jsQR;
const MODULE_PX = 8;

/** Draws an image at MODULE_PX per module and returns its pixels and the module count. */
async function rasterize(src: string): Promise<{ pixels: ImageData; modules: number }> {
  const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
  const modules = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = modules * MODULE_PX;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  context.imageSmoothingEnabled = false;
  context.drawImage(img, 0, 0, canvas.width, canvas.height);
  return { pixels: context.getImageData(0, 0, canvas.width, canvas.height), modules };
}

describe('the QR code', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('loads no encoder when the server sends its own image', async () => {
    const qrCode = 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=';
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" .fetch=${inactiveBackend().on('POST /totp/setup', setup({ qrCode })).fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.filter((name) => name.includes('uqr') || name.includes('qr-encoder'))).to.deep.equal([]);
  });

  it('drawn in the browser, encodes the otpauth URL and keeps a white quiet zone in a dark theme', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await fixture<TotpActivate>(
      html`<totp-activate endpoint="/mfa" style="--totp-color-background: #000" .fetch=${inactiveBackend().fetch}></totp-activate>`,
    );
    await untilState(el, 'setup');
    await waitUntil(() => el.shadowRoot?.querySelector('img[part~="qr"]'), 'the QR code was never drawn');
    const img = part<HTMLImageElement>(el, 'img[part~="qr"]');
    const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.some((name) => name.includes('qr-encoder'))).to.equal(true);

    const { pixels, modules } = await rasterize(img.src);
    const quiet = 4 * MODULE_PX;
    const size = modules * MODULE_PX;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (x >= quiet && x < size - quiet && y >= quiet && y < size - quiet) continue;
        const i = (y * size + x) * 4;
        if (pixels.data[i] !== 255 || pixels.data[i + 1] !== 255 || pixels.data[i + 2] !== 255) {
          throw new Error(`quiet zone pixel (${x}, ${y}) is not white`);
        }
      }
    }
    expect(jsQR(pixels.data, size, size)?.data).to.equal(OTPAUTH_URL);
    expect(getComputedStyle(part(el, '[part~="qr-frame"]')).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  it('encodes long URLs (long issuer and account) that any scanner reads back', async () => {
    // Imported here, not at the top, so the first test sees a page that never loaded the encoder.
    const { qrSvg } = await import('../../src/shared/qr-encoder.js');
    const url = `otpauth://totp/${encodeURIComponent('Ünïcode Corp')}:${'a'.repeat(60)}%40example.com?secret=${'A'.repeat(52)}&issuer=${encodeURIComponent('Ünïcode Corp')}&algorithm=SHA512&digits=8&period=60`;
    const { pixels, modules } = await rasterize(`data:image/svg+xml,${encodeURIComponent(qrSvg(url))}`);
    expect(jsQR(pixels.data, modules * MODULE_PX, modules * MODULE_PX)?.data).to.equal(url);
  });
});
