/**
 * Debian's Chromium driven by playwright-core, with the launch flags from DESIGN.md. No test tool
 * downloads a browser; `npm test` installs Chromium when it is missing.
 */
import { type Browser, chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.mjs';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath as string,
    // playwright-core adds its own headless flag.
    args: (chromiumArgs as string[]).filter((flag) => !flag.startsWith('--headless')),
  });
}
