/**
 * Type-checked (by `tsc -p tsconfig.json`), not run: React 19 code that uses the elements must
 * compile with the typings of src/react.ts, and misuse must not.
 */
import { TotpActivate, TotpDeactivate, TotpRecoveryCodes, TotpTrustedBrowsers, TotpVerify } from '../../src/react.js';
import type { TotpVerifiedDetail } from '../../src/shared/events.js';

export function Enrollment({ token }: { token: string }) {
  return (
    <totp-activate
      endpoint="/mfa"
      lang="de"
      csrfHeader="X-CSRFToken"
      csrfToken={token}
      headers={{ Authorization: `Bearer ${token}` }}
      fetch={(input, init) => fetch(input, init)}
      strings={{ activate: 'Turn on', codeHint: (digits) => `${digits} digits` }}
      appLink="show"
      lightDomInput
      className="enrollment"
      ontotp-activated={(event) => console.log(event.detail.recoveryCodeCount)}
      ontotp-error={(event) => console.warn(event.detail.code, event.detail.message)}
    >
      <p slot="active">Two-factor authentication is on.</p>
    </totp-activate>
  );
}

export function Challenge({ onVerified }: { onVerified: (detail: TotpVerifiedDetail) => void }) {
  return (
    <totp-verify
      endpoint="/mfa"
      digits={6}
      lowRecoveryCodes={2}
      ontotp-verified={(event) => onVerified(event.detail)}
      ontotp-reauthentication-required={(event) => console.log(event.detail.action)}
    >
      <input slot="input" name="otp" />
    </totp-verify>
  );
}

export function Settings() {
  return (
    <>
      <totp-recovery-codes endpoint="/mfa" issuer="Example" ontotp-state-change={(event) => event.detail.state} />
      <totp-deactivate endpoint="/mfa" ontotp-deactivated={(event) => event.detail.method} />
      <totp-trusted-browsers
        endpoint="/mfa"
        ontotp-browser-revoked={(event) => (event.detail.all ? event.detail.revoked : event.detail.id)}
      />
    </>
  );
}

export function Misuse() {
  return (
    <>
      {/* @ts-expect-error: appLink is 'auto', 'show' or 'hide' */}
      <totp-activate appLink="always" />
      {/* @ts-expect-error: digits is a number */}
      <totp-verify digits="six" />
      {/* @ts-expect-error: an event detail carries no code */}
      <totp-verify ontotp-verified={(event) => event.detail.code} />
      {/* @ts-expect-error: issuer belongs to <totp-recovery-codes> only */}
      <totp-deactivate issuer="Example" />
    </>
  );
}

/** The components of @totpkit/elements/react: configuration and `on…` event props, typed. */
export function Components({ token }: { token: string }) {
  return (
    <>
      <TotpActivate
        endpoint="/mfa"
        headers={{ Authorization: `Bearer ${token}` }}
        csrfHeader="X-CSRF-Token"
        csrfToken={token}
        appLink="hide"
        className="enrollment"
        onTotpActivated={(event) => console.log(event.detail.recoveryCodeCount)}
        onTotpStateChange={(event) => console.log(event.detail.state)}
        onTotpReauthenticationRequired={(event) => console.log(event.detail.action)}
        onTotpError={(event) => console.warn(event.detail.code)}
      >
        <p slot="active">Two-factor authentication is on.</p>
      </TotpActivate>
      <TotpVerify endpoint="/mfa" lowRecoveryCodes={2} onTotpVerified={(event) => event.detail.recoveryCodesLow} />
      <TotpDeactivate endpoint="/mfa" onTotpDeactivated={(event) => event.detail.method} />
      <TotpRecoveryCodes endpoint="/mfa" issuer="Example" ref={(element) => element?.reload} />
      <TotpVerify endpoint="/mfa" purpose="reauthenticate" onTotpReauthenticated={(event) => event.detail.method} />
      <TotpTrustedBrowsers
        endpoint="/mfa"
        headingLevel={3}
        onTotpBrowserRevoked={(event) => event.detail.revoked}
        ref={(element) => element?.reload}
      />
    </>
  );
}

export function ComponentMisuse() {
  return (
    <>
      {/* @ts-expect-error: header values are strings */}
      <TotpActivate endpoint="/mfa" headers={{ 'X-Count': 1 }} />
      {/* @ts-expect-error: <totp-activate> fires no totp-verified */}
      <TotpActivate endpoint="/mfa" onTotpVerified={() => {}} />
      {/* @ts-expect-error: an event detail carries no code */}
      <TotpVerify endpoint="/mfa" onTotpVerified={(event) => event.detail.code} />
      {/* @ts-expect-error: <totp-trusted-browsers> fires no totp-verified */}
      <TotpTrustedBrowsers endpoint="/mfa" onTotpVerified={() => {}} />
      {/* @ts-expect-error: revoking one carries its id, which is a string */}
      <TotpTrustedBrowsers endpoint="/mfa" onTotpBrowserRevoked={(event) => event.detail.id?.toFixed()} />
      {/* @ts-expect-error: lit's own members are not props */}
      <TotpVerify endpoint="/mfa" renderRoot={document.body} />
    </>
  );
}
