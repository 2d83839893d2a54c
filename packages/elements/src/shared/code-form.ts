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
  private error = '';
  private invalid = false;
  private view: CodeFormView | undefined;
  /** Whether the last render of the host included the form. */
  private shown = false;
  private lightTemplate: TemplateResult | undefined;
  private light: HTMLElement | undefined;
  private wired: HTMLInputElement | undefined;
  private ownsLabel = false;
  private readonly id = `totp-code-${++lastId}`;

  constructor(
    private readonly host: CodeFormHost,
    private readonly onSubmit: (code: string, kind: CodeKind) => void,
  ) {
    host.addController(this);
  }

  /** The input in use: the page's slotted one, or the built-in one wherever it is rendered. */
  get input(): HTMLInputElement | null {
    return this.slotted() ?? (this.light ?? this.host.renderRoot).querySelector<HTMLInputElement>(`#${this.id}`);
  }

  /** Back to an empty TOTP input without an error, for a fresh step. */
  reset(): void {
    this.kind = 'totp';
    this.setError('', false);
    const input = this.input;
    if (input) input.value = '';
  }

  /** Shows `message` under the input and puts focus back in it, with the text selected for retyping. */
  fail(message: string, invalid = true): void {
    this.setError(message, invalid);
    this.host.updateComplete.then(() => {
      const input = this.input;
      input?.focus();
      input?.select();
    });
  }

  /** Moves focus into the input. */
  focus(): void {
    this.host.updateComplete.then(() => this.input?.focus());
  }

  hostUpdated(): void {
    const shown = this.shown;
    this.shown = false;
    const template = this.lightTemplate;
    this.lightTemplate = undefined;
    if (template) {
      if (!this.light) {
        this.light = document.createElement('div');
        this.light.slot = 'code-form';
        this.light.dataset.totpForm = '';
        this.host.append(this.light);
      }
      adoptLightStyles(this.host);
      render(template, this.light, { host: this.host });
    } else if (this.light) {
      this.light.remove();
      this.light = undefined;
    }
    this.wireSlotted(shown);
  }

  /** The form for this render; in light-DOM mode, a slot for the form rendered after the update. */
  render(view: CodeFormView): TemplateResult {
    this.view = view;
    this.shown = true;
    const t = view.strings;
    const totp = this.kind === 'totp';
    const slotted = this.slotted();
    const light = this.host.lightDomInput && !slotted;
    const field = html`<input
      part="input"
      class="input"
      id=${this.id}
      name="code"
      type="text"
      autocomplete=${totp ? 'one-time-code' : 'off'}
      inputmode=${totp ? 'numeric' : 'text'}
      autocapitalize="none"
      spellcheck="false"
      enterkeyhint="done"
      maxlength="64"
      aria-invalid=${this.invalid ? 'true' : 'false'}
      aria-describedby="${this.id}-hint ${this.id}-error"
      @paste=${this.paste}
    />`;
    const form = html`<form part="form" class="form" novalidate @submit=${this.submit}>
      <label part="label" class="label" for=${this.id} @click=${this.focusSlotted}>
        ${totp ? t.codeLabel : t.recoveryLabel}
      </label>
      <p part="hint" class="hint" id="${this.id}-hint">${totp ? t.codeHint(view.digits) : t.recoveryHint}</p>
      ${light ? field : html`<slot name="input" @slotchange=${() => this.host.requestUpdate()}>${field}</slot>`}
      <p part="error" class="error" id="${this.id}-error" role="alert">${this.error}</p>
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
            ? html`<button part="toggle" class="link" type="button" @click=${this.toggle}>
                ${totp ? t.useRecovery : t.useApp}
              </button>`
            : nothing
        }
        ${view.extra ?? nothing}
      </div>
    </form>`;
    if (!light) return form;
    this.lightTemplate = form;
    return html`<slot name="code-form"></slot>`;
  }

  private slotted(): HTMLInputElement | null {
    return this.host.querySelector<HTMLInputElement>(':scope > input[slot="input"]');
  }

  private setError(message: string, invalid: boolean): void {
    this.error = message;
    this.invalid = invalid && message !== '';
    this.host.requestUpdate();
  }

  /** Applies what the built-in input has in its template to the page's slotted input. */
  private wireSlotted(shown: boolean): void {
    const input = shown ? this.slotted() : null;
    if (input !== this.wired) {
      this.wired?.removeEventListener('paste', this.paste);
      this.wired?.removeEventListener('keydown', this.enter);
      input?.addEventListener('paste', this.paste);
      input?.addEventListener('keydown', this.enter);
      this.wired = input ?? undefined;
      this.ownsLabel = !!input && !input.labels?.length && !input.hasAttribute('aria-label');
    }
    if (!input || !this.view) return;
    const t = this.view.strings;
    const totp = this.kind === 'totp';
    input.autocomplete = totp ? 'one-time-code' : 'off';
    input.inputMode = totp ? 'numeric' : 'text';
    input.setAttribute('aria-invalid', String(this.invalid));
    // ID references cannot cross into the shadow root, so the label and the error travel as text.
    if (this.ownsLabel) input.setAttribute('aria-label', totp ? t.codeLabel : t.recoveryLabel);
    input.setAttribute('aria-description', this.error || (totp ? t.codeHint(this.view.digits) : t.recoveryHint));
  }

  private focusSlotted = (): void => {
    this.slotted()?.focus();
  };

  private enter = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.isComposing) this.submit(event);
  };

  private toggle = (): void => {
    this.kind = this.kind === 'totp' ? 'recovery' : 'totp';
    this.setError('', false);
    const input = this.input;
    if (input) input.value = '';
    this.focus();
  };

  private paste = (event: ClipboardEvent): void => {
    const input = event.target as HTMLInputElement;
    const text = event.clipboardData?.getData('text/plain') ?? '';
    const totp = this.kind === 'totp';
    const code = totp ? normalizeCode(text) : normalizeRecoveryCode(text);
    // Anything that is not a code is pasted as it is; the check on submit explains what is wrong.
    if (!code || (totp && !/^[0-9]+$/.test(code))) return;
    event.preventDefault();
    // A whole code replaces what was there, wherever the caret was; a fragment goes in at the caret.
    if (!totp || code.length >= (this.view?.digits ?? 6)) input.value = code;
    else input.setRangeText(code, input.selectionStart ?? 0, input.selectionEnd ?? 0, 'end');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };

  private submit = (event?: Event): void => {
    event?.preventDefault();
    const view = this.view;
    const input = this.input;
    if (!view || !input || view.lockedFor > 0) return;
    const t = view.strings;
    const totp = this.kind === 'totp';
    const code = totp ? normalizeCode(input.value) : normalizeRecoveryCode(input.value);
    if (totp ? !isTotpCode(code, view.digits) : !isRecoveryCode(code)) {
      this.fail(totp ? t.codeFormat(view.digits) : t.recoveryFormat);
      return;
    }
    if (totp) input.value = code;
    this.setError('', false);
    this.onSubmit(code, this.kind);
  };
}
