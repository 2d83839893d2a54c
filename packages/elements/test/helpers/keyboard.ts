/**
 * Real keyboard input through the test runner (Chrome DevTools Protocol), so Tab really moves
 * focus and Enter really submits, as for a user without a mouse.
 */
import { sendKeys } from '@web/test-runner-commands';
import { deepActiveElement } from './dom.js';

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
export async function tabTo(selector: string, max = 12): Promise<Element> {
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: 'Tab' });
    const active = deepActiveElement();
    if (active?.matches(selector)) return active;
  }
  throw new Error(`Tab never reached ${selector}; focus is on ${deepActiveElement()?.outerHTML.slice(0, 80)}`);
}

/** Presses one key, such as `Enter` or `Space`. */
export function press(key: string): Promise<void> {
  return sendKeys({ press: key });
}

/** Types text into whatever has focus. */
export function typeKeys(text: string): Promise<void> {
  return sendKeys({ type: text });
}
