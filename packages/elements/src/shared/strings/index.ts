/**
 * Locale selection. English ships in the main bundle; German, French and Spanish are built in
 * too but load on first use, so a page pays only for the language it shows.
 */
import { en, type TotpStrings } from './en.js';

export { en, type TotpStrings };

/** A `strings` override: any subset of the texts. */
export type TotpStringOverrides = Partial<TotpStrings>;

/** Each locale's module, which exports its texts under the locale's name. */
const loaders: Record<string, () => Promise<Record<string, TotpStrings>>> = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
};

/** Each built-in locale once asked for: its texts when loaded, the promise of them until then. */
const locales: Record<string, TotpStrings | Promise<void> | undefined> = { en };

/** The built-in locale for a BCP 47 tag: `de-CH` → `de`; anything unknown → `en`. */
export function localeFor(lang: string): string {
  const base = lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(loaders, base) ? base : 'en';
}

/**
 * The texts of a built-in locale when it is loaded. Otherwise starts loading it, calls
 * `onLoad` when done, and returns undefined so the caller shows English meanwhile.
 */
export function loadedStrings(locale: string, onLoad: () => void): TotpStrings | undefined {
  locales[locale] ??= loaders[locale]?.().then((module) => {
    locales[locale] = module[locale];
  });
  const entry = locales[locale];
  if (!(entry instanceof Promise)) return entry;
  // A locale chunk that fails to load leaves the element in English, which is still usable.
  entry.then(onLoad, () => undefined);
  return undefined;
}

/** English, then the locale, then the page's overrides: a key missing anywhere falls back to English. */
export function mergeStrings(locale: TotpStrings | undefined, overrides: TotpStringOverrides | undefined): TotpStrings {
  return { ...en, ...locale, ...overrides };
}

/** The `lang` an element inherits: the nearest `lang` attribute above it, across shadow roots. */
export function inheritedLang(element: Element): string {
  let node: Node | null = element.parentNode;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') ?? '';
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return '';
}
