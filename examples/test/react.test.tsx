/**
 * Server rendering in Node, without a DOM: every module of @totpkit/elements imports without
 * throwing (lit brings its own small DOM shim for Node), the components of
 * @totpkit/elements/react render their tags, and they write no configuration into the markup: it
 * is set as properties after hydration (react-ssr.test.tsx follows that into Chromium).
 */
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TwoFactorChallenge, TwoFactorSettings } from '../elements/react.js';

const TAGS = ['totp-activate', 'totp-deactivate', 'totp-verify', 'totp-recovery-codes'];

describe('@totpkit/elements in Node', () => {
  it.each([
    ['@totpkit/elements', ['TotpActivate', 'TotpDeactivate', 'TotpVerify', 'TotpRecoveryCodes', 'callEndpoint']],
    ['@totpkit/elements/totp-activate', ['TotpActivate']],
    ['@totpkit/elements/totp-deactivate', ['TotpDeactivate']],
    ['@totpkit/elements/totp-verify', ['TotpVerify']],
    ['@totpkit/elements/totp-recovery-codes', ['TotpRecoveryCodes']],
    ['@totpkit/elements/react', ['TotpActivate', 'TotpDeactivate', 'TotpVerify', 'TotpRecoveryCodes']],
  ])('imports %s and its exports', async (name, exports) => {
    const module = await import(name);
    for (const key of exports) expect(module[key], key).toBeTruthy();
  });

  it('defines the four elements, as in the browser', async () => {
    await import('@totpkit/elements');
    for (const tag of TAGS) expect(customElements.get(tag), tag).toBeTypeOf('function');
  });

  it('renders each component as its tag, with children and attributes but no configuration', async () => {
    const { TotpActivate, TotpDeactivate, TotpRecoveryCodes, TotpVerify } = await import('@totpkit/elements/react');
    const config = { endpoint: '/mfa', headers: { Authorization: 'Bearer abc' }, csrfToken: 't', csrfHeader: 'X' };
    expect(
      renderToString(
        <TotpActivate {...config} appLink="show" className="enrollment" onTotpActivated={() => {}}>
          <p slot="active">On.</p>
        </TotpActivate>,
      ),
    ).toBe('<totp-activate class="enrollment"><p slot="active">On.</p></totp-activate>');
    expect(renderToString(<TotpDeactivate {...config} />)).toBe('<totp-deactivate></totp-deactivate>');
    expect(renderToString(<TotpVerify {...config} lowRecoveryCodes={2} />)).toBe('<totp-verify></totp-verify>');
    expect(renderToString(<TotpRecoveryCodes {...config} issuer="ACME" />)).toBe(
      '<totp-recovery-codes></totp-recovery-codes>',
    );
  });
});

describe('elements/react.tsx', () => {
  it('renders the settings section and the challenge without configuration in the HTML', () => {
    expect(renderToString(<TwoFactorSettings csrfToken="t" />)).toBe(
      '<section><totp-activate></totp-activate></section>',
    );
    expect(renderToString(<TwoFactorChallenge endpoint="/api/mfa" />)).toBe('<totp-verify></totp-verify>');
  });
});
