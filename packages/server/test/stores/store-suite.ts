/**
 * The store contract (src/testing/store.ts, published as `@totpkit/server/testing`) bound to
 * vitest, so each store's test file registers it with one call.
 */
import * as vitest from 'vitest';
import type { TotpStore } from '../../src/stores/types.js';
import { describeStoreContract as describeWith } from '../../src/testing/store.js';

export { authenticatorRecord, hash, hashes, trustedBrowserRecord } from '../../src/testing/store.js';

export function describeStoreContract(name: string, makeStore: () => TotpStore | Promise<TotpStore>): void {
  describeWith(vitest, name, makeStore);
}
