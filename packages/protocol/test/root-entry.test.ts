import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every source file the root entry loads, following relative imports. */
function importGraph(entry: URL): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (url: URL) => {
    if (files.has(url.href)) return;
    const source = readFileSync(url, 'utf8');
    files.set(url.href, source);
    for (const [, specifier] of source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
      if (specifier?.startsWith('.')) visit(new URL(specifier.replace(/\.js$/, '.ts'), url));
    }
  };
  visit(entry);
  return files;
}

describe('the root entry of @totpkit/protocol', () => {
  const graph = importGraph(new URL('../src/index.ts', import.meta.url));

  it('stays browser-safe: no node: modules, no conformance kit, no OpenAPI generator', () => {
    for (const [file, source] of graph) {
      expect(source, file).not.toMatch(/from 'node:/);
      expect(file).not.toMatch(/\/(conformance|openapi)\//);
    }
  });

  it('imports zod/mini only, never the full zod', () => {
    const zodImports = [...graph.values()].flatMap((source) =>
      [...source.matchAll(/from '(zod[^']*)'/g)].map((m) => m[1]),
    );
    expect(zodImports.length).toBeGreaterThan(0);
    for (const specifier of zodImports) expect(specifier).toBe('zod/mini');
  });
});
