// Element tests run in Debian's Chromium through @web/test-runner; no test tool downloads a
// browser. TypeScript (with lit's decorators) is compiled by esbuild on the fly.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { countReporter } from '../../scripts/wtr-count-reporter.mjs';
import { realBackendMiddleware } from './test/server/real-backend.mjs';

export default {
  files: ['test/**/*.test.ts'],
  // The page and the real protocol handler (test/real-backend.test.ts) share one origin on 127.0.0.1.
  hostname: '127.0.0.1',
  middleware: [realBackendMiddleware()],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname })],
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } })],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
};
