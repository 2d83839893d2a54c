/**
 * Checks that hold in every state of every element: axe finds nothing in the light and dark
 * defaults, under forced colors (Windows High Contrast, emulated through the DevTools protocol),
 * right to left, on a 320 px screen and at 200 % zoom; and in German, the language with the
 * longest words, nothing is wider than a 320 px screen.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import '../../src/index.js';
import { STATES } from '../helpers/states.js';

type Condition = { name: string; before: () => Promise<unknown>; after: () => Promise<unknown>; lang?: string };

const html_ = document.documentElement;
const CONDITIONS: Condition[] = [
  { name: 'light', before: async () => {}, after: async () => {} },
  {
    name: 'dark',
    before: () => emulateMedia({ colorScheme: 'dark' }),
    after: () => emulateMedia({ colorScheme: 'light' }),
  },
  {
    name: 'forced colors',
    before: () => executeServerCommand('emulate-features', [{ name: 'forced-colors', value: 'active' }]),
    after: () => executeServerCommand('emulate-features', []),
  },
  {
    name: 'right to left (Arabic page)',
    before: async () => html_.setAttribute('dir', 'rtl'),
    after: async () => html_.removeAttribute('dir'),
    lang: 'ar',
  },
  {
    name: '320 px',
    before: () => setViewport({ width: 320, height: 640 }),
    after: () => setViewport({ width: 800, height: 600 }),
  },
  {
    name: '200 % zoom',
    before: async () => (html_.style.zoom = '2'),
    after: async () => (html_.style.zoom = ''),
  },
];

/** Waits until the elements' German texts are loaded, so every element renders in German at once. */
async function loadGerman(): Promise<void> {
  const el = await fixture<LitElement>(html`<totp-verify lang="de"></totp-verify>`);
  await waitUntil(() => el.shadowRoot?.querySelector('[part~="submit"]')?.textContent?.trim() === 'Bestätigen');
}

describe('every state', () => {
  for (const condition of CONDITIONS) {
    describe(`axe, ${condition.name}`, () => {
      before(condition.before);
      after(condition.after);

      it('applies', () => {
        if (condition.name === 'forced colors') expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
        if (condition.name === '320 px') expect(innerWidth).to.equal(320);
      });

      for (const state of STATES) {
        it(state.name, async () => {
          const el = await state.mount(condition.lang ?? 'en');
          await expect(el).to.be.accessible();
        });
      }
    });
  }

  describe('German at 320 px: nothing wider than the screen', () => {
    before(async () => {
      await setViewport({ width: 320, height: 640 });
      await loadGerman();
    });
    after(() => setViewport({ width: 800, height: 600 }));

    for (const state of STATES) {
      it(state.name, async () => {
        const el = await state.mount('de');
        await el.updateComplete;
        const root = el.shadowRoot as ShadowRoot;
        const heading = root.querySelector('[part~="heading"]') as HTMLElement;
        expect(heading.lang || el.lang).to.equal('de');
        for (const node of [
          el,
          ...root.querySelectorAll<HTMLElement>('[part~="base"], [part~="content"], [part~="heading"]'),
        ]) {
          expect(node.scrollWidth, `${node.getAttribute('part') ?? el.localName} scrollWidth`).to.be.at.most(
            node.clientWidth,
          );
        }
        expect(html_.scrollWidth, 'page scrollWidth').to.be.at.most(320);
      });
    }
  });
});
