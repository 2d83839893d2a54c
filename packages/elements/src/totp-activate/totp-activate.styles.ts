import { css } from 'lit';

/** The setup step: the QR code on its fixed white ground, the key, the app link. */
export const activateStyles = css`
  /* The QR code keeps a white quiet zone in every theme: scanners need light around dark. */
  .qr-frame {
    justify-self: start;
    padding: 12px;
    border-radius: var(--_totp-radius);
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
  .manual > summary:focus-visible {
    outline: 3px solid var(--_totp-focus);
    outline-offset: 2px;
  }
  .manual[open] {
    display: grid;
    gap: calc(var(--_totp-space) / 2);
    justify-items: start;
  }
  .key,
  .key dd {
    margin: 0;
  }
  .secret {
    font: 1.125rem / 1.5 var(--_totp-mono);
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
