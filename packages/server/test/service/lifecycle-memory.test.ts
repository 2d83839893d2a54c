import { MemoryStore } from '../../src/index.js';
import { describeLifecycle } from '../support/lifecycle-suite.js';

describeLifecycle('MemoryStore', async () => ({ store: new MemoryStore() }));
