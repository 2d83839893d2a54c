import type { EndpointName, StatusResponse } from '@totpkit/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import { RecoveryCodeList, recoveryCodesStyles } from '../shared/recovery-codes-list.js';
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
 * @csspart recovery-codes - The list of new recovery codes.
 * @csspart recovery-code - One recovery code.
 * @csspart download-button - Downloads the codes as a `.txt` file.
 * @csspart print-button - Prints the codes.
 * @csspart saved - The "I have saved these codes" label.
 * @csspart saved-checkbox - Its checkbox.
 * @csspart done-button - Back to the overview; enabled once the checkbox is ticked.
 */
export class TotpRecoveryCodes extends TotpElement<RecoveryCodesState> {
  static override styles = [...TotpElement.styles, recoveryCodesStyles, recoveryCodesOverviewStyles];

  @state() private status: StatusResponse | null = null;
  private readonly codes = new RecoveryCodeList(this, this.copier);

  /** Names the download and the printout, like the issuer in the authenticator app. Default: the site's host name. */
  @property() issuer = '';
  /** Warn when this many unused codes or fewer are left. */
  @property({ type: Number, attribute: 'low-recovery-codes' }) lowRecoveryCodes = 3;

  protected async load(): Promise<void> {
    this.codes.clear();
    const status = await this.call('status');
    if (!status) return;
    this.status = status;
    this.setState(status.totp.active ? 'overview' : 'inactive');
  }

  private regenerate = (): void => {
    if (this.status?.reauthenticationRequired) {
      this.emit('totp-reauthentication-required', { action: 'regenerateRecoveryCodes' });
      this.setState('reauthenticate', true);
      return;
    }
    this.form.reset();
    this.setState('confirm', true);
    this.form.focus();
  };

  private backToOverview = (): void => {
    this.codes.clear();
    this.setState('overview', true);
  };

  protected async submitCode(code: string): Promise<void> {
    const result = await this.call('regenerateRecoveryCodes', { code });
    if (!result || !this.status) return;
    const count = result.recoveryCodes.length;
    this.status = { ...this.status, recoveryCodes: { total: count, unused: count } };
    this.codes.show(result.recoveryCodes);
    this.setState('codes', true);
  }

  protected override handleFailure(failure: TotpRequestError, during: EndpointName): void {
    if (failure.code === 'not_active') this.setState('inactive', true);
    else super.handleFailure(failure, during);
  }

  override render(): TemplateResult {
    const t = this.t;
    switch (this.current) {
      case 'overview':
        return this.renderFrame(t.recoveryTitle, this.renderOverview());
      case 'confirm':
        return this.renderFrame(
          t.regenerate,
          html`<p part="description">${t.regenerateIntro}</p>
            ${this.renderForm(t.regenerate, {
              digits: this.status?.config.digits,
              extra: html`<button part="button cancel-button" class="button" type="button" @click=${this.backToOverview}>
                ${t.cancel}
              </button>`,
            })}`,
        );
      case 'codes':
        return this.renderFrame(
          t.codesTitle,
          this.codes.render({ strings: t, issuer: this.issuer || location.hostname, onDone: this.backToOverview }),
        );
      case 'inactive':
        return this.renderFrame(
          t.recoveryTitle,
          html`<slot name="inactive"><p part="message">${t.notActive}</p></slot>`,
        );
      default:
        return this.renderFrame(t.recoveryTitle, this.renderCommon());
    }
  }

  private renderOverview(): TemplateResult {
    const t = this.t;
    const counts = this.status?.recoveryCodes;
    const low = counts && counts.unused <= this.lowRecoveryCodes;
    return html`<p part="count" class="count">${counts ? t.codesLeft(counts.unused, counts.total) : t.noCodes}</p>
      ${low ? html`<p part="warning" class="warning">${t.codesLow(counts.unused)}</p>` : nothing}
      <div part="actions" class="actions">
        <button part="button regenerate-button" class="button primary" type="button" @click=${this.regenerate}>
          ${t.regenerate}
        </button>
      </div>`;
  }
}

if (!customElements.get('totp-recovery-codes')) customElements.define('totp-recovery-codes', TotpRecoveryCodes);

declare global {
  interface HTMLElementTagNameMap {
    'totp-recovery-codes': TotpRecoveryCodes;
  }
}
