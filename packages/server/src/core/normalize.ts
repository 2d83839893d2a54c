import { checkDigits, DEFAULTS } from './options.js';

/**
 * Longest input worth normalising. A code with a space or hyphen between every digit is 15
 * characters; anything far longer is refused before NFKC runs on it, so a 1 MB body costs nothing.
 */
const MAX_INPUT_LENGTH = 64;

/**
 * The one normalisation rule for codes (DESIGN.md): NFKC, which turns full-width digits such as
 * "１２３４５６" into ASCII, then drop ASCII spaces and hyphens, so "123 456" and "123-456"
 * paste cleanly. The result must be exactly `digits` ASCII digits.
 *
 * Everything else is refused, so that a check and a replay key never see two spellings of one
 * code: "12345a", "+12345", "1e5", "123456\n", Arabic-Indic digits, numbers, arrays and null
 * all give `null`. It never throws on `input`, whatever its type.
 *
 * @returns the code as ASCII digits, or `null`.
 * @throws TotpConfigError only when `digits` itself is not 6, 7 or 8.
 */
export function normalizeCode(input: unknown, digits: number = DEFAULTS.digits): string | null {
  checkDigits(digits);
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  // NFKC leaves ASCII unchanged, so the common case skips it.
  const text = isAscii(input) ? input : input.normalize('NFKC');
  let compact = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 45) continue; // ' ' and '-'
    if (code < 48 || code > 57 || compact.length === digits) return null;
    compact += text[i];
  }
  return compact.length === digits ? compact : null;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
