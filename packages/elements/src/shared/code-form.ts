/**
 * The code form: ONE real input for a TOTP code (or, after "Use a recovery code instead", a
 * recovery code), its visible label, hint and error, and a submit button that is always there.
 *
 * Password managers that cannot see into shadow roots are served two ways:
 * - `light-dom-input` renders the whole form into the element's light DOM (slot `code-form`),
 *   styled by a constructed, `@scope`d style sheet adopted by the page (no `<style>` element, so
 *   a strict Content-Security-Policy allows it), which styles nothing outside the form;
 * - an `<input slot="input">` from the page replaces the built-in input, which is that slot's
 *   fallback content. The element wires it up: attributes, paste, Enter, `aria-invalid`.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, render, type TemplateResult } from 'lit';
import { formatDuration, isRecoveryCode, isTotpCode, normalizeCode, normalizeRecoveryCode } from './format.js';
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
  /** Buttons after submit, such as Cancel. */
  extra?: TemplateResult;
}

let lastId = 0;
let lightSheet: CSSStyleSheet | undefined;

/** Adopts the light-DOM form's style sheet into the document or shadow root that holds `host`. */
function adoptLightStyles(host: HTMLElement): void {
  if (!lightSheet) {
    lightSheet = new CSSStyleSheet();
    lightSheet.replaceSync(`@scope ([data-totp-form]) {${formStyles.cssText}}`);
  }
  const root = host.getRootNode() as Document | ShadowRoot;
  if (!root.adoptedStyleSheets.includes(lightSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, lightSheet];
}

export class CodeForm implements ReactiveController {
  /** The kind of code the input takes now. */
  kind: CodeKind = 'totp';
  private _error = '';
  private _invalid = false;
  private _view: CodeFormView | undefined;
  /** Whether the last render of the host included the form. */
  private _shown = false;
  private _lightTemplate: TemplateResult | undefined;
  private _light: HTMLElement | undefined;
  private _wired: HTMLInputElement | undefined;
  private _ownsLabel = false;
  private readonly _id = `totp-code-${++lastId}`;

  constructor(
    private readonly _host: CodeFormHost,
    private readonly _onSubmit: (code: string, kind: CodeKind) => void,
  ) {
    _host.addController(this);
  }

  /** The input in use: the page's slotted one, or the built-in one wherever it is rendered. */
  get input(): HTMLInputElement | null {
    return this._slotted() ?? (this._light ?? this._host.renderRoot).querySelector<HTMLInputElement>(`#${this._id}`);
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

  hostUpdated(): void {
    const shown = this._shown;
    this._shown = false;
    const template = this._lightTemplate;
    this._lightTemplate = undefined;
    if (template) {
      if (!this._light) {
        this._light = document.createElement('div');
        this._light.slot = 'code-form';
        this._light.dataset.totpForm = '';
        this._host.append(this._light);
      }
      adoptLightStyles(this._host);
      render(template, this._light, { host: this._host });
    } else if (this._light) {
      this._light.remove();
      this._light = undefined;
    }
    this._wireSlotted(shown);
  }

  /** The form for this render; in light-DOM mode, a slot for the form rendered after the update. */
  render(view: CodeFormView): TemplateResult {
    this._view = view;
    this._shown = true;
    const t = view.strings;
    const totp = this.kind === 'totp';
    const id = this._id;
    const light = this._host.lightDomInput && !this._slotted();
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
      aria-invalid=${this._invalid ? 'true' : 'false'}
      aria-describedby="${id}-hint ${id}-error"
      @paste=${this._paste}
    />`;
    const form = html`<form part="form" class="form" novalidate @submit=${this._submit}>
      <label part="label" class="label" for=${id} @click=${this._focusSlotted}>
        ${totp ? t.codeLabel : t.recoveryLabel}
      </label>
      <p part="hint" class="hint" id="${id}-hint">${this._hint(t)}</p>
      ${light ? field : html`<slot name="input" @slotchange=${() => this._host.requestUpdate()}>${field}</slot>`}
      <p part="error" class="error" id="${id}-error" role="alert">${this._error}</p>
      ${
        view.lockedFor > 0
          ? html`<p part="countdown" class="hint" role="timer">${t.retryIn(formatDuration(view.lockedFor))}</p>`
          : nothing
      }
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
        ${view.extra ?? nothing}
      </div>
    </form>`;
    if (!light) return form;
    this._lightTemplate = form;
    return html`<slot name="code-form"></slot>`;
  }

  private _hint(t: TotpStrings): string {
    return this.kind === 'totp' ? t.codeHint(this._view?.digits ?? 6) : t.recoveryHint;
  }

  /** A typed or pasted code in the form the server expects, for the current kind. */
  private _normalize(text: string): string {
    return this.kind === 'totp' ? normalizeCode(text) : normalizeRecoveryCode(text);
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

  /** Applies what the built-in input has in its template to the page's slotted input. */
  private _wireSlotted(shown: boolean): void {
    const input = shown ? this._slotted() : null;
    if (input !== this._wired) {
      this._wired?.removeEventListener('paste', this._paste);
      this._wired?.removeEventListener('keydown', this._enter);
      input?.addEventListener('paste', this._paste);
      input?.addEventListener('keydown', this._enter);
      this._wired = input ?? undefined;
      this._ownsLabel = !!input && !input.labels?.length && !input.hasAttribute('aria-label');
    }
    if (!input || !this._view) return;
    const t = this._view.strings;
    const totp = this.kind === 'totp';
    input.autocomplete = totp ? 'one-time-code' : 'off';
    input.inputMode = totp ? 'numeric' : 'text';
    input.setAttribute('aria-invalid', String(this._invalid));
    // ID references cannot cross into the shadow root, so the label and the error travel as text.
    if (this._ownsLabel) input.setAttribute('aria-label', totp ? t.codeLabel : t.recoveryLabel);
    input.setAttribute('aria-description', this._error || this._hint(t));
  }

  private _focusSlotted = (): void => {
    this._slotted()?.focus();
  };

  private _enter = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.isComposing) this._submit(event);
  };

  private _toggle = (): void => {
    this.kind = this.kind === 'totp' ? 'recovery' : 'totp';
    this._clear();
    this.focus();
  };

  private _paste = (event: ClipboardEvent): void => {
    const input = event.target as HTMLInputElement;
    const totp = this.kind === 'totp';
    const code = this._normalize(event.clipboardData?.getData('text/plain') ?? '');
    // Anything that is not a code is pasted as it is; the check on submit explains what is wrong.
    if (!code || (totp && !/^[0-9]+$/.test(code))) return;
    event.preventDefault();
    // A whole code replaces what was there, wherever the caret was; a fragment goes in at the caret.
    if (!totp || code.length >= (this._view?.digits ?? 6)) input.value = code;
    else input.setRangeText(code, input.selectionStart ?? 0, input.selectionEnd ?? 0, 'end');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };

  private _submit = (event?: Event): void => {
    event?.preventDefault();
    const view = this._view;
    const input = this.input;
    if (!view || !input || view.lockedFor > 0) return;
    const t = view.strings;
    const totp = this.kind === 'totp';
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
