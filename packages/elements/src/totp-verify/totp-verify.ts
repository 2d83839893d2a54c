import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TotpElement } from '../shared/base.js';
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

  @state() private left: number | null = null;
  protected override current: VerifyState | 'error' | 'loading' | 'reauthenticate' = 'challenge';

  /** Digits of a TOTP code on this server (6 to 8). The challenge loads no status, so it is set here. */
  @property({ type: Number }) digits = 6;
  /** Warn when this many recovery codes or fewer are left after a verification. */
  @property({ type: Number, attribute: 'low-recovery-codes' }) lowRecoveryCodes = 3;

  protected load(): void {
    this.form.reset();
    this.setState('challenge');
  }

  protected async submitCode(code: string): Promise<void> {
    const result = await this.call('verify', { code });
    if (!result) return;
    this.left = result.recoveryCodesLeft;
    this.setState('verified', true);
    this.announce(this.t.verified);
    this.emit('totp-verified', {
      method: result.method,
      recoveryCodesLeft: result.recoveryCodesLeft,
      recoveryCodesLow: this.isLow(),
    });
  }

  private isLow(): boolean {
    return this.left !== null && this.left <= this.lowRecoveryCodes;
  }

  override render(): TemplateResult {
    const t = this.t;
    if (this.current === 'challenge') {
      return this.renderFrame(t.verifyTitle, this.renderForm(t.verify, { digits: this.digits }));
    }
    if (this.current === 'verified') {
      return this.renderFrame(
        t.verifyTitle,
        html`<slot name="verified"><p part="message">${t.verified}</p></slot>
          ${this.isLow() ? html`<p part="warning" class="warning" role="alert">${t.codesLow(this.left ?? 0)}</p>` : nothing}`,
      );
    }
    return this.renderFrame(t.verifyTitle, this.renderCommon());
  }
}

if (!customElements.get('totp-verify')) customElements.define('totp-verify', TotpVerify);

declare global {
  interface HTMLElementTagNameMap {
    'totp-verify': TotpVerify;
  }
}
