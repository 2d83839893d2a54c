import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every source file an entry loads, following relative imports (with `runtime`, not `import type`). */
function importGraph(entry: URL, runtime = false): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (url: URL) => {
    if (files.has(url.href)) return;
    const source = readFileSync(url, 'utf8');
    files.set(url.href, source);
    for (const [statement, specifier] of source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
      if (runtime && /^(import|export) type /.test(statement)) continue;
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

describe('the check entry of @totpkit/protocol (@totpkit/protocol/check)', () => {
  const graph = importGraph(new URL('../src/check/index.ts', import.meta.url), true);

  it('loads no zod at run time: the schemas reach it only as the generated table', () => {
    const files = [...graph.keys()].map((file) => file.replace(/.*\/src\//, ''));
    expect(files.sort()).toEqual(['check/check.ts', 'check/index.ts', 'check/responses.gen.ts', 'version.ts']);
    for (const [file, source] of graph) {
      for (const [statement] of source.matchAll(/^import\b[^;]*from 'zod[^']*'/gm)) {
        expect(statement, file).toMatch(/^import type /);
      }
    }
  });

  it('leaves out the generator, which needs zod', () => {
    expect([...graph.keys()].some((file) => file.endsWith('/check/generate.ts'))).toBe(false);
  });
});
