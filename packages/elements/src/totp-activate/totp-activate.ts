import type { EndpointName, SetupResponse, StatusResponse } from '@totpkit/protocol';
import { html, type PropertyDeclarations } from 'lit';
import { TotpElement } from '../shared/base.js';
import type { TotpRequestError } from '../shared/client.js';
import { Copier } from '../shared/copy.js';
import { groupKey } from '../shared/format.js';
import { qrImage } from '../shared/qr.js';
import type { RecoveryCodeList } from '../shared/recovery-codes-list.js';
import { prefetch, recoveryCodesStep } from '../shared/steps.js';
import type { TotpStrings } from '../shared/strings/index.js';
import { messageSlot } from '../shared/templates.js';
import { renderSetup } from './setup-step.js';
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
 * @slot apps - Under "Scan this QR code", such as links to the authenticator apps you recommend.
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
 * @csspart key - The key with its label.
 * @csspart secret-label - The label of the key.
 * @csspart secret - The key, in groups of four.
 * @csspart copy-button - A copy button (the key's, the recovery codes').
 * @csspart copy-error - Says that copying failed and the text is selected to copy by hand.
 * @csspart recovery-codes - The list of recovery codes.
 * @csspart recovery-code - One recovery code.
 * @csspart download-button - Downloads the recovery codes as a `.txt` file.
 * @csspart print-button - Prints the recovery codes.
 * @csspart saved - The "I have saved these codes" label.
 * @csspart saved-checkbox - Its checkbox.
 * @csspart done-actions - The row of the Done button.
 * @csspart done-button - Finishes; enabled once the checkbox is ticked.
 *
 * @cssproperty --totp-qr-size - Width and height of the QR code (default 200px).
 */
export class TotpActivate extends TotpElement<ActivateState> {
  static override styles = [...TotpElement.styles, activateStyles];
  static override properties: PropertyDeclarations = {
    _setup: { state: true },
    _qrSrc: { state: true },
    _qrFailed: { state: true },
    _restarted: { state: true },
    appLink: { attribute: 'app-link' },
    issuer: {},
  };

  /** The tappable `otpauth://` link: `auto` shows it on touch screens, where there is nothing to scan with. */
  appLink: 'auto' | 'show' | 'hide' = 'auto';
  /** With `protocol="allauth-headless"` before allauth 64, which sends no `totp_url`: the issuer the app shows. Default: the host name. */
  issuer = '';

  private _setup: SetupResponse | null = null;
  private readonly _keyCopier = new Copier(this, this._announce);
  private _qrSrc = '';
  private _qrFailed = false;
  private _restarted = false;
  private _codes: RecoveryCodeList | undefined;
  private _issuer = '';
  private _account = '';
  /** When TOTP was turned on and last used, from the status, for the `active` state. */
  private _totp: StatusResponse['totp'] | undefined;

  protected async _load(): Promise<void> {
    this._setup = null;
    this._codes?.clear();
    const status = await this._call('status');
    if (!status) return;
    this._totp = status.totp;
    if (status.totp.active) return this._setState('active');
    // Ask for the sign-in before the user scans a QR code, not after (django-allauth#4019).
    if (status.reauthenticationRequired) return this._reauthenticate('setup');
    // The setup view is part of this module, not a step loaded on demand: the setup call goes out
    // as soon as the status says TOTP is off, with no request for code in between (issue 12).
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
    // The codes' step is loaded while the user types the code.
    prefetch(recoveryCodesStep);
  }

  protected async _submitCode(code: string): Promise<void> {
    const setup = this._setup;
    // The step that shows the codes is there before they are asked for: they are shown only once.
    const codes = await this._loadStep('activate', recoveryCodesStep);
    if (!setup || !codes) return;
    const result = await this._call('activate', { enrollmentToken: setup.enrollmentToken, code });
    if (!result) return;
    // The secret has done its job; it leaves the screen and memory now.
    this._setup = null;
    this._issuer = setup.issuer;
    this._account = setup.accountName;
    this._codes ??= new codes.RecoveryCodeList(this, this._announce);
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
    this._codes?.clear();
    this._setState('activated', true);
    this._announce(this._t.activated);
  };

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    const step = this._current;
    if (step === 'recovery-codes') {
      const view = { strings: t, issuer: this._issuer, account: this._account, onDone: this._finish };
      return [t.codesTitle, this._codes?.render(view)];
    }
    const setup = step === 'setup' && this._setup;
    const on = step === 'active' || step === 'activated';
    return [
      // Once TOTP is on, the heading no longer offers to set it up.
      on ? t.verifyTitle : t.setupTitle,
      setup
        ? renderSetup({
            strings: t,
            setup,
            key: groupKey(setup.secret),
            qrSrc: setup.qrCode ?? this._qrSrc,
            qrFailed: this._qrFailed,
            restarted: this._restarted,
            appLink: this.appLink,
            copier: this._keyCopier,
            form: this._renderForm(t.activate, { digits: setup.digits, recovery: false }),
          })
        : on
          ? step === 'active'
            ? html`${messageSlot('active', t.alreadyActive)}${this._dates(this._totp)}`
            : messageSlot('active', t.activated)
          : undefined,
    ];
  }
}

if (!customElements.get('totp-activate')) customElements.define('totp-activate', TotpActivate);

declare global {
  interface HTMLElementTagNameMap {
    'totp-activate': TotpActivate;
  }
}
