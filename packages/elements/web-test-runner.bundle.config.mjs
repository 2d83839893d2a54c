// The whole element suite against the no-build bundle, dist-style: minified, with its css/html
// templates minified and its `_members` renamed (scripts/bundle.mjs), the QR encoder and the other
// languages loaded on demand.
//   npx wtr --config web-test-runner.bundle.config.mjs
// The bundle is built into .bundle-test/ when the runner starts (web-test-runner.config.mjs). Every request for an element
// module (`src/index.ts`, `src/totp-*/totp-*.ts`) is answered with the bundle, so the tests drive
// the elements exactly as a page with `<script type="module" src="totpkit-elements.js">` would;
// the internal modules some tests also import (the client, the texts) still come from src/.
import config, { BUNDLE_DIR } from './web-test-runner.config.mjs';

const ELEMENT_MODULE = /^\/src\/(index|totp-[a-z-]+\/totp-[a-z-]+)\.(ts|js)$/;

/** The elements that are files of their own beside the bundle (STANDALONE_ELEMENTS of scripts/bundle.mjs). */
const STANDALONE = /^\/src\/(totp-trusted-browsers)\/totp-trusted-browsers\.(ts|js)$/;

function servedFromBundle() {
  const bundle = `export * from '/${BUNDLE_DIR}/totpkit-elements.js';`;
  const standalone = `export * from '/${BUNDLE_DIR}/totp-trusted-browsers.js';`;
  return {
    name: 'totpkit-elements-from-bundle',
    serve(context) {
      // A page that shows it loads its file after the bundle's, as src/index.ts defines all five.
      if (STANDALONE.test(context.path)) return { body: `${bundle}\n${standalone}`, type: 'js' };
      if (context.path.startsWith('/src/index.')) return { body: `${bundle}\n${standalone}`, type: 'js' };
      if (ELEMENT_MODULE.test(context.path)) return { body: bundle, type: 'js' };
      return undefined;
    },
  };
}

export default {
  ...config,
  // The bundle holds every step in its one file, so there is no step module that could fail to load
  // apart from it: that test is about the sources' lazy step (src/shared/steps.ts) only.
  files: [...[config.files].flat(), '!test/shared/step-codes-unavailable.test.ts'],
  plugins: [servedFromBundle(), ...config.plugins],
};
