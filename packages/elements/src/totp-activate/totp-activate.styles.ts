import { css } from '../shared/css.js';

/** The setup step: the QR code on its fixed white ground, the key, the app link. */
export const activateStyles = css`
  /* The QR code keeps a white quiet zone in every theme: scanners need light around dark. */
  .qr-frame {
    justify-self: start;
    padding: 12px;
    border-radius: var(--totp-radius, 8px);
    background: #fff;
    line-height: 0;
  }
  .qr {
    display: block;
    width: var(--totp-qr-size, 200px);
    height: var(--totp-qr-size, 200px);
    image-rendering: pixelated;
  }
  .manual > summary {
    width: fit-content;
    color: var(--_totp-accent);
    cursor: pointer;
  }
  .manual[open] {
    display: grid;
    gap: calc(var(--totp-spacing, 1rem) / 2);
    justify-items: start;
  }
  .key,
  .key dd {
    margin: 0;
  }
  .secret {
    font: 1.125rem / 1.5 var(--totp-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    letter-spacing: 0.05em;
    word-spacing: 0.3em;
    overflow-wrap: anywhere;
    user-select: all;
  }
  .app-link {
    justify-self: start;
    text-decoration: none;
  }
`;
