/** @totpkit/elements: the browser half of totpkit. */
export { groupKey } from './shared/format.js';
