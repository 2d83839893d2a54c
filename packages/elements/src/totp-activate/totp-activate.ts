import type { EndpointName, SetupResponse } from '@totpkit/protocol';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import { groupKey } from '../shared/format.js';
import { qrImage } from '../shared/qr.js';
import { RecoveryCodeList, recoveryCodesStyles } from '../shared/recovery-codes-list.js';
import type { TotpStrings } from '../shared/strings/index.js';
import { messageSlot } from '../shared/templates.js';
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
  static override properties: PropertyDeclarations = {
    _setup: { state: true },
    _qrSrc: { state: true },
    _qrFailed: { state: true },
    _restarted: { state: true },
    appLink: { attribute: 'app-link' },
  };

  /** The tappable `otpauth://` link: `auto` shows it on touch screens, where there is nothing to scan with. */
  appLink: 'auto' | 'show' | 'hide' = 'auto';

  private _setup: SetupResponse | null = null;
  private _qrSrc = '';
  private _qrFailed = false;
  private _restarted = false;
  private readonly _codes = new RecoveryCodeList(this, this._copier);
  private _issuer = '';
  private _account = '';

  protected async _load(): Promise<void> {
    this._setup = null;
    this._codes.clear();
    const status = await this._call('status');
    if (!status) return;
    if (status.totp.active) return this._setState('active');
    // Ask for the sign-in before the user scans a QR code, not after (django-allauth#4019).
    if (status.reauthenticationRequired) return this._reauthenticate('setup');
    await this._startSetup(false);
  }

  private async _startSetup(restarted: boolean): Promise<void> {
    const setup = await this._call('setup', {});
    if (!setup) return;
    this._setup = setup;
    this._restarted = restarted;
    this._qrSrc = '';
    this._qrFailed = false;
    this._form.reset();
    if (!setup.qrCode) {
      qrImage(setup.otpauthUrl).then(
        (src) => {
          if (this._setup === setup) this._qrSrc = src;
        },
        () => {
          this._qrFailed = true;
        },
      );
    }
    this._setState('setup');
    if (restarted) this._form.focus();
  }

  protected async _submitCode(code: string): Promise<void> {
    const setup = this._setup;
    if (!setup) return;
    const result = await this._call('activate', { enrollmentToken: setup.enrollmentToken, code });
    if (!result) return;
    // The secret has done its job; it leaves the screen and memory now.
    this._setup = null;
    this._issuer = setup.issuer;
    this._account = setup.accountName;
    this._codes.show(result.recoveryCodes);
    this._setState('recovery-codes', true);
    this._emit('totp-activated', { recoveryCodeCount: result.recoveryCodes.length });
  }

  protected override _handleFailure(failure: TotpRequestError, during: EndpointName): void {
    if (failure.code === 'enrollment_expired') {
      this._startSetup(true);
    } else if (failure.code === 'already_active') {
      this._setup = null;
      this._setState('active', true);
    } else {
      super._handleFailure(failure, during);
    }
  }

  private _finish = (): void => {
    this._codes.clear();
    this._setState('activated', true);
    this._announce(this._t.activated);
  };

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    const step = this._current;
    if (step === 'recovery-codes') {
      const view = { strings: t, issuer: this._issuer, account: this._account, onDone: this._finish };
      return [t.codesTitle, this._codes.render(view)];
    }
    const setup = step === 'setup' && this._setup;
    return [
      t.setupTitle,
      setup
        ? this._renderSetup(t, setup)
        : step === 'active' || step === 'activated'
          ? messageSlot('active', step === 'active' ? t.alreadyActive : t.activated)
          : undefined,
    ];
  }

  private _renderSetup(t: TotpStrings, setup: SetupResponse): TemplateResult {
    const src = setup.qrCode ?? this._qrSrc;
    const appLink =
      this.appLink === 'show' || (this.appLink === 'auto' && matchMedia('(pointer: coarse)').matches)
        ? html`<a part="button app-link" class="button app-link" href=${setup.otpauthUrl}>${t.openApp}</a>`
        : nothing;
    const unusual = setup.algorithm !== 'SHA1' || setup.digits !== 6 || setup.period !== 30;
    return html`
      ${this._restarted ? html`<p part="notice" class="warning" role="alert">${t.setupExpired}</p>` : nothing}
      <p part="description">${t.scan}</p>
      <div part="qr-frame" class="qr-frame">
        ${
          src
            ? html`<img part="qr" class="qr" src=${src} alt=${t.qrAlt(setup.issuer)} width="200" height="200" />`
            : this._qrFailed
              ? html`<p part="message" class="hint">${t.qrFailed}</p>`
              : html`<div class="qr"></div>`
        }
      </div>
      <p part="account" class="hint">${t.account(setup.accountName, setup.issuer)}</p>
      ${appLink}
      <details part="manual" class="manual" ?open=${this._qrFailed}>
        <summary part="manual-summary">${t.cantScan}</summary>
        <p part="hint" class="hint">${t.keyHint}</p>
        <dl class="key">
          <dt part="secret-label" class="label">${t.keyLabel}</dt>
          <dd><code part="secret" class="secret">${groupKey(setup.secret)}</code></dd>
        </dl>
        ${unusual ? html`<p part="hint" class="hint">${t.keyDetails(setup.algorithm, setup.digits, setup.period)}</p>` : nothing}
        ${this._copier.button('key', t.copyKey, setup.secret, t)}
      </details>
      ${this._renderForm(t.activate, { digits: setup.digits, recovery: false })}
    `;
  }
}

if (!customElements.get('totp-activate')) customElements.define('totp-activate', TotpActivate);

declare global {
  interface HTMLElementTagNameMap {
    'totp-activate': TotpActivate;
  }
}
