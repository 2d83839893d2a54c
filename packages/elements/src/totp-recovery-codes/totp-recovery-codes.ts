import type { EndpointName, StatusResponse } from '@totpkit/protocol';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import type { RecoveryCodeList } from '../shared/recovery-codes-list.js';
import { prefetch, recoveryCodesStep } from '../shared/steps.js';
import type { TotpStrings } from '../shared/strings/index.js';
import { button, messageSlot } from '../shared/templates.js';
import { recoveryCodesOverviewStyles } from './totp-recovery-codes.styles.js';

/** The steps of `<totp-recovery-codes>`, besides loading, error and reauthenticate. */
export type RecoveryCodesState = 'inactive' | 'overview' | 'confirm' | 'codes';

/**
 * Shows how many recovery codes are left and regenerates them: after a current code (TOTP or
 * recovery), the new set is shown once, with copy, download and print.
 *
 * @summary The recovery codes: how many are left, and a new set on request.
 * @tagname totp-recovery-codes
 *
 * @slot inactive - Shown when TOTP is not on (so there are no recovery codes). Default: a sentence saying so.
 *
 * @csspart count - The "7 of 10 recovery codes unused" sentence.
 * @csspart warning - The few-codes-left warning.
 * @csspart regenerate-button - Starts regeneration.
 * @csspart cancel-button - Leaves regeneration.
 * @csspart copy-button - Copies the new codes.
 * @csspart copy-error - Says that copying failed and the codes are selected to copy by hand.
 * @csspart recovery-codes - The list of new recovery codes.
 * @csspart recovery-code - One recovery code.
 * @csspart download-button - Downloads the codes as a `.txt` file.
 * @csspart print-button - Prints the codes.
 * @csspart saved - The "I have saved these codes" label.
 * @csspart saved-checkbox - Its checkbox.
 * @csspart done-actions - The row of the Done button.
 * @csspart done-button - Back to the overview; enabled once the checkbox is ticked.
 */
export class TotpRecoveryCodes extends TotpElement<RecoveryCodesState> {
  static override styles = [...TotpElement.styles, recoveryCodesOverviewStyles];
  static override properties: PropertyDeclarations = {
    _status: { state: true },
    issuer: {},
    lowRecoveryCodes: { type: Number, attribute: 'low-recovery-codes' },
  };

  /** Names the download and the printout, like the issuer in the authenticator app. Default: the site's host name. */
  issuer = '';
  /** Warn when this many unused codes or fewer are left. */
  lowRecoveryCodes = 3;

  private _status: StatusResponse | null = null;
  private _codes: RecoveryCodeList | undefined;
  /** Regeneration waits for a sign-in: after `retry()`, the status leads straight back to it. */
  private _resume = false;

  protected async _load(): Promise<void> {
    this._codes?.clear();
    const status = await this._call('status');
    if (!status) return;
    this._status = status;
    this._setState(status.totp.active ? 'overview' : 'inactive');
    if (this._resume && status.totp.active) this._regenerate();
    this._resume = false;
  }

  protected override _retry(action: EndpointName): void {
    this._resume = action === 'regenerateRecoveryCodes';
    super._retry(action);
  }

  /** Cancel, the `cancel` slot or Escape in the confirm step: back to the overview. */
  protected override _cancelled(): void {
    this._backToOverview();
  }

  private _regenerate = (): void => {
    if (this._status?.reauthenticationRequired) {
      this._reauthenticate('regenerateRecoveryCodes', true);
    } else {
      this._form.reset();
      this._setState('confirm', true);
      this._form.focus();
      // The codes' step is loaded while the user types the code.
      prefetch(recoveryCodesStep);
    }
  };

  private _backToOverview = (): void => {
    this._codes?.clear();
    this._setState('overview', true);
  };

  protected async _submitCode(code: string): Promise<void> {
    // The step that shows the codes is there before they are asked for: they are shown only once.
    const codes = await this._loadStep('regenerateRecoveryCodes', recoveryCodesStep);
    if (!codes) return;
    const result = await this._call('regenerateRecoveryCodes', { code });
    if (!result || !this._status) return;
    const count = result.recoveryCodes.length;
    this._status = { ...this._status, recoveryCodes: { total: count, unused: count } };
    this._codes ??= new codes.RecoveryCodeList(this, this._announce);
    this._codes.show(result.recoveryCodes);
    this._setState('codes', true);
  }

  protected override _handleFailure(failure: TotpRequestError, during: EndpointName): void {
    if (failure.code === 'not_active') this._setState('inactive', true);
    else super._handleFailure(failure, during);
  }

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    switch (this._current) {
      case 'overview':
        return [t.recoveryTitle, this._renderOverview(t)];
      case 'confirm':
        return [
          t.regenerate,
          html`<p part="description">${t.regenerateIntro}</p>
            ${this._renderForm(t.regenerate, { digits: this._status?.config.digits, cancel: t.cancel })}`,
        ];
      case 'codes': {
        const view = { strings: t, issuer: this.issuer || location.hostname, onDone: this._backToOverview };
        return [t.codesTitle, this._codes?.render(view)];
      }
      case 'inactive':
        return [t.recoveryTitle, messageSlot('inactive', t.notActive)];
      default:
        return [t.recoveryTitle];
    }
  }

  private _renderOverview(t: TotpStrings): TemplateResult {
    const counts = this._status?.recoveryCodes;
    const low = counts && counts.unused <= this.lowRecoveryCodes;
    return html`<p part="count" class="count">${counts ? t.codesLeft(counts.unused, counts.total) : t.noCodes}</p>
      ${low ? html`<p part="warning" class="warning">${t.codesLow(counts.unused)}</p>` : nothing}
      <div part="actions" class="actions">
        ${button('regenerate-button', t.regenerate, this._regenerate, { primary: true })}
      </div>`;
  }
}

if (!customElements.get('totp-recovery-codes')) customElements.define('totp-recovery-codes', TotpRecoveryCodes);

declare global {
  interface HTMLElementTagNameMap {
    'totp-recovery-codes': TotpRecoveryCodes;
  }
}
