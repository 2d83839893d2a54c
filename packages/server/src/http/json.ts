/**
 * JSON parsing that refuses duplicate object keys. RFC 8259 §4 leaves their meaning open ("many
 * implementations report the last name/value pair only"), and a proxy, WAF or log that reads the
 * first while the server reads the last is a known way to smuggle a value past a check (Bishop Fox,
 * "An Exploration of JSON Interoperability Vulnerabilities", 2021). So a request with one is
 * refused rather than guessed at.
 */

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The body is not valid JSON.' };
  }
  if (hasDuplicateKey(text)) return { ok: false, message: 'The body has a duplicate key.' };
  return { ok: true, value };
}

/**
 * True when an object in `text` (already known to be valid JSON) repeats a key. Keys are compared
 * after unescaping, so `"code"` and `"co\u0064e"` are the same. Iterative, so nesting depth costs
 * no stack.
 */
function hasDuplicateKey(text: string): boolean {
  const open: (Set<string> | null)[] = []; // a Set of keys per object, null per array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '{') {
      open.push(new Set());
      expectKey = true;
    } else if (char === '[') {
      open.push(null);
      expectKey = false;
    } else if (char === '}' || char === ']') {
      open.pop();
      expectKey = false;
    } else if (char === ',') {
      expectKey = open.at(-1) instanceof Set;
    } else if (char === '"') {
      let end = i + 1;
      let escaped = false;
      while (text[end] !== '"') {
        if (text[end] === '\\') {
          escaped = true;
          end += 2;
        } else end += 1;
      }
      const keys = open.at(-1);
      if (expectKey && keys instanceof Set) {
        // Only a key with an escape needs unescaping; the others are their own text.
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (keys.has(key)) return true;
        keys.add(key);
      }
      expectKey = false;
      i = end;
    }
  }
  return false;
}
