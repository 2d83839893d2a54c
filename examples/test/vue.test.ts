/**
 * elements/vue.ts under Vue's server renderer: with the `totpkitElements` plugin, <totp-verify>
 * is rendered as the custom element, with its attributes, and Vue warns about nothing; without
 * it, Vue takes the tag for a component it cannot find. The server renderer compiles the
 * template with the app's `compilerOptions`, as the browser build does.
 */

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { TwoFactorChallenge, totpkitElements } from '../elements/vue.js';

let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

function render(withPlugin: boolean, props: Record<string, string> = {}): Promise<string> {
  const app = createSSRApp(TwoFactorChallenge, props);
  app.config.warnHandler = (message) => void warnings.push(message);
  if (withPlugin) app.use(totpkitElements);
  return renderToString(app);
}

describe('elements/vue.ts', () => {
  it('renders <totp-verify> as a custom element held back by defer-hydration, without a warning', async () => {
    const html = await render(true, { endpoint: '/api/mfa' });
    expect(html).toBe('<totp-verify defer-hydration endpoint="/api/mfa" low-recovery-codes="3"></totp-verify>');
    expect(warnings).toEqual([]);
  });

  it('renders nothing without the plugin: Vue takes the tag for a missing component', async () => {
    expect(await render(false)).toBe('<!---->'); // nothing rendered
    expect(warnings.join('\n')).toContain('Failed to resolve component: totp-verify');
  });
});
