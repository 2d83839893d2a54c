/**
 * Every test that docs/security.md's checklist (§7) names must exist, so a reviewer who signs off
 * on an item can find its proof. The page cites tests as `path` › "describe › test name", several
 * names per path separated by commas, with "… › name" repeating the previous name's describe
 * blocks (its "How tests are cited" paragraph). Each part of a name is looked up as a whole string
 * literal ('…', "…" or `…`) in the cited file: describe and test titles, parameterised ones
 * (${…}, %s, $name) as written. A grep, not a run: it needs neither the services nor the browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const PAGE = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');

export interface Citation {
  /** Checklist item number. */
  item: string;
  path: string;
  /** The describe blocks and the test name, outermost first. */
  parts: string[];
}

/** The rows of the section whose heading starts with `heading`. */
function sectionRows(page: string, heading: string): string[] {
  const start = page.indexOf(`\n## ${heading}`);
  if (start === -1) throw new Error(`docs/security.md has no section "${heading}"`);
  const end = page.indexOf('\n## ', start + 1);
  return page
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line));
}

/** A path in backticks, ›, then quoted names joined by commas or "and", each maybe with a [case]. */
const CITATION = /`([^`\s]+\.(?:ts|mjs|js))` › ((?:"[^"]+"(?: \[[^\]]*\])?(?:, |,? and )?)+)/g;

export function citationsOf(page: string): Citation[] {
  const citations: Citation[] = [];
  for (const row of sectionRows(page, '7.')) {
    const item = row.split('|')[1]?.trim() ?? '?';
    for (const match of row.matchAll(CITATION)) {
      let previous: string[] = [];
      for (const [, name] of (match[2] as string).matchAll(/"([^"]+)"/g)) {
        let parts = (name as string).split(' › ');
        if (parts[0] === '…') parts = [...previous.slice(0, -1), ...parts.slice(1)];
        citations.push({ item, path: match[1] as string, parts });
        previous = parts;
      }
    }
  }
  return citations;
}

/** True when `title` is a whole string literal of `source`. */
function hasTitle(source: string, title: string): boolean {
  const unescaped = source.replace(/\\(['"`])/g, '$1');
  return ["'", '"', '`'].some((quote) => unescaped.includes(`${quote}${title}${quote}`));
}

describe('docs/security.md checklist citations', () => {
  const citations = citationsOf(PAGE);

  it('finds the citations of every checklist item that names tests', () => {
    expect(citations.length).toBeGreaterThan(80);
    expect(new Set(citations.map((c) => c.item)).size).toBeGreaterThan(30);
  });

  it('cites only files that exist, and test names each of them holds', () => {
    const missing: string[] = [];
    const sources = new Map<string, string | null>();
    for (const { item, path, parts } of citations) {
      if (!sources.has(path)) {
        const file = join(ROOT, path);
        sources.set(path, existsSync(file) ? readFileSync(file, 'utf8') : null);
      }
      const source = sources.get(path);
      if (source === null || source === undefined) {
        missing.push(`item ${item}: no file ${path}`);
        continue;
      }
      const absent = parts.filter((part) => !hasTitle(source, part));
      if (absent.length > 0)
        missing.push(`item ${item}: ${path} › "${parts.join(' › ')}" (no ${JSON.stringify(absent)})`);
    }
    expect(missing).toEqual([]);
  });

  it('reads a citation the way the page writes them', () => {
    const row =
      '| 99 | x | ✅ | `a/b.test.ts` › "outer › first", "… › second" [case] and "other › third"; `c.ts` › "d › e" |';
    const page = `\n## 7. Checklist\n\n${row}\n\n## 8. Next\n`;
    expect(citationsOf(page)).toEqual([
      { item: '99', path: 'a/b.test.ts', parts: ['outer', 'first'] },
      { item: '99', path: 'a/b.test.ts', parts: ['outer', 'second'] },
      { item: '99', path: 'a/b.test.ts', parts: ['other', 'third'] },
      { item: '99', path: 'c.ts', parts: ['d', 'e'] },
    ]);
  });
});
