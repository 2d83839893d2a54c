import { css } from '../shared/css.js';

/** The login challenge: a little more room for the input, which is the whole point of the step. */
export const verifyStyles = css`
  .form .input {
    max-width: 14rem;
  }
`;
