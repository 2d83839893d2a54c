import type { EndpointName } from '@totpkit/protocol';
import { html, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import type { CodeKind } from '../shared/code-form.js';
import { deactivateStyles } from './totp-deactivate.styles.js';

/** The steps of `<totp-deactivate>`, besides loading, error and reauthenticate. */
export type DeactivateState = 'inactive' | 'confirm' | 'deactivated' | 'forbidden';

/**
 * Turns off TOTP two-factor authentication after the user confirms with a current code from
 * their app, or with a recovery code when the app is gone.
 *
 * @summary Turns off TOTP, confirmed with a current code or a recovery code.
 * @tagname totp-deactivate
 *
 * @slot inactive - Shown when TOTP is not on. Default: a sentence saying so.
 * @slot deactivated - Shown after TOTP was turned off. Default: a sentence saying so.
 * @slot forbidden - Shown when the host's policy requires two-factor authentication for this account. Default: a sentence saying so.
 *
 * @event {CustomEvent<TotpDeactivatedDetail>} totp-deactivated - TOTP is now off: `{ method }`, the kind of code that confirmed it.
 */
export class TotpDeactivate extends TotpElement<DeactivateState> {
  static override styles = [...TotpElement.styles, deactivateStyles];

  @state() private digits = 6;

  protected async load(): Promise<void> {
    const status = await this.call('status');
    if (!status) return;
    this.digits = status.config.digits;
    if (!status.totp.active) return this.setState('inactive');
    if (status.reauthenticationRequired) {
      this.emit('totp-reauthentication-required', { action: 'deactivate' });
      return this.setState('reauthenticate');
    }
    this.form.reset();
    this.setState('confirm');
  }

  protected async submitCode(code: string, kind: CodeKind): Promise<void> {
    const result = await this.call('deactivate', { code });
    if (!result) return;
    this.setState('deactivated', true);
    this.announce(this.t.deactivated);
    this.emit('totp-deactivated', { method: kind === 'totp' ? 'totp' : 'recovery_code' });
  }

  protected override handleFailure(failure: TotpRequestError, during: EndpointName): void {
    if (failure.code === 'not_active') this.setState('inactive', true);
    // A policy answer: another code would not help, so the form goes away.
    else if (failure.code === 'deactivation_forbidden') this.setState('forbidden', true);
    else super.handleFailure(failure, during);
  }

  override render(): TemplateResult {
    const t = this.t;
    switch (this.current) {
      case 'confirm':
        return this.renderFrame(
          t.deactivateTitle,
          html`<p part="description">${t.deactivateIntro}</p>
            ${this.renderForm(t.deactivate, { digits: this.digits })}`,
        );
      case 'inactive':
        return this.renderFrame(
          t.deactivateTitle,
          html`<slot name="inactive"><p part="message">${t.notActive}</p></slot>`,
        );
      case 'forbidden':
        return this.renderFrame(
          t.deactivateTitle,
          html`<slot name="forbidden"><p part="message">${t.deactivationForbidden}</p></slot>`,
        );
      case 'deactivated':
        return this.renderFrame(
          t.deactivateTitle,
          html`<slot name="deactivated"><p part="message">${t.deactivated}</p></slot>`,
        );
      default:
        return this.renderFrame(t.deactivateTitle, this.renderCommon());
    }
  }
}

if (!customElements.get('totp-deactivate')) customElements.define('totp-deactivate', TotpDeactivate);

declare global {
  interface HTMLElementTagNameMap {
    'totp-deactivate': TotpDeactivate;
  }
}
