/**
 * Styles every element shares: the `--totp-*` custom properties with their light and dark
 * defaults, the frame, buttons and messages. The page themes through the public properties;
 * the colours have private `--_totp-*` copies so that a property set anywhere above (inherited)
 * still beats the defaults, and so that dark defaults apply only where the page set nothing.
 * Radius, spacing and fonts have one default in both schemes, so they are used directly, with
 * their default as the `var()` fallback.
 */
import { css } from './css.js';

export const tokens = css`
  :host {
    --_totp-fg: var(--totp-color-text, #1f2328);
    --_totp-bg: var(--totp-color-background, #fff);
    --_totp-muted: var(--totp-color-muted, #59636e);
    --_totp-border: var(--totp-color-border, #c8d1da);
    --_totp-accent: var(--totp-color-accent, #0a58ca);
    --_totp-on-accent: var(--totp-color-on-accent, #fff);
    --_totp-error: var(--totp-color-error, #b42318);
    --_totp-warning: var(--totp-color-warning, #8a5300);
    --_totp-field: var(--totp-color-field, #fff);
    --_totp-field-border: var(--totp-color-field-border, #818b98);
    display: block;
    color: var(--_totp-fg);
    font: 1rem / 1.5 var(--totp-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_totp-fg: var(--totp-color-text, #e6edf3);
      --_totp-bg: var(--totp-color-background, #161b22);
      --_totp-muted: var(--totp-color-muted, #9198a1);
      --_totp-border: var(--totp-color-border, #3d444d);
      --_totp-accent: var(--totp-color-accent, #4493f8);
      --_totp-on-accent: var(--totp-color-on-accent, #0d1117);
      --_totp-error: var(--totp-color-error, #ff7b72);
      --_totp-warning: var(--totp-color-warning, #e3b341);
      --_totp-field: var(--totp-color-field, #0d1117);
      --_totp-field-border: var(--totp-color-field-border, #768390);
    }
  }
  :host([hidden]) {
    display: none;
  }
`;

/** The code form; also used, inside `@scope`, when the form is rendered in light DOM. */
export const formStyles = css`
  .form {
    display: grid;
    gap: calc(var(--totp-spacing, 1rem) / 2);
    margin: 0;
  }
  .label {
    font-weight: 600;
  }
  /* A checkbox beside its label: "I have saved these codes", "Don't ask again on this browser". */
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .check input {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    flex: none;
    accent-color: var(--_totp-accent);
  }
  .hint {
    color: var(--_totp-muted);
    margin: 0;
  }
  .input {
    box-sizing: border-box;
    width: 100%;
    max-width: 16rem;
    padding: 0.5rem 0.75rem;
    /* The border is all that marks the field, so it keeps 3:1 contrast (WCAG 1.4.11). */
    border: 1px solid var(--_totp-field-border);
    border-radius: var(--totp-radius, 8px);
    background: var(--_totp-field);
    color: inherit;
    font: 1.375rem / 1.3 var(--totp-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    letter-spacing: 0.15em;
  }
  .input[aria-invalid='true'] {
    border-color: var(--_totp-error);
  }
  .error {
    color: var(--_totp-error);
    margin: 0;
  }
  .error:empty {
    display: none;
  }
  /* A message in a row of buttons (a failed copy) gets a line of its own, after the buttons. */
  .actions > .error {
    flex-basis: 100%;
    order: 1;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--totp-spacing, 1rem) / 2);
  }
  .button,
  .link {
    font: inherit;
    cursor: pointer;
  }
  .button {
    padding: 0.5rem 1rem;
    border: 1px solid var(--_totp-border);
    border-radius: var(--totp-radius, 8px);
    background: transparent;
    color: inherit;
    text-decoration: none;
  }
  .primary {
    border-color: var(--_totp-accent);
    background: var(--_totp-accent);
    color: var(--_totp-on-accent);
    font-weight: 600;
  }
  .link {
    padding: 0.25rem 0;
    border: 0;
    background: none;
    color: var(--_totp-accent);
    text-decoration: underline;
  }
  .button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  /* One focus ring for every control: inputs, buttons, links, the checkbox, the disclosure. */
  :focus-visible {
    outline: 3px solid var(--totp-color-focus, var(--_totp-accent));
    outline-offset: 2px;
  }
`;

/** The frame around every state. */
export const frameStyles = css`
  .base,
  .content {
    display: grid;
    gap: var(--totp-spacing, 1rem);
  }
  /* Long words (German compounds, an e-mail address) wrap rather than widen a narrow screen. */
  .base {
    overflow-wrap: anywhere;
    hyphens: auto;
    padding: var(--totp-spacing, 1rem);
    border: 1px solid var(--_totp-border);
    border-radius: var(--totp-radius, 8px);
    background: var(--_totp-bg);
  }
  .heading {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 650;
    line-height: 1.3;
  }
  .heading:focus {
    outline: none;
  }
  p {
    margin: 0;
  }
  .warning {
    color: var(--_totp-warning);
    font-weight: 600;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
