// Element tests run in Debian's Chromium through @web/test-runner; no test tool downloads a
// browser. TypeScript (with lit's decorators) is compiled by esbuild on the fly.

import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { countReporter } from '../../scripts/wtr-count-reporter.mjs';
import { buildBundle } from './scripts/bundle.mjs';
import { fakeAllauthMiddleware } from './test/server/fake-allauth.mjs';
import { realBackendMiddleware } from './test/server/real-backend.mjs';

/** Where the runner builds the no-build bundle for test/bundle.test.ts and the bundle config. */
export const BUNDLE_DIR = '.bundle-test';

/** Builds the no-build bundle (scripts/bundle.mjs) into BUNDLE_DIR when the runner starts. */
function buildBundleForTests() {
  return {
    name: 'totpkit-build-bundle',
    async serverStart() {
      await buildBundle(fileURLToPath(new URL(BUNDLE_DIR, import.meta.url)));
    },
  };
}

/**
 * Fails the requests for a module whose path contains the value of the `totpkit-unavailable`
 * cookie, so test/shared/step-codes-unavailable.test.ts can see an element meet a chunk that cannot be
 * loaded.
 */
function unavailableModules() {
  return async (context, next) => {
    const name = context.cookies.get('totpkit-unavailable');
    if (name && context.path.includes(name)) {
      context.status = 503;
      return;
    }
    return next();
  };
}

/**
 * `executeServerCommand('disable-cache')`: the page fetches every module again rather than take an
 * earlier page's copy from the browser cache, which the middleware above could not fail.
 */
function disableCacheCommand() {
  return {
    name: 'totpkit-disable-cache',
    async executeCommand({ command, session }) {
      if (command !== 'disable-cache') return undefined;
      await session.browser.getPage(session.id).setCacheEnabled(false);
      return true;
    },
  };
}

/**
 * `executeServerCommand('emulate-features', [{ name: 'forced-colors', value: 'active' }, …])`:
 * media features through the DevTools protocol, for those that `emulateMedia` of
 * @web/test-runner-commands does not pass on to Chromium (forced colors). One session per page
 * keeps the emulation; an empty list ends it.
 */
function emulateFeaturesCommand() {
  const sessions = new WeakMap();
  return {
    name: 'totpkit-emulate-features',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-features') return undefined;
      const page = session.browser.getPage(session.id);
      if (!sessions.has(page)) sessions.set(page, await page.createCDPSession());
      await sessions.get(page).send('Emulation.setEmulatedMedia', { features: payload });
      return true;
    },
  };
}

export default {
  files: ['test/**/*.test.ts'],
  // The page and the real protocol handler (test/real-backend.test.ts) share one origin on 127.0.0.1.
  hostname: '127.0.0.1',
  // …and so does the fake django-allauth headless server (test/allauth-headless.test.ts).
  middleware: [unavailableModules(), realBackendMiddleware(), fakeAllauthMiddleware()],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    buildBundleForTests(),
    disableCacheCommand(),
    emulateFeaturesCommand(),
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }),
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } })],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
};
