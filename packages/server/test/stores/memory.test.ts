/** `MemoryStore`, the reference behaviour, against the store contract. */
import { MemoryStore } from '../../src/stores/memory.js';
import { describeStoreContract } from './store-suite.js';

describeStoreContract('MemoryStore', () => new MemoryStore());
