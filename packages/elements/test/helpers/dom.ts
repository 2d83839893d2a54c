/**
 * Small helpers for reading the elements' shadow DOM in tests.
 */
import { waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';

/** The first node in `element`'s shadow root that matches `selector`; fails the test when there is none. */
export function part<T extends Element = HTMLElement>(element: LitElement, selector: string): T {
  const found = element.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in <${element.localName}> (state ${element.getAttribute('state')})`);
  return found;
}

/** Every node in the shadow root that matches `selector`. */
export function parts<T extends Element = HTMLElement>(element: LitElement, selector: string): T[] {
  return [...(element.shadowRoot?.querySelectorAll<T>(selector) ?? [])];
}

/** Waits until the element reaches `state` and has rendered it. */
export async function untilState(element: LitElement, state: string): Promise<void> {
  await waitUntil(() => element.getAttribute('state') === state, `never reached state ${state}`, { timeout: 3000 });
  await element.updateComplete;
}

/** The visible text of a node, with whitespace collapsed. */
export function text(node: Element): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The element that has focus, looking inside shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Types into an input the way a user does: sets the value and fires `input`. */
export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Submits the element's code form as a click on its submit button would. */
export function submit(element: LitElement): void {
  part<HTMLButtonElement>(element, '[part~="submit"]').click();
}
