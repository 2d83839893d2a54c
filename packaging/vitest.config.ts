import { defineConfig } from 'vitest/config';

// The packages as published: packed, installed with npm in a temp folder, used from there.
export default defineConfig({
  test: {
    name: 'packaging',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
