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
 * @summary The second step of a sign-in: a TOTP code or a recovery code.
 * @tagname totp-verify
 *
 * @slot verified - Shown after a successful check. Default: "Verified."
 *
 * @event {CustomEvent<TotpVerifiedDetail>} totp-verified - The code was accepted: `{ method, recoveryCodesLeft, recoveryCodesLow }`.
 *
 * @csspart warning - The few-recovery-codes-left warning.
 */
export class TotpVerify extends TotpElement<VerifyState> {
  static override styles = [...TotpElement.styles, verifyStyles];
  static override properties: PropertyDeclarations = {
    _left: { state: true },
    digits: { type: Number },
    lowRecoveryCodes: { type: Number, attribute: 'low-recovery-codes' },
  };

  /** Digits of a TOTP code on this server (6 to 8). The challenge loads no status, so it is set here. */
  digits = 6;
  /** Warn when this many recovery codes or fewer are left after a verification. */
  lowRecoveryCodes = 3;

  private _left: number | null = null;
  protected override _current: VerifyState | 'error' | 'loading' | 'reauthenticate' = 'challenge';

  protected _load(): void {
    this._form.reset();
    this._setState('challenge');
  }

  protected async _submitCode(code: string): Promise<void> {
    const result = await this._call('verify', { code });
    if (!result) return;
    this._left = result.recoveryCodesLeft;
    this._setState('verified', true);
    this._announce(this._t.verified);
    this._emit('totp-verified', {
      method: result.method,
      recoveryCodesLeft: result.recoveryCodesLeft,
      recoveryCodesLow: this._isLow(),
    });
  }

  private _isLow(): boolean {
    return this._left !== null && this._left <= this.lowRecoveryCodes;
  }

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    const step = this._current;
    return [
      t.verifyTitle,
      step === 'challenge'
        ? this._renderForm(t.verify, { digits: this.digits })
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
