/**
 * The setup step of `<totp-activate>`: the QR code on its white ground, the account, the app link,
 * "Can't scan?" with the key in groups of four and its copy button, and the code form. Imported
 * statically by the element, unlike the later steps: it is what the element is for whenever TOTP is
 * off, and loading it on demand put a request between the status and the setup call.
 */
import type { SetupResponse } from '@totpkit/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import type { Copier } from '../shared/copy.js';
import type { TotpStrings } from '../shared/strings/index.js';

/** What the setup step shows. */
export interface SetupView {
  strings: TotpStrings;
  setup: SetupResponse;
  /** The QR image: the server's, or one drawn in the browser; empty while it is being drawn. */
  qrSrc: string;
  /** The secret key in groups of four (`groupKey`). */
  key: string;
  /** Drawing the QR code failed: the key is shown instead. */
  qrFailed: boolean;
  /** Setup restarted after the enrollment expired. */
  restarted: boolean;
  /** The element's `app-link`: `auto` shows the tappable link on touch screens, where there is nothing to scan with. */
  appLink: 'auto' | 'show' | 'hide';
  copier: Copier;
  form: TemplateResult;
}

export function renderSetup(view: SetupView): TemplateResult {
  const { strings: t, setup, qrSrc, appLink } = view;
  const unusual = setup.algorithm !== 'SHA1' || setup.digits !== 6 || setup.period !== 30;
  return html`
    ${view.restarted ? html`<p part="notice" class="warning" role="alert">${t.setupExpired}</p>` : nothing}
    <p part="description">${t.scan}</p>
    <slot name="apps"></slot>
    <div part="qr-frame" class="qr-frame">
      ${
        qrSrc
          ? html`<img part="qr" class="qr" src=${qrSrc} alt=${t.qrAlt(setup.issuer)} width="200" height="200" />`
          : view.qrFailed
            ? html`<p part="message" class="hint">${t.qrFailed}</p>`
            : html`<div class="qr"></div>`
      }
    </div>
    <p part="account" class="hint">${t.account(setup.accountName, setup.issuer)}</p>
    ${
      appLink === 'show' || (appLink === 'auto' && matchMedia('(pointer: coarse)').matches)
        ? html`<a part="button app-link" class="button app-link" href=${setup.otpauthUrl}>${t.openApp}</a>`
        : nothing
    }
    <details part="manual" class="manual" ?open=${view.qrFailed}>
      <summary part="manual-summary">${t.cantScan}</summary>
      <p part="hint" class="hint">${t.keyHint}</p>
      <dl part="key" class="key">
        <dt part="secret-label" class="label">${t.keyLabel}</dt>
        <dd><code part="secret" class="secret">${view.key}</code></dd>
      </dl>
      ${unusual ? html`<p part="hint" class="hint">${t.keyDetails(setup.algorithm, setup.digits, setup.period)}</p>` : nothing}
      ${view.copier.button('.secret', t.copyKey, setup.secret, t)}
    </details>
    ${view.form}
  `;
}
