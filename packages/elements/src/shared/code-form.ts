/**
 * The code form: ONE real input for a TOTP code (or, after "Use a recovery code instead", a
 * recovery code), its visible label, hint and error, and a submit button that is always there.
 *
 * Password managers that cannot see into shadow roots are served two ways:
 * - `light-dom-input` renders the whole form into the element's light DOM (slot `code-form`);
 * - an `<input slot="input">` from the page replaces the built-in input, which is that slot's
 *   fallback content. The element wires it up: attributes, paste, Enter, `aria-invalid`.
 * Both live in `page-input.ts`, which loads when a page uses either, so that other pages do not
 * pay for them (like the locales). Should it fail to load, the form stays in the shadow root.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { formatDuration, isRecoveryCode, isTotpCode, normalizeCode, normalizeRecoveryCode } from './format.js';
import type { PageInput } from './page-input.js';
import type { TotpStrings } from './strings/index.js';
import { formStyles } from './styles.js';

/** Which kind of code the form takes. */
export type CodeKind = 'totp' | 'recovery';

/** The element that hosts a code form. */
export interface CodeFormHost extends ReactiveControllerHost, HTMLElement {
  lightDomInput: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** What the form shows on this render. */
export interface CodeFormView {
  strings: TotpStrings;
  digits: number;
  submitLabel: string;
  /** Offer the switch to a recovery code. */
  recovery: boolean;
  /** Seconds of rate limiting left; the submit button is disabled meanwhile. */
  lockedFor: number;
  /** The label of a built-in Cancel button, the default content of the `cancel` slot; none without. */
  cancel?: string | undefined;
  /** Submit when a whole TOTP code is typed or pasted. */
  autoSubmit: boolean;
  /** Called for a click in the `cancel` slot and for Escape in the form. */
  onCancel: () => void;
  /** The language tag, for the countdown's units. */
  lang: string;
  /** More of the form above its buttons, such as `<totp-verify>`'s "Don't ask again" checkbox. */
  extra?: unknown;
}

let lastId = 0;

export class CodeForm implements ReactiveController {
  /** The kind of code the input takes now. */
  kind: CodeKind = 'totp';
  /** The error under the input, and whether it is about the input's value (`aria-invalid`). */
  _error = '';
  _invalid = false;
  _view: CodeFormView | undefined;
  readonly _id = `totp-code-${++lastId}`;
  /** Whether the last render of the host included the form. */
  private _shown = false;
  private _lightTemplate: TemplateResult | undefined;
  /** The page-input support: loaded, being loaded (null), or not available (false). */
  private _page: PageInput | null | false | undefined;

  constructor(
    readonly _host: CodeFormHost,
    private readonly _onSubmit: (code: string, kind: CodeKind) => void,
  ) {
    _host.addController(this);
  }

  /** The input in use: the page's slotted one, or the built-in one wherever it is rendered. */
  get input(): HTMLInputElement | null {
    const root = (this._page || undefined)?.light ?? this._host.renderRoot;
    return this._slotted() ?? root.querySelector<HTMLInputElement>(`#${this._id}`);
  }

  /** Back to an empty TOTP input without an error, for a fresh step. */
  reset(): void {
    this.kind = 'totp';
    this._clear();
  }

  /** Shows `message` under the input and puts focus back in it, with the text selected for retyping. */
  fail(message: string, invalid = true): void {
    this._setError(message, invalid);
    this._host.updateComplete.then(() => {
      const input = this.input;
      input?.focus();
      input?.select();
    });
  }

  /** Moves focus into the input. */
  focus(): void {
    this._host.updateComplete.then(() => this.input?.focus());
  }

  hostConnected(): void {
    // A page that asked for the light-DOM form gets its code while the element loads its data.
    if (this._host.lightDomInput) this._loadPage();
  }

  hostUpdated(): void {
    const template = this._lightTemplate;
    const slotted = this._shown ? this._slotted() : null;
    this._lightTemplate = undefined;
    this._shown = false;
    if (this._page) this._page.update(template, slotted);
    else if (template || slotted) this._loadPage();
  }

  /** Loads the page-input support once, and renders again with it (or, without it, in the shadow root). */
  private _loadPage(): void {
    if (this._page !== undefined) return;
    this._page = null;
    import('./page-input.js')
      .then(
        (module) => new module.PageInput(this, formStyles),
        () => false as const,
      )
      .then((page) => {
        this._page = page;
        this._host.requestUpdate();
      });
  }

  /** The form for this render; in light-DOM mode, a slot for the form rendered after the update. */
  render(view: CodeFormView): TemplateResult {
    this._view = view;
    this._shown = true;
    const t = view.strings;
    const totp = this._totp;
    const id = this._id;
    const light = this._host.lightDomInput && !this._slotted() && this._page !== false;
    const field = html`<input
      part="input"
      class="input"
      id=${id}
      name="code"
      type="text"
      autocomplete=${totp ? 'one-time-code' : 'off'}
      inputmode=${totp ? 'numeric' : 'text'}
      autocapitalize="none"
      spellcheck="false"
      enterkeyhint="done"
      maxlength="64"
      aria-invalid=${this._invalid}
      aria-describedby="${id}-hint ${id}-error${view.lockedFor > 0 ? ` ${id}-timer` : ''}"
      @paste=${this._paste}
      @input=${this._typed}
    />`;
    const form = html`<form part="form" class="form" novalidate @submit=${this._submit} @keydown=${this._escape}>
      <label part="label" class="label" for=${id} @click=${() => this._slotted()?.focus()}>${this._label(t)}</label>
      <p part="hint" class="hint" id="${id}-hint">${this._hint(t)}</p>
      ${light ? field : html`<slot name="input" @slotchange=${() => this._host.requestUpdate()}>${field}</slot>`}
      <p part="error" class="error" id="${id}-error" role="alert">${this._error}</p>
      ${
        view.lockedFor > 0
          ? html`<p part="countdown" class="hint" id="${id}-timer" role="timer">
              ${t.retryIn(formatDuration(view.lockedFor, view.lang))}
            </p>`
          : nothing
      }
      ${view.extra}
      <div part="actions" class="actions">
        <button part="button submit" class="button primary" type="submit" ?disabled=${view.lockedFor > 0}>
          ${view.submitLabel}
        </button>
        ${
          view.recovery
            ? html`<button part="toggle" class="link" type="button" @click=${this._toggle}>
                ${totp ? t.useRecovery : t.useApp}
              </button>`
            : nothing
        }
        <slot name="cancel" @click=${view.onCancel}>
          ${view.cancel ? html`<button part="button cancel-button" class="button" type="button">${view.cancel}</button>` : nothing}
        </slot>
      </div>
    </form>`;
    if (!light) return form;
    this._lightTemplate = form;
    return html`<slot name="code-form"></slot>`;
  }

  get _totp(): boolean {
    return this.kind === 'totp';
  }

  _label(t: TotpStrings): string {
    return this._totp ? t.codeLabel : t.recoveryLabel;
  }

  _hint(t: TotpStrings): string {
    return this._totp ? t.codeHint(this._view?.digits ?? 6) : t.recoveryHint;
  }

  /** A typed or pasted code in the form the server expects, for the current kind. */
  private _normalize(text: string): string {
    return this._totp ? normalizeCode(text, this._view?.digits) : normalizeRecoveryCode(text);
  }

  private _slotted(): HTMLInputElement | null {
    return this._host.querySelector<HTMLInputElement>(':scope > input[slot="input"]');
  }

  private _setError(message: string, invalid: boolean): void {
    this._error = message;
    this._invalid = invalid && message !== '';
    this._host.requestUpdate();
  }

  /** No error and an empty input. */
  private _clear(): void {
    this._setError('', false);
    const input = this.input;
    if (input) input.value = '';
  }

  _enter = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.isComposing) this._submit(event);
  };

  private _escape = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.isComposing) this._view?.onCancel();
  };

  /** With `auto-submit`: the last digit of a TOTP code submits it, as Enter would. */
  _typed = (event: Event): void => {
    const view = this._view;
    const input = this.input;
    if (view?.autoSubmit && input && this._totp && isTotpCode(this._normalize(input.value), view.digits))
      this._submit(event);
  };

  private _toggle = (): void => {
    this.kind = this._totp ? 'recovery' : 'totp';
    this._clear();
    this.focus();
  };

  _paste = (event: ClipboardEvent): void => {
    const input = event.target as HTMLInputElement;
    const totp = this._totp;
    const code = this._normalize(event.clipboardData?.getData('text/plain') ?? '');
    // Anything that is not a code is pasted as it is; the check on submit explains what is wrong.
    if (!code || (totp && !/^[0-9]+$/.test(code))) return;
    event.preventDefault();
    // A whole code replaces what was there, wherever the caret was; a fragment goes in at the caret.
    if (!totp || code.length >= (this._view?.digits ?? 6)) input.value = code;
    else input.setRangeText(code, input.selectionStart ?? 0, input.selectionEnd ?? 0, 'end');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };

  private _submit = (event: Event): void => {
    event.preventDefault();
    const view = this._view;
    const input = this.input;
    if (!view || !input || view.lockedFor > 0) return;
    const t = view.strings;
    const totp = this._totp;
    const code = this._normalize(input.value);
    if (totp ? !isTotpCode(code, view.digits) : !isRecoveryCode(code)) {
      this.fail(totp ? t.codeFormat(view.digits) : t.recoveryFormat);
      return;
    }
    if (totp) input.value = code;
    this._setError('', false);
    this._onSubmit(code, this.kind);
  };
}
