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

function servedFromBundle() {
  return {
    name: 'totpkit-elements-from-bundle',
    serve(context) {
      if (ELEMENT_MODULE.test(context.path)) {
        return { body: `export * from '/${BUNDLE_DIR}/totpkit-elements.js';`, type: 'js' };
      }
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
