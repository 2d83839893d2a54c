import { html, nothing, type PropertyDeclarations } from 'lit';
import { TotpElement } from '../shared/base.js';
import type { TotpStrings } from '../shared/strings/index.js';
import { messageSlot } from '../shared/templates.js';
import { verifyStyles } from './totp-verify.styles.js';

/** The steps of `<totp-verify>`. It loads nothing, and every failure is shown on the challenge. */
export type VerifyState = 'challenge' | 'verified';

/**
 * The login challenge: a code from the authenticator app, or "Use a recovery code instead".
 * On success it fires `totp-verified`, on which the page continues the sign-in, and warns when
 * few recovery codes are left.
 *
 * With `purpose="reauthenticate"` it confirms a sensitive action of a signed-in user instead
 * ("Confirm it's you") and fires `totp-reauthenticated`.
 *
 * @summary The second step of a sign-in, or the confirmation of a sensitive action: a TOTP code or a recovery code.
 * @tagname totp-verify
 *
 * @slot verified - Shown after a successful check. Default: "Verified."
 *
 * @event {CustomEvent<TotpVerifiedDetail>} totp-verified - The code was accepted: `{ method, recoveryCodesLeft, recoveryCodesLow }`, and `trustedUntil` when the user asked to trust this browser.
 * @event {CustomEvent<TotpReauthenticatedDetail>} totp-reauthenticated - With `purpose="reauthenticate"`, the code was accepted: `{ method, recoveryCodesLeft }`.
 *
 * @csspart warning - The few-recovery-codes-left warning.
 * @csspart trust - The "Don't ask again on this browser" label.
 * @csspart trust-checkbox - Its checkbox.
 */
export class TotpVerify extends TotpElement<VerifyState> {
  static override styles = [...TotpElement.styles, verifyStyles];
  static override properties: PropertyDeclarations = {
    _left: { state: true },
    _trustDays: { state: true },
    digits: { type: Number },
    lowRecoveryCodes: { type: Number, attribute: 'low-recovery-codes' },
    trustBrowserDays: { type: Number, attribute: 'trust-browser-days' },
    purpose: {},
  };

  /** Digits of a TOTP code on this server (6 to 8). The challenge loads no status, so it is set here. */
  digits = 6;
  /** Warn when this many recovery codes or fewer are left after a verification. */
  lowRecoveryCodes = 3;
  /**
   * Offers "Don't ask again on this browser for N days" (at most the server's `maxDays`) when the
   * server trusts browsers; the element then loads the status to know. 0 (the default) offers nothing.
   */
  trustBrowserDays = 0;
  /** `login` (the default): the second step of a sign-in. `reauthenticate`: confirms a sensitive action of a signed-in user. */
  purpose: 'login' | 'reauthenticate' = 'login';

  private _left: number | null = null;
  /** The days the checkbox offers; 0 while the server has not said it trusts browsers. */
  private _trustDays = 0;
  private _trust = false;
  protected override _current: VerifyState | 'error' | 'loading' | 'reauthenticate' = 'challenge';

  private get _reauthenticating(): boolean {
    return this.purpose === 'reauthenticate';
  }

  protected _load(): void {
    this._form.reset();
    this._trust = false;
    this._setState('challenge');
    if (this.trustBrowserDays > 0 && !this._reauthenticating) this._loadTrust();
  }

  /** Asks the status whether the server trusts browsers; the challenge is usable meanwhile. */
  private async _loadTrust(): Promise<void> {
    const status = await this._call('status', undefined, true);
    const maxDays = status?.features?.trustedBrowsers?.maxDays ?? 0;
    this._trustDays = Math.min(Math.floor(this.trustBrowserDays), maxDays);
  }

  protected async _submitCode(code: string): Promise<void> {
    const reauthenticating = this._reauthenticating;
    const days = this._trust ? this._trustDays : 0;
    const result = await (reauthenticating
      ? this._call('reauthenticate', { code })
      : this._call('verify', days ? { code, trustBrowserDays: days } : { code }));
    if (!result) return;
    const { method, recoveryCodesLeft } = result;
    this._left = recoveryCodesLeft;
    this._setState('verified', true);
    this._announce(this._t.verified);
    if (reauthenticating) this._emit('totp-reauthenticated', { method, recoveryCodesLeft });
    else
      this._emit('totp-verified', {
        method,
        recoveryCodesLeft,
        recoveryCodesLow: this._isLow(),
        // Only for a page that offered trust and a user who took it, like the protocol's field.
        ...(days && { trustedUntil: (result as { trustedUntil?: string | null }).trustedUntil ?? null }),
      });
  }

  private _isLow(): boolean {
    return this._left !== null && this._left <= this.lowRecoveryCodes;
  }

  private _toggleTrust = (event: Event): void => {
    this._trust = (event.target as HTMLInputElement).checked;
  };

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    const step = this._current;
    const reauthenticating = this._reauthenticating;
    const days = this._trustDays;
    return [
      reauthenticating ? t.reauthenticateTitle : t.verifyTitle,
      step === 'challenge'
        ? this._renderForm(reauthenticating ? t.confirm : t.verify, {
            digits: this.digits,
            extra:
              days > 0 && !reauthenticating
                ? html`<label part="trust" class="check">
                    <input part="trust-checkbox" type="checkbox" .checked=${this._trust} @change=${this._toggleTrust} />
                    ${t.trustBrowser(days)}
                  </label>`
                : nothing,
          })
        : step === 'verified'
          ? html`${messageSlot('verified', t.verified)}
              ${this._isLow() ? html`<p part="warning" class="warning" role="alert">${t.codesLow(this._left ?? 0)}</p>` : nothing}`
          : undefined,
    ];
  }
}

if (!customElements.get('totp-verify')) customElements.define('totp-verify', TotpVerify);

declare global {
  interface HTMLElementTagNameMap {
    'totp-verify': TotpVerify;
  }
}
