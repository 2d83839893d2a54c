// Where `?next=` may send the browser: only a path on this site.
//
// A browser resolves a Location header as a URL reference, so `//evil.example`, `/\evil.example`
// (browsers read `\` as `/`), `/%2f%2fevil.example` once something decodes it, and `/\t/evil`
// (the URL parser drops tabs and newlines) all leave the site; `//ai` is a working host, since
// `ai` is a top-level domain. Rather than guess at every spelling, the value must be a plain
// absolute path, and it must still be one after decoding; it is then resolved with URL against a
// fixed origin and must land on that origin. The path rebuilt by URL is what is returned.

const BASE = 'https://demo.invalid';

/** A backslash or a control character (which URL parsing drops or reads as a slash). */
const hasUnsafeCharacter = (text) =>
  [...text].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** `value` when it is a same-origin path, else `fallback`. */
export function safeNext(value, fallback = '/') {
  if (typeof value !== 'string' || value.length > 512) return fallback;
  let decoded;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  for (const candidate of [value, decoded]) {
    // One leading slash, then no slash or backslash; no backslash or control character anywhere.
    if (!/^\/(?![/\\])/.test(candidate) || hasUnsafeCharacter(candidate)) return fallback;
  }
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
