/**
 * A trusted browser's label, from its User-Agent: "Chrome on macOS", "Safari on iOS". Only a
 * fixed vocabulary is ever produced, so a crafted header cannot put its own text in the user's
 * list; the result is still cleaned and capped, for a label a custom store hands back.
 */

/** The longest label kept. */
export const MAX_LABEL_LENGTH = 64;
export const UNKNOWN_BROWSER = 'Unknown browser';

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and iOS browsers are
// WebKit with their own token (CriOS, FxiOS, EdgiOS).
const BROWSERS: readonly [RegExp, string][] = [
  [/\b(?:Edg|Edge|EdgiOS|EdgA)\//, 'Edge'],
  [/\b(?:OPR|Opera|OPiOS)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\b(?:Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

const first = (table: readonly [RegExp, string][], text: string) => table.find(([pattern]) => pattern.test(text))?.[1];

/** Control characters removed, whitespace collapsed, at most `MAX_LABEL_LENGTH` characters. */
export function cleanLabel(label: string): string {
  const cleaned = label
    .replace(/[\r\n\t]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return [...cleaned].slice(0, MAX_LABEL_LENGTH).join('') || UNKNOWN_BROWSER;
}

/** "<browser> on <system>", "<browser>", or "Unknown browser". */
export function browserLabel(userAgent: string | null | undefined): string {
  if (typeof userAgent !== 'string' || userAgent.length === 0) return UNKNOWN_BROWSER;
  // Long enough for any real User-Agent; a longer header costs no regex time.
  const text = userAgent.slice(0, 512);
  const browser = first(BROWSERS, text);
  if (!browser) return UNKNOWN_BROWSER;
  const system = first(SYSTEMS, text);
  return cleanLabel(system ? `${browser} on ${system}` : browser);
}
