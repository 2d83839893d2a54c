import { defineConfig } from 'vitest/config';

// One vitest run covers every Node-side project; the elements run in Chromium under wtr.
export default defineConfig({
  test: {
    projects: ['packages/protocol', 'packages/server', 'demo', 'bench', 'examples', 'runtimes', 'packaging'],
  },
});
