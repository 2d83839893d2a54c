/**
 * Small templates that every element repeats: a button with its parts, and a slot whose default
 * content is one message. Keeping them here keeps the parts and classes the same everywhere.
 */
import { html, type TemplateResult } from 'lit';

/**
 * A `type="button"` with `part="button <name>"`, the `button` class, and `primary` for the main
 * action of a step.
 */
export function button(
  name: string,
  label: string,
  onClick: (event: Event) => void,
  { primary = false, disabled = false } = {},
): TemplateResult {
  return html`<button
    part="button ${name}"
    class="button ${primary ? 'primary' : ''}"
    type="button"
    ?disabled=${disabled}
    @click=${onClick}
  >${label}</button>`;
}

/** A named slot the page can fill; by default it shows `message` (part `message`). */
export function messageSlot(name: string, message: string): TemplateResult {
  return html`<slot name=${name}><p part="message">${message}</p></slot>`;
}
