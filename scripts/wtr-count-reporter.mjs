// A @web/test-runner reporter that writes how many tests passed and failed to the JSON file
// named by TOTPKIT_COUNTS_FILE, so scripts/test-all.mjs can add them to the vitest counts.
import { writeFileSync } from 'node:fs';

function countSuite(suite, counts) {
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites) countSuite(child, counts);
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) countSuite(session.testResults, counts);
        // A file that failed to load or threw outside a test counts as one failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.failed++;
      }
      const file = process.env.TOTPKIT_COUNTS_FILE;
      if (file) writeFileSync(file, JSON.stringify(counts));
    },
  };
}
