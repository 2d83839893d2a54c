'use client';
/**
 * React 19 and Next.js (app router): the settings page's two-factor section and the login's second
 * step, as client components. examples/next/app/ renders them from server components, and
 * examples/test/react-ssr.test.tsx renders them on the server and hydrates them in Chromium.
 *
 * The components of @totpkit/elements/react set every property and listener themselves, after
 * hydration as on a new element: React 19 sets none on a raw custom element it hydrates. Importing
 * them defines the elements; the import is safe during server rendering, and so the elements are
 * defined before React hydrates the page.
 */
import { TotpActivate, TotpVerify } from '@totpkit/elements/react';
import { useState } from 'react';

export interface TwoFactorSettingsProps {
  /** Where the server mounted createTotpHandler. */
  endpoint?: string;
  /** The page's CSRF token, sent in X-CSRF-Token with every call. */
  csrfToken: string;
  /** Extra headers, such as `Authorization` for a backend that takes bearer tokens. */
  headers?: Record<string, string>;
}

export function TwoFactorSettings({ endpoint = '/mfa', csrfToken, headers }: TwoFactorSettingsProps) {
  const [codeCount, setCodeCount] = useState<number | null>(null);
  return (
    <section>
      <TotpActivate
        endpoint={endpoint}
        headers={headers}
        csrfHeader="X-CSRF-Token"
        csrfToken={csrfToken}
        onTotpActivated={(event) => setCodeCount(event.detail.recoveryCodeCount)}
        onTotpError={(event) => console.warn(event.detail.code, event.detail.message)}
      />
      {codeCount !== null && <p role="status">Two-factor authentication is on, with {codeCount} recovery codes.</p>}
    </section>
  );
}

export interface TwoFactorChallengeProps {
  /** Where the server mounted createTotpHandler. */
  endpoint?: string;
  /** Where to go once the code is right. */
  next?: string;
}

export function TwoFactorChallenge({ endpoint = '/mfa', next = '/' }: TwoFactorChallengeProps) {
  return (
    <TotpVerify
      endpoint={endpoint}
      lowRecoveryCodes={3}
      onTotpVerified={(event) => {
        // The server has already swapped the pending session for a complete one (afterVerify).
        window.location.assign(event.detail.recoveryCodesLow ? '/settings' : next);
      }}
      onTotpError={(event) => console.warn(event.detail.code, event.detail.message)}
    />
  );
}
