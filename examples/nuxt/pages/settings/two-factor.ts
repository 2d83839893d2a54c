/**
 * pages/settings/two-factor.ts of a Nuxt app: renders the component of examples/elements/vue.ts,
 * which examples/test/vue-ssr.test.ts renders on the server and hydrates in Chromium. This page is
 * type-checked with the other examples, not built (a `nuxt build` is not part of the tests).
 */
import { defineComponent, h } from 'vue';
import { TwoFactorSettings } from '../../../elements/vue.js';

export default defineComponent({
  name: 'TwoFactorPage',
  setup() {
    // The CSRF token your app gave this browser, such as a double-submit cookie.
    // biome-ignore lint/correctness/useHookAtTopLevel: a Nuxt composable, which belongs in setup (not a React hook).
    const csrf = useCookie<string>('csrf');
    return () =>
      h('main', [h('h1', 'Two-factor authentication'), h(TwoFactorSettings, { csrfToken: csrf.value ?? '' })]);
  },
});
