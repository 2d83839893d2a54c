import { css } from '../shared/css.js';

/** Turning off a second factor is destructive, so its submit button takes the error colour. */
export const deactivateStyles = css`
  .form .primary {
    border-color: var(--_totp-error);
    background: var(--_totp-error);
    color: var(--_totp-on-accent);
  }
`;
