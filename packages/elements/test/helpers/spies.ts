/**
 * Stand-ins for browser features that leave the page: the clipboard, downloads and printing.
 * Each returns a restore function; tests call it in `afterEach`.
 */

/** Replaces `navigator.clipboard.writeText`; `fail` makes it reject like a denied permission. */
export function stubClipboard(fail = false): { written: string[]; restore: () => void } {
  const written: string[] = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: async (text: string) => {
        if (fail) throw new DOMException('denied', 'NotAllowedError');
        written.push(text);
      },
    },
  });
  return { written, restore: () => delete (navigator as { clipboard?: unknown }).clipboard };
}

/** Captures anchor clicks (downloads) instead of letting them navigate. */
export function captureDownloads(): { downloads: { name: string; href: string }[]; restore: () => void } {
  const downloads: { name: string; href: string }[] = [];
  const original = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, href: this.href });
  };
  return { downloads, restore: () => (HTMLAnchorElement.prototype.click = original) };
}

/** Records `print()` calls made on any iframe's window, and the text that was printed. */
export function capturePrints(): { printed: string[]; restore: () => void } {
  const printed: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
  if (!descriptor?.get) throw new Error('contentWindow is not a getter');
  const get = descriptor.get;
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
    configurable: true,
    get(this: HTMLIFrameElement) {
      const win = get.call(this) as Window | null;
      if (win) win.print = () => printed.push(win.document.body.textContent ?? '');
      return win;
    },
  });
  return { printed, restore: () => Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', descriptor) };
}
