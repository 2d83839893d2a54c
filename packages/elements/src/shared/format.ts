/**
 * Text helpers shared by the elements: how keys and codes are shown, typed and sent.
 */

/**
 * The secret key in groups of four characters, the way users copy it into an authenticator app
 * by hand ("JBSW Y3DP EHPK 3PXP"). Spaces are ignored by every app's base32 input.
 */
export function groupKey(secret: string, size = 4): string {
  const compact = secret.replace(/[\s=]/g, '').toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += size) groups.push(compact.slice(i, i + size));
  return groups.join(' ');
}

const DIGIT = /\p{Nd}/u;

/**
 * Digits of any script as ASCII: a digit's value is its offset from the start of its run of
 * decimal digits, since Unicode encodes every script's 0–9 as ten consecutive code points
 * (Arabic-Indic ٣ → 3, Devanagari ३ → 3). Fullwidth and mathematical digits are NFKC's job.
 */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    const point = digit.codePointAt(0) ?? 0;
    let offset = 0;
    while (DIGIT.test(String.fromCodePoint(point - offset - 1))) offset++;
    return String(offset % 10);
  });
}

/**
 * A TOTP code as typed or pasted, in the server's canonical form: NFKC, digits of any script as
 * ASCII, then spaces and hyphens dropped ("123 456" and "١٢٣-٤٥٦" become "123456"). From a
 * pasted sentence ("Your code is 123456.") the code is taken only when exactly one run of
 * `digits` digits is in it; anything else is left for the format check to explain.
 */
export function normalizeCode(input: string, digits = 6): string {
  const text = asciiDigits(input.normalize('NFKC'));
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d*$/.test(compact)) return compact;
  const runs = (text.match(/\d(?:[\s-]?\d)*/g) ?? [])
    .map((run) => run.replace(/\D/g, ''))
    .filter((run) => run.length === digits);
  return runs.length === 1 ? (runs[0] as string) : compact;
}

/** True when a normalised code is exactly `digits` ASCII digits. */
export function isTotpCode(code: string, digits: number): boolean {
  return code.length === digits && /^[0-9]+$/.test(code);
}

/**
 * A recovery code as the user typed it, trimmed and lower-cased. The shape is left to the
 * server, which normalises further: totpkit writes `k7m2q-9xw4t`, other backends their own.
 */
export function normalizeRecoveryCode(input: string): string {
  return asciiDigits(input.normalize('NFKC')).trim().toLowerCase();
}

/** True when a recovery code is plausible: letters, digits, spaces and hyphens, within limits. */
export function isRecoveryCode(code: string): boolean {
  return /^[\p{L}\p{N}][\p{L}\p{N} -]{3,62}[\p{L}\p{N}]$/u.test(code);
}

/**
 * An `Intl` formatter made by `make` for `lang`, or for English when the browser does not know
 * the tag (an `Intl` constructor throws on a malformed one, such as a page's `lang="*"`).
 */
export function intl<F>(lang: string, make: (locale: string) => F): F {
  try {
    return make(lang || 'en');
  } catch {
    return make('en');
  }
}

/**
 * Seconds for the rate-limit countdown in the element's language, with the browser's own unit
 * names (`Intl.NumberFormat`, unit style): "42 seconds", "42 Sekunden"; from a minute on, whole
 * minutes rounded up ("3 minutes"), which also keeps the `role="timer"` text calm. This costs
 * no strings per locale, and a language registered with `registerStrings` gets its units too.
 */
export function formatDuration(seconds: number, lang = 'en'): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const minutes = whole >= 60;
  return intl(
    lang,
    (locale) =>
      new Intl.NumberFormat(locale, { style: 'unit', unit: minutes ? 'minute' : 'second', unitDisplay: 'long' }),
  ).format(minutes ? Math.ceil(whole / 60) : whole);
}
