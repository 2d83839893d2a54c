/**
 * Locale selection. English ships in the main bundle; German, French and Spanish are built in
 * too but load on first use, so a page pays only for the language it shows. A page adds or
 * rewords a language once for every element with `registerStrings`, and replaces the fallback
 * texts (English) with `setDefaultStrings`.
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

/** Texts the page registered, by lower-case language tag (`registerStrings`). */
const registered = new Map<string, TotpStringOverrides>();
/** The fallback for every key a language leaves out (`setDefaultStrings`). */
let defaults: TotpStringOverrides = {};
/** Re-renders every connected element after a registration; each element adds itself here. */
export const stringsListeners = new Set<() => void>();

const changed = () => {
  for (const listener of stringsListeners) listener();
};

/**
 * Adds a language, or rewords one, for every element on the page: `registerStrings('it', {…})`
 * makes `lang="it"` (and `it-CH`) show those texts, and keys left out fall back to the defaults.
 * For a built-in language the texts go on top of the built-in ones. A regional tag (`pt-BR`)
 * beats its base language (`pt`). Elements already on the page re-render.
 */
export function registerStrings(lang: string, strings: TotpStringOverrides): void {
  const tag = lang.toLowerCase().replace('_', '-');
  registered.set(tag, { ...registered.get(tag), ...strings });
  changed();
}

/**
 * Replaces the fallback texts of every element: keys a language leaves out come from here, then
 * from English. `setDefaultStrings({})` goes back to English alone.
 */
export function setDefaultStrings(strings: TotpStringOverrides): void {
  defaults = strings;
  changed();
}

/**
 * The texts for `lang`: English, the page's defaults, the built-in locale, the page's registered
 * base language and regional tag, then the element's own `strings`. A built-in locale that is not
 * loaded yet starts loading and calls `onLoad` when done; English shows meanwhile.
 */
export function stringsFor(lang: string, overrides: TotpStringOverrides | undefined, onLoad: () => void): TotpStrings {
  const tag = lang.trim().toLowerCase().replace('_', '-');
  const base = tag.split('-')[0] ?? '';
  return {
    ...en,
    ...defaults,
    ...(Object.hasOwn(loaders, base) ? loadedStrings(base, onLoad) : undefined),
    ...registered.get(base),
    ...(tag !== base ? registered.get(tag) : undefined),
    ...overrides,
  };
}

/**
 * The texts of a built-in locale when it is loaded. Otherwise starts loading it, calls
 * `onLoad` when done, and returns undefined so the caller shows English meanwhile.
 */
function loadedStrings(locale: string, onLoad: () => void): TotpStrings | undefined {
  locales[locale] ??= loaders[locale]?.().then((module) => {
    locales[locale] = module[locale];
  });
  const entry = locales[locale];
  if (!(entry instanceof Promise)) return entry;
  // A locale chunk that fails to load leaves the element in English, which is still usable.
  entry.then(onLoad, () => undefined);
  return undefined;
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
