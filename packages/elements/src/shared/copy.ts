/**
 * Copy buttons. A real `<button>`, so a keyboard reaches it; the result is announced through the
 * element's live region and shown: "Copied" on the button for a moment, or a message under it
 * with the text selected, ready to copy by hand, when the clipboard refuses.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { TotpStrings } from './strings/index.js';
import { button } from './templates.js';

const FEEDBACK_MS = 2000;

export class Copier implements ReactiveController {
  /** The target of the last copy while its feedback shows, and whether the clipboard refused. */
  private _target = '';
  private _failed = false;
  /** The host's state when the feedback was given: a new step starts without it. */
  private _state = '';
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _host: ReactiveControllerHost & HTMLElement & { readonly state: string },
    private readonly _announce: (message: string) => void,
  ) {
    _host.addController(this);
  }

  hostUpdate(): void {
    if (this._host.state !== this._state) this._target = '';
  }

  hostDisconnected(): void {
    clearTimeout(this._timer);
    this._target = '';
  }

  /**
   * A copy button for `text`. `target` is a selector, in the shadow root, of the node that shows
   * the text: it is selected when the clipboard refuses, and tells several buttons apart.
   */
  button(target: string, label: string, text: string, strings: TotpStrings): TemplateResult {
    const shown = this._target === target;
    return html`${button('copy-button', shown && !this._failed ? strings.copied : label, () => this._copy(target, text, strings))}
    ${shown && this._failed ? html`<p part="error copy-error" class="error">${strings.copyFailed}</p>` : nothing}`;
  }

  private async _copy(target: string, text: string, strings: TotpStrings): Promise<void> {
    clearTimeout(this._timer);
    this._state = this._host.state;
    this._target = target;
    try {
      await navigator.clipboard.writeText(text);
      this._failed = false;
      this._timer = setTimeout(() => {
        this._target = '';
        this._host.requestUpdate();
      }, FEEDBACK_MS);
    } catch {
      // Denied permission or an insecure context: the text is selected for copying by hand.
      this._failed = true;
      const node = this._host.shadowRoot?.querySelector(target);
      if (node) getSelection()?.selectAllChildren(node);
    }
    this._announce(this._failed ? strings.copyFailed : strings.copied);
    this._host.requestUpdate();
  }
}
