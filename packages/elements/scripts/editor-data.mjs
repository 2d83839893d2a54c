#!/usr/bin/env node
// Writes the editors' view of the elements from custom-elements.json (`build` runs it after the
// analyzer): dist/vscode.html-custom-data.json for VS Code's `html.customData` setting, and
// dist/web-types.json, which JetBrains IDEs find through package.json's `web-types` field. Both
// give tag and attribute completion with the JSDoc descriptions; web-types adds events, slots,
// CSS parts and custom properties, which VS Code's HTML data format has no place for.
//   node scripts/editor-data.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const DOCS = 'https://github.com/totpkit/totpkit/blob/main/docs/elements.md';

const elements = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .filter((declaration) => declaration.customElement && declaration.tagName)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));

/** `'a' | 'b'` → ['a', 'b']; null for any type that is not a union of string literals. */
function literals(typeText) {
  const parts = String(typeText ?? '')
    .split('|')
    .map((part) => part.trim());
  if (!parts.every((part) => /^'[^']*'$/.test(part))) return null;
  return parts.map((part) => part.slice(1, -1));
}

const describe = (declaration) => [declaration.summary, declaration.description].filter(Boolean).join('\n\n');
const docUrl = (tagName) => `${DOCS}#${tagName}`;

const vscode = {
  version: 1.1,
  tags: elements.map((element) => ({
    name: element.tagName,
    description: describe(element),
    attributes: (element.attributes ?? []).map((attribute) => {
      const values = literals(attribute.type?.text);
      return {
        name: attribute.name,
        description: [attribute.description, attribute.default ? `Default: \`${attribute.default}\`.` : '']
          .filter(Boolean)
          .join(' '),
        ...(values ? { values: values.map((name) => ({ name })) } : {}),
        ...(attribute.type?.text === 'boolean' ? { valueSet: 'v' } : {}),
      };
    }),
    references: [{ name: 'docs/elements.md', url: docUrl(element.tagName) }],
  })),
};

const named = (items = []) => items.map(({ name, description }) => ({ name, description: description ?? '' }));

const webTypes = {
  $schema: 'https://json.schemastore.org/web-types',
  name: pkg.name,
  version: pkg.version,
  'description-markup': 'markdown',
  'js-types-syntax': 'typescript',
  contributions: {
    html: {
      elements: elements.map((element) => ({
        name: element.tagName,
        description: describe(element),
        'doc-url': docUrl(element.tagName),
        attributes: (element.attributes ?? []).map((attribute) => ({
          name: attribute.name,
          description: attribute.description ?? '',
          ...(attribute.default ? { default: attribute.default } : {}),
          value: {
            type: attribute.type?.text ?? 'string',
            ...(attribute.type?.text === 'boolean' ? { required: false } : {}),
          },
        })),
        slots: named(element.slots),
        js: {
          events: named(element.events),
          properties: (element.members ?? [])
            .filter((member) => member.kind === 'field' && !member.static && (member.privacy ?? 'public') === 'public')
            .filter((member) => !member.name.startsWith('#') && !member.name.startsWith('_'))
            .map((member) => ({ name: member.name, description: member.description ?? '', type: member.type?.text })),
        },
        css: { parts: named(element.cssParts), properties: named(element.cssProperties) },
      })),
    },
  },
};

mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/vscode.html-custom-data.json', import.meta.url), `${JSON.stringify(vscode, null, 2)}\n`);
writeFileSync(new URL('../dist/web-types.json', import.meta.url), `${JSON.stringify(webTypes, null, 2)}\n`);
console.log(`editor data: ${elements.length} elements → dist/vscode.html-custom-data.json, dist/web-types.json`);
