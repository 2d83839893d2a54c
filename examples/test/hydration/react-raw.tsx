/**
 * The raw <totp-activate> tag in a server-rendered React component, done the only way that
 * survives hydration: every setting as text (attributes, `headers` as JSON), because React 19 sets
 * no properties on a custom element it hydrates, and the listener added in an effect, because it
 * adds no `ontotp-*` listeners then either (facebook/react#35446). The docs recommend the
 * components of @totpkit/elements/react instead; react-ssr.test.tsx runs both.
 */
import '@totpkit/elements/totp-activate';
import type { TotpActivate } from '@totpkit/elements';
import { useEffect, useRef, useState } from 'react';
import type { TwoFactorSettingsProps } from '../../elements/react.js';

/** Calls of the `ontotp-activated` prop, which React does not attach during hydration. */
export const propCalls: string[] = [];

export function RawTwoFactorSettings({ endpoint = '/mfa', csrfToken, headers = {} }: TwoFactorSettingsProps) {
  const element = useRef<TotpActivate>(null);
  const [codeCount, setCodeCount] = useState<number | null>(null);
  useEffect(() => {
    const activated = (event: HTMLElementEventMap['totp-activated']) => setCodeCount(event.detail.recoveryCodeCount);
    const current = element.current;
    current?.addEventListener('totp-activated', activated);
    return () => current?.removeEventListener('totp-activated', activated);
  }, []);
  return (
    <section>
      <totp-activate
        ref={element}
        endpoint={endpoint}
        csrf-header="X-CSRF-Token"
        csrf-token={csrfToken}
        headers={JSON.stringify(headers)}
        ontotp-activated={() => void propCalls.push('totp-activated')}
      />
      {codeCount !== null && <p role="status">Two-factor authentication is on, with {codeCount} recovery codes.</p>}
    </section>
  );
}
