'use client';
/**
 * React 19: the login's second step as a component. React 19 passes props to custom elements as
 * properties and `on<event>` props as event listeners, so <totp-verify> needs no wrapper; the
 * type-only import below gives its props and events their types.
 */
import type {} from '@totpkit/elements/react';
import { useEffect } from 'react';

export interface TwoFactorChallengeProps {
  /** Where the server mounted createTotpHandler. */
  endpoint?: string;
  /** Where to go once the code is right. */
  next?: string;
}

export function TwoFactorChallenge({ endpoint = '/mfa', next = '/' }: TwoFactorChallengeProps) {
  // Custom elements exist only in the browser: define <totp-verify> after hydration. The
  // server-rendered tag upgrades in place once the module has loaded.
  useEffect(() => {
    void import('@totpkit/elements/totp-verify');
  }, []);

  return (
    <totp-verify
      endpoint={endpoint}
      lowRecoveryCodes={3}
      ontotp-verified={(event) => {
        // The server has already swapped the pending session for a complete one (afterVerify).
        window.location.assign(event.detail.recoveryCodesLow ? '/settings' : next);
      }}
      ontotp-error={(event) => console.warn(event.detail.code, event.detail.message)}
    />
  );
}
