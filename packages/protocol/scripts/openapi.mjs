#!/usr/bin/env node
/**
 * Writes openapi.json from the built schemas (run `build` first; the `openapi` script does both).
 * The test in test/openapi.test.ts fails when the committed file differs from this output.
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../dist/openapi/document.js';

const target = new URL('../openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
