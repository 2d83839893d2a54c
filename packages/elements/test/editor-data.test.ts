/**
 * The editor data written at build by scripts/editor-data.mjs (dist/vscode.html-custom-data.json
 * for VS Code, dist/web-types.json for JetBrains IDEs) against the elements themselves: every tag
 * is defined, every attribute it offers is one the element observes, and nothing the element
 * observes is missing, so completion never suggests an attribute that does nothing.
 */
import { expect } from '@open-wc/testing';
import '../src/index.js';

interface VsCodeData {
  version: number;
  tags: { name: string; description: string; attributes: { name: string; values?: { name: string }[] }[] }[];
}
interface WebTypes {
  name: string;
  contributions: {
    html: {
      elements: {
        name: string;
        attributes: { name: string }[];
        js: { events: { name: string }[] };
        css: { parts: { name: string }[] };
      }[];
    };
  };
}

const load = async <T>(path: string): Promise<T> => {
  const response = await fetch(path);
  expect(response.status, `${path} (built by npm run build)`).to.equal(200);
  return (await response.json()) as T;
};

/** The attributes the element defined as `name` reacts to (lit's observedAttributes). */
const observed = (name: string) =>
  [...((customElements.get(name) as unknown as { observedAttributes: string[] }).observedAttributes ?? [])].sort();

const TAGS = ['totp-activate', 'totp-deactivate', 'totp-recovery-codes', 'totp-trusted-browsers', 'totp-verify'];

describe('editor data', () => {
  it("VS Code's html.customData lists each element's observed attributes, with the values of enumerated ones", async () => {
    const data = await load<VsCodeData>('/dist/vscode.html-custom-data.json');
    expect(data.version).to.equal(1.1);
    expect(data.tags.map((tag) => tag.name)).to.deep.equal(TAGS);
    for (const tag of data.tags) {
      expect(tag.description, tag.name).to.not.equal('');
      expect(tag.attributes.map((attribute) => attribute.name).sort(), tag.name).to.deep.equal(observed(tag.name));
    }
    const appLink = data.tags[0]?.attributes.find((attribute) => attribute.name === 'app-link');
    expect(appLink?.values?.map((value) => value.name)).to.deep.equal(['auto', 'show', 'hide']);
  });

  it('web-types lists the same attributes, plus the events and parts the element has', async () => {
    const data = await load<WebTypes>('/dist/web-types.json');
    const pkg = await load<{ name: string; 'web-types': string; files: string[] }>('/package.json');
    expect(pkg['web-types']).to.equal('./dist/web-types.json');
    expect(data.name).to.equal(pkg.name);
    const elements = data.contributions.html.elements;
    expect(elements.map((element) => element.name)).to.deep.equal(TAGS);
    for (const element of elements) {
      expect(element.attributes.map((attribute) => attribute.name).sort(), element.name).to.deep.equal(
        observed(element.name),
      );
      expect(
        element.js.events.map((event) => event.name),
        element.name,
      ).to.include('totp-error');
      expect(element.css.parts.length, element.name).to.be.greaterThan(0);
    }
  });
});
