import type { EndpointName, SetupResponse } from '@totpkit/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import { groupKey } from '../shared/format.js';
import { qrImage } from '../shared/qr.js';
import { RecoveryCodeList, recoveryCodesStyles } from '../shared/recovery-codes-list.js';
import { activateStyles } from './totp-activate.styles.js';

/** The steps of `<totp-activate>`, besides loading, error and reauthenticate. */
export type ActivateState = 'active' | 'setup' | 'recovery-codes' | 'activated';

/**
 * Turns on TOTP two-factor authentication: loads the status; when TOTP is off, starts setup and
 * shows the QR code, the key (for "Can't scan?") and a code input; after a correct code, shows the
 * new recovery codes until the user confirms they saved them.
 *
 * @summary Sets up an authenticator app: QR code, key, code check, recovery codes.
 * @tagname totp-activate
 *
 * @slot active - Shown when TOTP is on, at load (already active) or after setup. Default: a sentence saying so.
 *
 * @event {CustomEvent<TotpActivatedDetail>} totp-activated - TOTP is now on: `{ recoveryCodeCount }`. The codes themselves are only on screen.
 *
 * @csspart notice - Says that setup restarted after the enrollment expired.
 * @csspart qr-frame - The white frame (quiet zone) around the QR code.
 * @csspart qr - The QR code image.
 * @csspart account - The account and issuer the app will show.
 * @csspart app-link - The tappable `otpauth://` link.
 * @csspart manual - The "Can't scan?" disclosure.
 * @csspart manual-summary - Its toggle.
 * @csspart secret-label - The label of the key.
 * @csspart secret - The key, in groups of four.
 * @csspart copy-button - A copy button (the key's, the recovery codes').
 * @csspart recovery-codes - The list of recovery codes.
 * @csspart recovery-code - One recovery code.
 * @csspart download-button - Downloads the recovery codes as a `.txt` file.
 * @csspart print-button - Prints the recovery codes.
 * @csspart saved - The "I have saved these codes" label.
 * @csspart saved-checkbox - Its checkbox.
 * @csspart done-button - Finishes; enabled once the checkbox is ticked.
 *
 * @cssproperty --totp-qr-size - Width and height of the QR code (default 200px).
 */
export class TotpActivate extends TotpElement<ActivateState> {
  static override styles = [...TotpElement.styles, activateStyles, recoveryCodesStyles];

  @state() private setup: SetupResponse | null = null;
  @state() private qrSrc = '';
  @state() private qrFailed = false;
  @state() private restarted = false;
  private readonly codes = new RecoveryCodeList(this, this.copier);
  private issuer = '';
  private account = '';

  /** The tappable `otpauth://` link: `auto` shows it on touch screens, where there is nothing to scan with. */
  @property({ attribute: 'app-link' }) appLink: 'auto' | 'show' | 'hide' = 'auto';

  protected async load(): Promise<void> {
    this.setup = null;
    this.codes.clear();
    const status = await this.call('status');
    if (!status) return;
    if (status.totp.active) return this.setState('active');
    // Ask for the sign-in before the user scans a QR code, not after (django-allauth#4019).
    if (status.reauthenticationRequired) {
      this.emit('totp-reauthentication-required', { action: 'setup' });
      return this.setState('reauthenticate');
    }
    await this.startSetup(false);
  }

  private async startSetup(restarted: boolean): Promise<void> {
    const setup = await this.call('setup', {});
    if (!setup) return;
    this.setup = setup;
    this.restarted = restarted;
    this.qrSrc = '';
    this.qrFailed = false;
    this.form.reset();
    if (!setup.qrCode) {
      qrImage(setup.otpauthUrl).then(
        (src) => {
          if (this.setup === setup) this.qrSrc = src;
        },
        () => {
          this.qrFailed = true;
        },
      );
    }
    this.setState('setup');
    if (restarted) this.form.focus();
  }

  protected async submitCode(code: string): Promise<void> {
    const setup = this.setup;
    if (!setup) return;
    const result = await this.call('activate', { enrollmentToken: setup.enrollmentToken, code });
    if (!result) return;
    // The secret has done its job; it leaves the screen and memory now.
    this.setup = null;
    this.issuer = setup.issuer;
    this.account = setup.accountName;
    this.codes.show(result.recoveryCodes);
    this.setState('recovery-codes', true);
    this.emit('totp-activated', { recoveryCodeCount: result.recoveryCodes.length });
  }

  protected override handleFailure(failure: TotpRequestError, during: EndpointName): void {
    if (failure.code === 'enrollment_expired') {
      this.startSetup(true);
    } else if (failure.code === 'already_active') {
      this.setup = null;
      this.setState('active', true);
    } else {
      super.handleFailure(failure, during);
    }
  }

  private finish = (): void => {
    this.codes.clear();
    this.setState('activated', true);
    this.announce(this.t.activated);
  };

  override render(): TemplateResult {
    const t = this.t;
    if (this.current === 'recovery-codes') {
      return this.renderFrame(
        t.codesTitle,
        this.codes.render({ strings: t, issuer: this.issuer, account: this.account, onDone: this.finish }),
      );
    }
    if (this.current === 'active' || this.current === 'activated') {
      return this.renderFrame(
        t.setupTitle,
        html`<slot name="active">
          <p part="message">${this.current === 'active' ? t.alreadyActive : t.activated}</p>
        </slot>`,
      );
    }
    if (this.current === 'setup' && this.setup) return this.renderFrame(t.setupTitle, this.renderSetup(this.setup));
    return this.renderFrame(t.setupTitle, this.renderCommon());
  }

  private renderSetup(setup: SetupResponse): TemplateResult {
    const t = this.t;
    const src = setup.qrCode ?? this.qrSrc;
    const appLink =
      this.appLink === 'show' || (this.appLink === 'auto' && matchMedia('(pointer: coarse)').matches)
        ? html`<a part="button app-link" class="button app-link" href=${setup.otpauthUrl}>${t.openApp}</a>`
        : nothing;
    const unusual = setup.algorithm !== 'SHA1' || setup.digits !== 6 || setup.period !== 30;
    return html`
      ${this.restarted ? html`<p part="notice" class="warning" role="alert">${t.setupExpired}</p>` : nothing}
      <p part="description">${t.scan}</p>
      <div part="qr-frame" class="qr-frame">
        ${
          src
            ? html`<img part="qr" class="qr" src=${src} alt=${t.qrAlt(setup.issuer)} width="200" height="200" />`
            : this.qrFailed
              ? html`<p part="message" class="hint">${t.qrFailed}</p>`
              : html`<div class="qr"></div>`
        }
      </div>
      <p part="account" class="hint">${t.account(setup.accountName, setup.issuer)}</p>
      ${appLink}
      <details part="manual" class="manual" ?open=${this.qrFailed}>
        <summary part="manual-summary">${t.cantScan}</summary>
        <p part="hint" class="hint">${t.keyHint}</p>
        <dl class="key">
          <dt part="secret-label" class="label">${t.keyLabel}</dt>
          <dd><code part="secret" class="secret">${groupKey(setup.secret)}</code></dd>
        </dl>
        ${unusual ? html`<p part="hint" class="hint">${t.keyDetails(setup.algorithm, setup.digits, setup.period)}</p>` : nothing}
        ${this.copier.button('key', t.copyKey, setup.secret, t)}
      </details>
      ${this.renderForm(t.activate, { digits: setup.digits, recovery: false })}
    `;
  }
}

if (!customElements.get('totp-activate')) customElements.define('totp-activate', TotpActivate);

declare global {
  interface HTMLElementTagNameMap {
    'totp-activate': TotpActivate;
  }
}
