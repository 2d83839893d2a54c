import type { EndpointName } from '@totpkit/protocol';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { TotpElement } from '../shared/base.js';
import type { EndpointResponse, TotpRequestError } from '../shared/client.js';
import { intl } from '../shared/format.js';
import { en, type TotpStrings } from '../shared/strings/index.js';
import { button, messageSlot } from '../shared/templates.js';
import { trustedBrowsersEn } from './strings.js';
import { trustedBrowsersStyles } from './totp-trusted-browsers.styles.js';

/** The steps of `<totp-trusted-browsers>`, besides loading, error and reauthenticate. */
export type TrustedBrowsersState = 'list' | 'empty' | 'confirm' | 'not-available';

/** One trusted browser, as `GET {base}/trusted-browsers` lists it. */
export type TrustedBrowser = EndpointResponse<'trustedBrowsers'>['browsers'][number];

/**
 * Lists the browsers that skip the code at sign-in ("Don't ask again on this browser", see
 * `<totp-verify trust-browser-days>`), with when each was added, last used and expires, and
 * revokes them one by one or all at once. A backend that does not trust browsers answers
 * `not_found`, which shows the `not-available` state rather than an error.
 *
 * @summary The trusted browsers: a list, Revoke per browser, and Revoke all.
 * @tagname totp-trusted-browsers
 *
 * @slot empty - Shown when no browser is trusted. Default: a sentence saying so.
 * @slot not-available - Shown when the backend does not trust browsers (404 `not_found`). Default: a sentence saying so.
 *
 * @event {CustomEvent<TotpBrowserRevokedDetail>} totp-browser-revoked - Trust was revoked: `{ id, revoked }` for one browser, `{ all: true, revoked }` for all; `revoked` is how many the server removed.
 *
 * @csspart browsers - The list of browsers.
 * @csspart browser - One browser's row.
 * @csspart browser-label - Its name, such as "Chrome on macOS".
 * @csspart current - The "This browser" marker.
 * @csspart browser-dates - When it was added, last used and expires.
 * @csspart revoke-button - Revokes one browser.
 * @csspart revoke-all-button - Asks to revoke every browser.
 * @csspart confirm-button - Revokes every browser, in the confirm step.
 * @csspart cancel-button - Leaves the confirm step (so does Escape).
 */
export class TotpTrustedBrowsers extends TotpElement<TrustedBrowsersState> {
  static override styles = [...TotpElement.styles, trustedBrowsersStyles];
  static override properties: PropertyDeclarations = { _browsers: { state: true } };

  private _browsers: TrustedBrowser[] = [];
  /** A revocation is in flight: further clicks send nothing. */
  private _revoking = false;
  /** After this update, focus goes to the button that matches (the next row's Revoke, or Revoke all). */
  private _focusAfter = '';

  constructor() {
    super();
    // Escape anywhere in the confirm step (the heading has focus when it opens) leaves it.
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.isComposing && this._current === 'confirm') {
        event.preventDefault();
        this._cancelConfirm();
      }
    });
  }

  protected async _load(): Promise<void> {
    this._revoking = false;
    const result = await this._call('trustedBrowsers');
    if (!result) return;
    this._browsers = result.browsers;
    this._setState(result.browsers.length ? 'list' : 'empty');
  }

  /** No step of this element takes a code. */
  protected _submitCode(): void {}

  protected override updated(): void {
    super.updated();
    if (!this._focusAfter) return;
    this.renderRoot.querySelector<HTMLElement>(this._focusAfter)?.focus();
    this._focusAfter = '';
  }

  /** Moves focus after this update, but only when it is in the element now (never stolen from the page). */
  private _focusNext(selector: string): void {
    if (this.matches(':focus-within')) this._focusAfter = selector;
  }

  private async _revoke(browser: TrustedBrowser): Promise<void> {
    if (this._revoking) return;
    this._revoking = true;
    const result = await this._call('revokeTrustedBrowsers', { id: browser.id });
    this._revoking = false;
    if (!result) return;
    // 0 means it was gone already (expired, or revoked elsewhere): either way it leaves the list.
    const index = this._browsers.indexOf(browser);
    this._browsers = this._browsers.filter((other) => other !== browser);
    const next = this._browsers[index] ?? this._browsers[index - 1];
    if (next) {
      this._focusNext(`[data-id="${CSS.escape(next.id)}"]`);
      this.requestUpdate();
    } else {
      this._setState('empty', true);
    }
    this._announce(this._t.browsersRevoked(browser.label));
    this._emit('totp-browser-revoked', { id: browser.id, revoked: result.revoked });
  }

  private _askRevokeAll = (): void => {
    this._setState('confirm', true);
  };

  private _cancelConfirm = (): void => {
    this._emit('totp-cancel', { state: 'confirm' });
    this._setState('list');
    this._focusNext('[part~="revoke-all-button"]');
  };

  private _revokeAll = async (): Promise<void> => {
    if (this._revoking) return;
    this._revoking = true;
    const result = await this._call('revokeTrustedBrowsers', { all: true });
    this._revoking = false;
    if (!result) return;
    this._browsers = [];
    this._setState('empty', true);
    this._announce(this._t.browsersAllRevoked);
    this._emit('totp-browser-revoked', { all: true, revoked: result.revoked });
  };

  /** A backend without the feature answers `not_found`: the "not available" state, not a misconfiguration. */
  protected override _isExpectedFailure(code: string): boolean {
    return code === 'not_found';
  }

  protected override _handleFailure(failure: TotpRequestError, during: EndpointName): void {
    this._revoking = false;
    // A backend without the feature: nothing is wrong, there is just nothing to manage here.
    if (failure.code === 'not_found') this._setState('not-available', true);
    // Every other failure, of the list or of a revocation, is the error state with its retry
    // (which loads the list again): there is no code form to show it on. The base class shows
    // that state for a failed load, which it knows as `status`; `totp-error` has named the call.
    else super._handleFailure(failure, failure.code === 'reauthentication_required' ? during : 'status');
  }

  protected _renderStep(t: TotpStrings): [title: string, content?: unknown] {
    switch (this._current) {
      case 'list':
        return [t.browsersTitle, this._renderList(t)];
      case 'confirm':
        return [
          t.browsersConfirmTitle,
          html`<p part="description">${t.browsersConfirm(this._browsers.length)}</p>
            <div part="actions" class="actions">
              <button part="button confirm-button" class="button danger" type="button" @click=${this._revokeAll}>
                ${t.browsersRevokeAll}
              </button>
              ${button('cancel-button', t.cancel, this._cancelConfirm)}
            </div>`,
        ];
      case 'empty':
        return [t.browsersTitle, messageSlot('empty', t.browsersEmpty)];
      case 'not-available':
        return [t.browsersTitle, messageSlot('not-available', t.browsersNotAvailable)];
      default:
        return [t.browsersTitle];
    }
  }

  private _renderList(t: TotpStrings): TemplateResult {
    const date = intl(this._lang, (locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }));
    const format = (timestamp: string) => date.format(new Date(timestamp));
    return html`<p part="description">${t.browsersIntro}</p>
      <ul part="browsers" class="browsers">
        ${this._browsers.map(
          (browser) => html`<li part="browser" class="browser">
            <div class="browser-text">
              <span>
                <span part="browser-label" class="browser-label">${browser.label}</span>${
                  browser.current ? html`<span part="current" class="current">${t.browsersThis}</span>` : nothing
                }
              </span>
              <span part="browser-dates" class="hint">
                ${[
                  t.browsersAdded(format(browser.createdAt)),
                  browser.lastUsedAt ? t.browsersLastUsed(format(browser.lastUsedAt)) : t.browsersNeverUsed,
                  t.browsersExpires(format(browser.expiresAt)),
                ].join(' · ')}
              </span>
            </div>
            <button
              part="button revoke-button"
              class="button"
              type="button"
              data-id=${browser.id}
              aria-label=${t.browsersRevokeLabel(browser.label)}
              @click=${() => this._revoke(browser)}
            >${t.browsersRevoke}</button>
          </li>`,
        )}
      </ul>
      <div part="actions" class="actions">
        ${button('revoke-all-button', t.browsersRevokeAll, this._askRevokeAll)}
      </div>`;
  }
}

// The element's English texts join the fallback before it first renders (see ./strings.ts).
Object.assign(en, trustedBrowsersEn);
if (!customElements.get('totp-trusted-browsers')) customElements.define('totp-trusted-browsers', TotpTrustedBrowsers);

declare global {
  interface HTMLElementTagNameMap {
    'totp-trusted-browsers': TotpTrustedBrowsers;
  }
}
