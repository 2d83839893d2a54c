/**
 * elements/react.tsx: `tsc` checks its props and events against @totpkit/elements/react (misuse
 * does not compile, see the end of this file), and React 19's server renderer turns it into the
 * custom element's tag, not a component.
 */
import type {} from '@totpkit/elements/react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TwoFactorChallenge } from '../elements/react.js';

describe('elements/react.tsx', () => {
  it('renders <totp-verify> with its endpoint, and no listener in the HTML', () => {
    const html = renderToString(<TwoFactorChallenge endpoint="/api/mfa" />);
    // On the server React writes props with primitive values as attributes and leaves out the
    // listeners; on hydration it sets them as properties and adds the listeners.
    expect(html).toBe('<totp-verify endpoint="/api/mfa" lowRecoveryCodes="3"></totp-verify>');
  });

  it('uses /mfa when no endpoint is given', () => {
    expect(renderToString(<TwoFactorChallenge />)).toContain('<totp-verify endpoint="/mfa"');
  });
});

/** Never rendered: only compiled, so that wrong props fail the type check. */
export function Misuse() {
  return (
    <>
      {/* @ts-expect-error endpoint is a string */}
      <totp-verify endpoint={42} />
      {/* @ts-expect-error lowRecoveryCodes is a number */}
      <totp-verify lowRecoveryCodes="3" />
      {/* @ts-expect-error the event's detail has no code: codes never leave the element */}
      <totp-verify ontotp-verified={(event) => event.detail.code} />
    </>
  );
}
