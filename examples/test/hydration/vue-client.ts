/**
 * The browser side of vue-ssr.test.ts. Importing the component defines the elements, so the
 * server-rendered tags upgrade at once; `window.__mount()` hydrates the page later, when the test
 * says so, as an app that mounts some time after its markup was parsed.
 */
import { createSSRApp } from 'vue';
import { totpkitElements } from '../../elements/vue.js';
import { pageComponent } from './vue-pages.js';

declare global {
  interface Window {
    __mount: () => void;
  }
}

/** What the server rendered, written into the page by the test. */
const { kind, props } = (
  window as unknown as {
    __PAGE__: { kind: 'documented' | 'without-defer'; props: { csrfToken: string; headers: Record<string, string> } };
  }
).__PAGE__;

window.__mount = () => {
  createSSRApp(pageComponent(kind), props).use(totpkitElements).mount('#app');
};
