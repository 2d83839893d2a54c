import { css } from '../shared/css.js';

/** The login challenge: a little more room for the input, which is the whole point of the step. */
export const verifyStyles = css`
  .form .input {
    max-width: 14rem;
  }
  .trust {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .trust input {
    width: 1.125rem;
    height: 1.125rem;
    margin: 0;
    flex: none;
    accent-color: var(--_totp-accent);
  }
`;
