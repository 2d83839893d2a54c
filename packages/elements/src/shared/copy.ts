/**
 * Copy buttons. A real `<button>`, so a keyboard reaches it; the result is announced through the
 * element's live region and shown on the button for a moment.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { TotpStrings } from './strings/index.js';
import { button } from './templates.js';

const FEEDBACK_MS = 2000;

export class Copier implements ReactiveController {
  /** Which button copied last, while its "Copied" feedback shows. */
  private _copied = '';
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _announce: (message: string) => void,
  ) {
    _host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this._timer);
    this._copied = '';
  }

  /** A copy button for `text`; `key` tells several buttons of one element apart. */
  button(key: string, label: string, text: string, strings: TotpStrings): TemplateResult {
    return button('copy-button', this._copied === key ? strings.copied : label, () => this._copy(key, text, strings));
  }

  private async _copy(key: string, text: string, strings: TotpStrings): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Denied permission or an insecure context: say so, the text stays on screen to select.
      this._announce(strings.copyFailed);
      return;
    }
    this._copied = key;
    this._announce(strings.copied);
    this._host.requestUpdate();
    clearTimeout(this._timer);
    this._timer = setTimeout(() => {
      this._copied = '';
      this._host.requestUpdate();
    }, FEEDBACK_MS);
  }
}
