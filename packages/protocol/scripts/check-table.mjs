#!/usr/bin/env node
/**
 * Writes src/check/responses.gen.ts from the built schemas (run `build` first; the `check-table`
 * script does both). The test in test/check-table.test.ts fails when the committed file differs.
 */
import { writeFileSync } from 'node:fs';
import { responsesModule } from '../dist/check/generate.js';

const target = new URL('../src/check/responses.gen.ts', import.meta.url);
writeFileSync(target, responsesModule());
console.log(`wrote ${target.pathname}`);
