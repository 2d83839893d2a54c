import { css } from '../shared/css.js';

/** The overview: the count stands out, since it is what the user came to check. */
export const recoveryCodesOverviewStyles = css`
  .count {
    font-size: 1.125rem;
    font-weight: 600;
  }
`;
