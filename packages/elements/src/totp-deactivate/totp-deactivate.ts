import type { EndpointName, StatusResponse } from '@totpkit/protocol';
import { html, type PropertyDeclarations } from 'lit';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import type { CodeKind } from '../shared/code-form.js';
import type { TotpStrings } from '../shared/strings/index.js';
import { messageSlot } from '../shared/templates.js';
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
  static override properties: PropertyDeclarations = { _digits: { state: true } };

  private _digits = 6;
  private _totp: StatusResponse['totp'] | undefined;

  protected async _load(): Promise<void> {
    const status = await this._call('status');
    if (!status) return;
    this._digits = status.config.digits;
    this._totp = status.totp;
    if (!status.totp.active) return this._setState('inactive');
    if (status.reauthenticationRequired) return this._reauthenticate('deactivate');
    this._form.reset();
    this._setState('confirm');
  }

  protected async _submitCode(code: string, kind: CodeKind): Promise<void> {
    const result = await this._call('deactivate', { code });
    if (!result) return;
    this._setState('deactivated', true);
    this._announce(this._t.deactivated);
    this._emit('totp-deactivated', { method: kind === 'totp' ? 'totp' : 'recovery_code' });
  }

  protected override _handleFailure(failure: TotpRequestError, during: EndpointName): void {
    if (failure.code === 'not_active') this._setState('inactive', true);
    // A policy answer: another code would not help, so the form goes away.
    else if (failure.code === 'deactivation_forbidden') this._setState('forbidden', true);
    else super._handleFailure(failure, during);
  }

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    const step = this._current;
    const messages: Partial<Record<string, string>> = {
      inactive: t.notActive,
      forbidden: t.deactivationForbidden,
      deactivated: t.deactivated,
    };
    const message = messages[step];
    return [
      // Only while it can be turned off does the heading say so.
      message ? t.verifyTitle : t.deactivateTitle,
      step === 'confirm'
        ? html`${this._dates(this._totp)}
            <p part="description">${t.deactivateIntro}</p>
            ${this._renderForm(t.deactivate, { digits: this._digits })}`
        : message && messageSlot(step, message),
    ];
  }
}

if (!customElements.get('totp-deactivate')) customElements.define('totp-deactivate', TotpDeactivate);

declare global {
  interface HTMLElementTagNameMap {
    'totp-deactivate': TotpDeactivate;
  }
}
