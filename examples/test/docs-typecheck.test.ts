/**
 * Every ```ts and ```tsx block in docs/*.md compiles, strict, against the workspace packages (their
 * built types), each block as a module in a program of its own, so that one block's type
 * augmentation (Passport's `Express.User`, @fastify/session's `Session`) cannot make another pass.
 *
 * - A block marked `<!-- from examples/… -->` is a copy of that file (docs-snippets.test.ts checks
 *   the copy) and the examples' own typecheck compiles the file: it is not compiled again here.
 * - ```ts nocheck opts a block out; its first line says why. Keep them few.
 * - What a snippet takes from the reader's app, it imports from one of the modules in CONTEXT,
 *   which exist only here: the service (`./totpkit.js`) and the app's own session plumbing
 *   (`./app.js`, and `@/lib/…` for the Next.js route).
 *
 * Nothing is written to disk: the blocks are virtual files beside examples/package.json, so that
 * packages resolve as they would in an app, and the lib and package typings are parsed once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = join(root, 'docs');
/** Where the virtual files live: inside examples/, under its package.json (type: module). */
const virtualDir = join(root, 'examples/.docs-typecheck');

/** The reader's app, as the snippets import it. */
const CONTEXT: Record<string, string> = {
  'totpkit.ts': `import type { Totpkit } from '@totpkit/server';
/** The service from createTotpkit (docs/server.md). */
export declare const totpkit: Totpkit;`,
  'app.ts': `import type { TotpUser } from '@totpkit/server';
import type { RequestHandler } from 'express';
import type { FastifyPluginAsync } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
/** The user the app's session holds; totpkit needs its \`id\`. */
export interface AppUser extends TotpUser { authenticatedAt: number }
export declare const sessionMiddleware: RequestHandler;
export declare const sessionPlugin: FastifyPluginAsync;
export declare function userFromSession(request: Request): AppUser | null;
export declare function getUser(request: Request): AppUser | null;
export declare function sessionOf(user: TotpUser): { authenticatedAt: number };
export declare function mail(user: TotpUser, subject: string): Promise<void>;
export declare function yourApp(req: IncomingMessage, res: ServerResponse): void;`,
  'lib/totpkit.ts': `export { totpkit } from '../totpkit.js';`,
  'lib/auth.ts': `import type { AppUser } from '../app.js';
/** Auth.js-style session lookup. */
export declare function auth(): Promise<{ user: AppUser } | null>;`,
};

const options: ts.CompilerOptions = {
  ...ts.convertCompilerOptionsFromJson(
    JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions,
    root,
  ).options,
  noEmit: true,
  types: ['node'],
  jsx: ts.JsxEmit.ReactJSX,
  baseUrl: virtualDir,
  // Next.js apps' own alias, as create-next-app sets it up.
  paths: { '@/lib/*': ['./lib/*.ts'] },
};

interface Block {
  doc: string;
  line: number;
  lang: 'ts' | 'tsx';
  /** The text after the language: `nocheck`, or ''. */
  flags: string;
  /** The `<!-- from … -->` source, or null. */
  source: string | null;
  text: string;
}

function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(docsDir, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|tsx)\b\s*(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`${doc}: the code block at line ${i + 1} is not closed`);
    const marker = /^<!-- from (\S+) -->$/.exec(lines[i - 1] ?? '');
    const text = lines.slice(i + 1, end).join('\n');
    blocks.push({
      doc,
      line: i + 1,
      lang: open[1] as 'ts' | 'tsx',
      flags: open[2]?.trim() ?? '',
      source: marker?.[1] ?? null,
      text,
    });
    i = end;
  }
  return blocks;
}

const blocks = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .flatMap(blocksOf);

// Lib and package typings are the same for every block: parse each once.
const parsed = new Map<string, ts.SourceFile | undefined>();
const virtual = new Map<string, string>(Object.entries(CONTEXT).map(([name, text]) => [join(virtualDir, name), text]));
const host = ts.createCompilerHost(options);
const { fileExists, readFile, getSourceFile } = host;
host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
host.directoryExists = (dir) => dir.startsWith(virtualDir) || ts.sys.directoryExists(dir);
host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
host.getSourceFile = (file, language, onError) => {
  const text = virtual.get(file);
  if (text !== undefined) return ts.createSourceFile(file, text, language, true);
  if (!parsed.has(file)) parsed.set(file, getSourceFile.call(host, file, language, onError));
  return parsed.get(file);
};

/** The block's compile errors, as `line: message` in the doc's own line numbers. */
function compile(block: Block): string[] {
  const file = join(virtualDir, `${block.doc.replace(/\.md$/, '')}-${block.line}.${block.lang}`);
  // A block without import or export is still a module (top-level await, no global leaks).
  const isModule = /^\s*(import|export)\b/m.test(block.text);
  virtual.set(file, isModule ? block.text : `${block.text}\nexport {};\n`);
  try {
    const program = ts.createProgram([file], options, host);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => !diagnostic.file || diagnostic.file.fileName.startsWith(virtualDir))
      .map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) {
          return `${diagnostic.file?.fileName ?? ''} ${message}`;
        }
        const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        return `${block.doc}:${block.line + 1 + line}: ${message}`;
      });
  } finally {
    virtual.delete(file);
  }
}

const checked = blocks.filter((block) => block.source === null && block.flags !== 'nocheck');

describe('code blocks in docs/', () => {
  it('finds the blocks, and each opt-out says why on its first line', () => {
    expect(checked.length).toBeGreaterThan(10);
    for (const block of blocks.filter((b) => b.flags === 'nocheck')) {
      expect(block.text.split('\n')[0], `${block.doc}:${block.line}`).toMatch(/^\/\/ nocheck: \S/);
    }
    expect(blocks.filter((b) => b.flags !== '' && b.flags !== 'nocheck')).toEqual([]);
  });

  // The first block parses the lib and package typings, which takes a while on a busy machine.
  it.each(checked.map((block) => [`${block.doc}:${block.line}`, block] as const))(
    '%s compiles',
    (_, block) => {
      expect(compile(block)).toEqual([]);
    },
    120_000,
  );
});
