/**
 * docs/getting-started.md shows only code that the other tests run. Each code block there is
 * copied from a file under examples/, named on the line before it:
 *
 *     <!-- from examples/server/express.ts -->
 *     ```ts
 *     …
 *     ```
 *
 * and must appear in that file line for line (a block cut out of an indented place may be shown
 * with the common indentation removed). Only shell commands (`sh` blocks) need no source. Edit an
 * example without updating the doc, or the doc without the example, and this test fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');

interface Block {
  /** 1-based line of the opening fence in the doc. */
  line: number;
  lang: string;
  /** The path after `<!-- from `, or null when the block has no marker. */
  source: string | null;
  text: string;
}

function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`the code block at line ${i + 1} is not closed`);
    const marker = /^<!-- from (\S+) -->$/.exec(lines[i - 1] ?? '');
    blocks.push({
      line: i + 1,
      lang: open[1] ?? '',
      source: marker?.[1] ?? null,
      text: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return blocks;
}

/** True when `snippet` is a run of whole lines of `file`, the same but for a common indentation. */
function isCopiedFrom(snippet: string, file: string): boolean {
  const wanted = snippet.split('\n');
  const lines = file.split('\n');
  for (let start = 0; start + wanted.length <= lines.length; start++) {
    const run = lines.slice(start, start + wanted.length);
    const indent = Math.min(
      ...run.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
    );
    if (run.every((line, k) => line.slice(indent) === wanted[k] || (line.trim() === '' && wanted[k] === '')))
      return true;
  }
  return false;
}

const blocks = codeBlocks(doc);

describe('docs/getting-started.md', () => {
  it('has a source for every code block but shell commands', () => {
    const unmarked = blocks.filter((block) => block.source === null && block.lang !== 'sh');
    expect(unmarked.map((block) => `line ${block.line}: ${block.lang}`)).toEqual([]);
  });

  it('shows every example', () => {
    const shown = new Set(blocks.map((block) => block.source));
    for (const example of [
      'examples/server/totpkit.ts',
      'examples/server/sessions.ts',
      'examples/server/express.ts',
      'examples/server/fastify.ts',
      'examples/server/hono.ts',
      'examples/server/next-route.ts',
      'examples/elements/plain.html',
      'examples/elements/login.html',
      'examples/elements/react.tsx',
      'examples/next/app/settings/two-factor/page.tsx',
      'examples/elements/vue.ts',
      'examples/nuxt/nuxt.config.ts',
    ]) {
      expect(shown, example).toContain(example);
    }
  });

  describe.each(blocks.filter((block) => block.source !== null))('the block at line $line', (block) => {
    it(`is copied from ${block.source}`, () => {
      const path = join(root, block.source as string);
      expect(existsSync(path), `${block.source} exists`).toBe(true);
      expect(block.text.trim(), 'the block is empty').not.toBe('');
      expect(
        isCopiedFrom(block.text, readFileSync(path, 'utf8')),
        `line ${block.line} drifted from ${block.source}`,
      ).toBe(true);
    });
  });
});

describe('the snippet check itself', () => {
  const file = ['function f() {', '  if (x) {', '    return 1;', '', '  }', '}'].join('\n');

  it('accepts whole lines, and a block shown with its common indentation removed', () => {
    expect(isCopiedFrom('function f() {\n  if (x) {', file)).toBe(true);
    expect(isCopiedFrom('if (x) {\n  return 1;\n\n}', file)).toBe(true);
  });

  it('refuses a changed line, a changed relative indentation and a part of a line', () => {
    expect(isCopiedFrom('if (x) {\n  return 2;', file)).toBe(false);
    expect(isCopiedFrom('if (x) {\nreturn 1;', file)).toBe(false);
    expect(isCopiedFrom('return', file)).toBe(false);
  });

  it('finds blocks, their language and their source', () => {
    const markdown = ['<!-- from a.ts -->', '```ts', 'x', '```', '', '```sh', 'npm i', '```'].join('\n');
    expect(codeBlocks(markdown)).toEqual([
      { line: 2, lang: 'ts', source: 'a.ts', text: 'x' },
      { line: 6, lang: 'sh', source: null, text: 'npm i' },
    ]);
  });
});
