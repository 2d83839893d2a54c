/**
 * The two ways a page can put the code input where password managers see it, loaded only by
 * pages that use one (see `code-form.ts`):
 * - `light-dom-input`: the whole form is rendered into the element's light DOM (slot `code-form`),
 *   styled by a constructed, `@scope`d style sheet adopted by the page (no `<style>` element, so
 *   a strict Content-Security-Policy allows it), which styles nothing outside the form;
 * - `<input slot="input">`: the page's input gets what the built-in one has in its template:
 *   autocomplete, inputmode, `aria-invalid`, a label and a description, paste and Enter.
 */
import { type CSSResult, render, type TemplateResult } from 'lit';
import type { CodeForm } from './code-form.js';
import { formatDuration } from './format.js';

let lightSheet: CSSStyleSheet | undefined;

/** Adopts the light-DOM form's style sheet (`styles`, scoped) into the document or shadow root that holds `host`. */
function adoptLightStyles(host: HTMLElement, styles: CSSResult): void {
  if (!host.isConnected) return;
  if (!lightSheet) {
    lightSheet = new CSSStyleSheet();
    lightSheet.replaceSync(`@scope ([data-totp-form]) {${styles.cssText}}`);
  }
  const root = host.getRootNode() as Document | ShadowRoot;
  if (!root.adoptedStyleSheets.includes(lightSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, lightSheet];
}

export class PageInput {
  /** The light-DOM container of the form, while it is rendered there. */
  light: HTMLElement | undefined;
  private _wired: HTMLInputElement | null = null;
  private _ownsLabel = false;

  /** `formStyles` are the code form's styles, which the light-DOM form gets inside `@scope`. */
  constructor(
    private readonly _form: CodeForm,
    private readonly _formStyles: CSSResult,
  ) {}

  /** After each update of the host: the light-DOM form (`template`, or none) and the slotted input. */
  update(template: TemplateResult | undefined, slotted: HTMLInputElement | null): void {
    const host = this._form._host;
    if (template) {
      if (!this.light) {
        this.light = document.createElement('div');
        this.light.slot = 'code-form';
        this.light.dataset.totpForm = '';
        host.append(this.light);
      }
      adoptLightStyles(host, this._formStyles);
      render(template, this.light, { host });
    } else {
      this.light?.remove();
      this.light = undefined;
    }
    this._wire(slotted);
  }

  /** Applies what the built-in input has in its template to the page's slotted input. */
  private _wire(input: HTMLInputElement | null): void {
    const form = this._form;
    const view = form._view;
    if (input !== this._wired) {
      this._wired?.removeEventListener('paste', form._paste);
      this._wired?.removeEventListener('keydown', form._enter);
      this._wired?.removeEventListener('input', form._typed);
      input?.addEventListener('paste', form._paste);
      input?.addEventListener('keydown', form._enter);
      input?.addEventListener('input', form._typed);
      this._wired = input;
      this._ownsLabel = !!input && !input.labels?.length && !input.hasAttribute('aria-label');
    }
    if (!input || !view) return;
    const totp = form._totp;
    input.autocomplete = totp ? 'one-time-code' : 'off';
    input.inputMode = totp ? 'numeric' : 'text';
    input.setAttribute('aria-invalid', String(form._invalid));
    // ID references cannot cross into the shadow root, so the label, the error and a rate limit's
    // wait travel as text.
    if (this._ownsLabel) input.setAttribute('aria-label', form._label(view.strings));
    const wait = view.lockedFor > 0 ? ` ${view.strings.retryIn(formatDuration(view.lockedFor, view.lang))}` : '';
    input.setAttribute('aria-description', (form._error || form._hint(view.strings)) + wait);
  }
}
