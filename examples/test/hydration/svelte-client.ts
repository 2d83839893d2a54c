/**
 * The browser side of svelte-ssr.test.ts. Importing the component defines the element, so the
 * server-rendered tag upgrades at once; `window.__mount()` hydrates the page later, when the test
 * says so, as an app that mounts some time after its markup was parsed.
 */
import { hydrate } from 'svelte';
import TwoFactorSettings from '../../svelte/TwoFactorSettings.svelte';

/** What the server rendered, written into the page by the test. */
const { props } = (window as unknown as { __PAGE__: { props: Record<string, unknown> } }).__PAGE__;

window.__mount = () => {
  hydrate(TwoFactorSettings, { target: document.getElementById('app') as HTMLElement, props });
};
