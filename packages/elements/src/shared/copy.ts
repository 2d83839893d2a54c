/**
 * Copy buttons. A real `<button>`, so a keyboard reaches it; the result is announced through the
 * element's live region and shown on the button for a moment.
 */
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { TotpStrings } from './strings/index.js';

const FEEDBACK_MS = 2000;

export class Copier implements ReactiveController {
  /** Which button copied last, while its "Copied" feedback shows. */
  private copied = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly announce: (message: string) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.copied = '';
  }

  /** A copy button for `text`; `key` tells several buttons of one element apart. */
  button(key: string, label: string, text: string, strings: TotpStrings): TemplateResult {
    return html`<button part="button copy-button" class="button" type="button" @click=${() => this.copy(key, text, strings)}>
      ${this.copied === key ? strings.copied : label}
    </button>`;
  }

  private async copy(key: string, text: string, strings: TotpStrings): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Denied permission or an insecure context: say so, the text stays on screen to select.
      this.announce(strings.copyFailed);
      return;
    }
    this.copied = key;
    this.announce(strings.copied);
    this.host.requestUpdate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.copied = '';
      this.host.requestUpdate();
    }, FEEDBACK_MS);
  }
}
