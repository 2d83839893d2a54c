// An esbuild plugin for the no-build bundle: minifies the static text of lit's `css` and `html`
// tagged templates, which esbuild leaves as written (indentation, comments, line breaks).
//
// - css: comments go, whitespace runs become one space, and the spaces around `{ } ; ,` and after
//   `:` go, as does the `;` before `}`. Quoted strings are kept as they are.
// - html: only whitespace runs that contain a line break change, so text on one line is never
//   touched. Such a run disappears when it sits between two tag edges (`>` … `<`) or between a tag
//   edge and an expression `${…}`, and becomes one space anywhere else (between attributes,
//   between words, between a word and an expression). So `<button>\n  ${label}\n</button>` renders
//   `label` without the layout-irrelevant indentation, while `Hello\n${name}` keeps its space.
//   Templates with `<pre` or `<textarea`, where whitespace is content, are left alone.
//
// Templates are found with the TypeScript parser, not with regular expressions, so backticks in
// strings, comments and regular-expression literals cannot confuse it.
import ts from 'typescript';

const STRING = /('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")/;
const COMMENT_OR_STRING = /\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g;

/** The minified form of one static part of a `css` template; `first`/`last` trim the template's ends. */
export function minifyCss(text, first = true, last = true) {
  // Comments and strings are matched together so that a quote in a comment (or `/*` in a string) is
  // read for what it is; strings are kept as written.
  const pieces = text.replace(COMMENT_OR_STRING, (match) => (match.startsWith('/*') ? ' ' : match)).split(STRING);
  return pieces
    .map((piece, index) =>
      index % 2 === 1
        ? piece
        : piece
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};,]) ?/g, '$1')
            .replace(/: /g, ':')
            .replace(/;}/g, '}'),
    )
    .join('')
    .replace(first ? /^ / : /$^/, '')
    .replace(last ? / $/ : /$^/, '');
}

/**
 * The minified form of one static part of an `html` template. Its start and end are next to an
 * expression or the template's own edge, and count as tag edges.
 */
export function minifyHtml(text) {
  return text.replace(/\s*\n\s*/g, (run, offset) => {
    const before = offset === 0 ? '>' : text[offset - 1];
    const end = offset + run.length;
    const after = end === text.length ? '<' : text[end];
    return before === '>' && after === '<' ? '' : ' ';
  });
}

/** Minifies the `css` and `html` templates of a TypeScript module; returns the new source. */
export function minifyTemplates(source, fileName = 'module.ts') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  /** @type {{ start: number, end: number, text: string }[]} */
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(css|html)$/.test(node.tag.text)) {
      const minify = node.tag.text === 'css' ? minifyCss : minifyHtml;
      const parts = ts.isNoSubstitutionTemplateLiteral(node.template)
        ? [node.template]
        : [node.template.head, ...node.template.templateSpans.map((span) => span.literal)];
      const raw = parts.map((part) => part.rawText ?? '');
      const keep = node.tag.text === 'html' && raw.some((text) => /<(pre|textarea)\b/i.test(text));
      if (!keep) {
        for (const part of parts) {
          // A part's source is its raw text between "`" or "}" and "`" or "${".
          const start = part.getStart(file) + 1;
          const end =
            part.end - (part.kind === ts.SyntaxKind.TemplateHead || part.kind === ts.SyntaxKind.TemplateMiddle ? 2 : 1);
          const index = parts.indexOf(part);
          edits.push({ start, end, text: minify(source.slice(start, end), index === 0, index === parts.length - 1) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let result = source;
  for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, start) + text + result.slice(end);
  }
  return result;
}
