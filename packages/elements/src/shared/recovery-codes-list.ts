/**
 * A freshly issued set of recovery codes: the list, Copy, Download (a `.txt` named after the
 * issuer) and Print, and an "I have saved these codes" checkbox that gates Done. The codes live
 * only here and on screen, and are dropped as soon as the user is done.
 *
 * A step module of its own (`TotpElement._loadStep`): `<totp-activate>` and `<totp-recovery-codes>`
 * load it while the user types the code, and before they send it, so the codes are never lost.
 */
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { Copier } from './copy.js';
import { css } from './css.js';
import type { TotpStrings } from './strings/index.js';
import { button } from './templates.js';

/** What the list needs to know on each render. */
export interface RecoveryCodesView {
  strings: TotpStrings;
  /** Names the download and the printout. */
  issuer: string;
  /** The account, when known, for the printout. */
  account?: string;
  onDone: () => void;
}

export const styles = css`
  .codes {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr));
    gap: 0.25rem 1rem;
    margin: 0;
    padding: 0.75rem 1rem;
    border: 1px dashed var(--_totp-border);
    border-radius: var(--totp-radius, 8px);
    list-style: none;
    font: 1.0625rem / 1.6 var(--totp-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
  }
  /* <code> has the browser's monospace font of its own; the codes take --totp-font-mono. */
  .codes code {
    font: inherit;
  }
`;

export class RecoveryCodeList {
  /** The codes on screen; empty when none are shown. */
  codes: string[] = [];
  private _saved = false;
  private readonly _copier: Copier;

  /** `announce` says the copy buttons' results through the element's live region. */
  constructor(
    private readonly _host: ReactiveControllerHost & HTMLElement & { readonly state: string },
    announce: (message: string) => void,
  ) {
    this._copier = new Copier(_host, announce);
  }

  /** Shows a new set, with the checkbox unticked. */
  show(codes: string[]): void {
    this.codes = codes;
    this._saved = false;
    this._host.requestUpdate();
  }

  /** Forgets the codes. */
  clear(): void {
    this.codes = [];
    this._saved = false;
  }

  render(view: RecoveryCodesView): TemplateResult {
    const t = view.strings;
    return html`<p part="description">${t.codesIntro}</p>
      <ol part="recovery-codes" class="codes">
        ${this.codes.map((code) => html`<li part="recovery-code"><code>${code}</code></li>`)}
      </ol>
      <div part="actions" class="actions">
        ${this._copier.button('.codes', t.copyCodes, this.codes.join('\n'), t)}
        ${button('download-button', t.download, () => this._download(view))}
        ${button('print-button', t.print, (event) => this._print(view, event.currentTarget as HTMLElement))}
      </div>
      <label part="saved" class="check">
        <input part="saved-checkbox" type="checkbox" .checked=${this._saved} @change=${this._toggleSaved} />
        ${t.saved}
      </label>
      <div part="actions done-actions" class="actions">${button('done-button', t.done, view.onDone, { primary: true, disabled: !this._saved })}</div>`;
  }

  private _toggleSaved = (event: Event): void => {
    this._saved = (event.target as HTMLInputElement).checked;
    this._host.requestUpdate();
  };

  private _lines(view: RecoveryCodesView): string[] {
    const t = view.strings;
    return [t.fileTitle(view.issuer), ...(view.account ? [view.account] : []), t.fileNote, '', ...this.codes];
  }

  private _download(view: RecoveryCodesView): void {
    const link = document.createElement('a');
    // A data URL rather than a blob URL: nothing to revoke, and the file is a few hundred bytes.
    link.href = `data:text/plain;charset=utf-8,${encodeURIComponent(`${this._lines(view).join('\r\n')}\r\n`)}`;
    link.download = fileName(view.issuer, 'recovery-codes.txt');
    link.click();
  }

  /**
   * Prints the codes alone, from a hidden frame, rather than the whole page around the element,
   * in the codes' own font; focus, which the frame takes for the dialog, goes back to `trigger`.
   */
  private _print(view: RecoveryCodesView, trigger: HTMLElement): void {
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.style.cssText = 'position:fixed;width:0;height:0;border:0;visibility:hidden';
    (this._host.shadowRoot ?? this._host).append(frame);
    const doc = frame.contentDocument;
    const win = frame.contentWindow;
    if (!doc || !win) {
      frame.remove();
      return;
    }
    const [title = '', ...rest] = this._lines(view);
    doc.title = title;
    const heading = doc.createElement('h1');
    heading.textContent = title;
    const body = doc.createElement('pre');
    const list = this._host.shadowRoot?.querySelector('.codes');
    body.style.font = `14pt/1.8 ${list ? getComputedStyle(list).fontFamily : 'monospace'}`;
    body.textContent = rest.join('\n');
    doc.body.append(heading, body);
    win.addEventListener('afterprint', () => frame.remove());
    win.focus();
    win.print();
    trigger.focus();
    // Browsers without afterprint (or a cancelled dialog) still clean up.
    setTimeout(() => frame.remove(), 60_000);
  }
}

/** A download name from a display name: characters that file systems refuse become hyphens. */
export function fileName(name: string, suffix: string): string {
  const safe = name
    .replace(/[\\/:*?"<>|\s]+/g, '-')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f]/g, '')
    .replace(/^[-.]+|-+$/g, '');
  return `${safe || 'totp'}-${suffix}`;
}
