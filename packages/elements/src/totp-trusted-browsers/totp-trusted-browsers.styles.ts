import { css } from '../shared/css.js';

/**
 * The list of browsers: one row each, the label and the "This browser" marker on the first line,
 * the dates under them, the Revoke button at the end (below on a narrow screen, since the row wraps).
 */
export const trustedBrowsersStyles = css`
  .browsers {
    display: grid;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .browser {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: calc(var(--totp-spacing, 1rem) / 2);
    padding-block: calc(var(--totp-spacing, 1rem) / 2);
    border-block-end: 1px solid var(--_totp-border);
  }
  .browser:first-child {
    border-block-start: 1px solid var(--_totp-border);
  }
  .browser-text {
    display: grid;
    flex: 1 1 12rem;
  }
  .browser-label {
    font-weight: 600;
  }
  /* A pill with a border, so that it stays a pill where forced colors drop the background. */
  .current {
    margin-inline-start: 0.5em;
    padding: 0 0.5em;
    border: 1px solid var(--_totp-accent);
    border-radius: 999px;
    color: var(--_totp-accent);
    font-size: 0.875rem;
    font-weight: 600;
    white-space: nowrap;
  }
  /* Revoking everything is destructive, so its confirm button takes the error colour. */
  .danger {
    border-color: var(--_totp-error);
    background: var(--_totp-error);
    color: var(--_totp-on-accent);
    font-weight: 600;
  }
`;
