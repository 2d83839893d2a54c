/**
 * Vue 3 and Nuxt: the settings page's two-factor section and the login's second step. Vue has to
 * be told that `totp-*` tags are custom elements; otherwise it looks for components of those names
 * and warns that it found none. examples/nuxt/ renders them in a Nuxt page, and
 * examples/test/vue-ssr.test.ts renders them on the server and hydrates them in Chromium.
 *
 * The element modules are safe to import during server rendering, so they are imported here: the
 * elements are defined before Vue hydrates. Each tag carries `defer-hydration`, and the component
 * removes it in `onMounted`: Vue calls that after it has set every binding (`:headers` as a
 * property) and added every listener, also when it hydrates server-rendered markup. Until then the
 * element sends nothing, however late the app mounts.
 */
import '@totpkit/elements/totp-activate';
import '@totpkit/elements/totp-verify';
import type { TotpActivatedDetail, TotpErrorDetail, TotpVerifiedDetail } from '@totpkit/elements';
import { type App, defineComponent, onMounted, type PropType, ref } from 'vue';

export const isCustomElement = (tag: string): boolean => tag.startsWith('totp-');

/**
 * `app.use(totpkitElements)`, for templates compiled at run time (the `vue` build with the
 * compiler, and Vue's server renderer). With Vite and .vue files, templates are compiled at build
 * time: give the same function to the plugin instead, `vue({ template: { compilerOptions: { isCustomElement } } })`,
 * or in Nuxt to `vue.compilerOptions` (examples/nuxt/nuxt.config.ts).
 */
export const totpkitElements = {
  install(app: App): void {
    app.config.compilerOptions.isCustomElement = isCustomElement;
  },
};

/** A template ref whose `onMounted` lets the element start: see the comment at the top. */
function startWhenMounted() {
  const element = ref<HTMLElement | null>(null);
  onMounted(() => element.value?.removeAttribute('defer-hydration'));
  return element;
}

export const TwoFactorSettings = defineComponent({
  name: 'TwoFactorSettings',
  props: {
    /** Where the server mounted createTotpHandler. */
    endpoint: { type: String, default: '/mfa' },
    /** The page's CSRF token, sent in X-CSRF-Token with every call. */
    csrfToken: { type: String, required: true },
    /** Extra headers, such as `Authorization` for a backend that takes bearer tokens. */
    headers: { type: Object as PropType<Record<string, string>>, default: () => ({}) },
  },
  setup() {
    const codeCount = ref<number | null>(null);
    return {
      element: startWhenMounted(),
      codeCount,
      onActivated(event: CustomEvent<TotpActivatedDetail>) {
        codeCount.value = event.detail.recoveryCodeCount;
      },
      onError(event: CustomEvent<TotpErrorDetail>) {
        console.warn(event.detail.code, event.detail.message);
      },
    };
  },
  template: `
    <section>
      <totp-activate
        ref="element"
        defer-hydration
        :endpoint="endpoint"
        :headers="headers"
        csrf-header="X-CSRF-Token"
        :csrf-token="csrfToken"
        @totp-activated="onActivated"
        @totp-error="onError"
      ></totp-activate>
      <p v-if="codeCount !== null" role="status">Two-factor authentication is on, with {{ codeCount }} recovery codes.</p>
    </section>
  `,
});

export const TwoFactorChallenge = defineComponent({
  name: 'TwoFactorChallenge',
  props: {
    /** Where the server mounted createTotpHandler. */
    endpoint: { type: String, default: '/mfa' },
    /** Where to go once the code is right. */
    next: { type: String, default: '/' },
  },
  setup(props) {
    return {
      element: startWhenMounted(),
      onVerified(event: CustomEvent<TotpVerifiedDetail>) {
        // The server has already swapped the pending session for a complete one (afterVerify).
        window.location.assign(event.detail.recoveryCodesLow ? '/settings' : props.next);
      },
      onError(event: CustomEvent<TotpErrorDetail>) {
        console.warn(event.detail.code, event.detail.message);
      },
    };
  },
  template: `
    <totp-verify
      ref="element"
      defer-hydration
      :endpoint="endpoint"
      low-recovery-codes="3"
      @totp-verified="onVerified"
      @totp-error="onError"
    ></totp-verify>
  `,
});

// In the browser: createSSRApp(TwoFactorChallenge).use(totpkitElements).mount('#sign-in');
