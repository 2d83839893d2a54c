/**
 * Vue 3: the login's second step as a component. Vue has to be told that `totp-*` tags are custom
 * elements; otherwise it looks for components of those names and warns that it found none.
 */
import type { TotpErrorDetail, TotpVerifiedDetail } from '@totpkit/elements';
import { type App, defineComponent, onMounted } from 'vue';

export const isCustomElement = (tag: string): boolean => tag.startsWith('totp-');

/**
 * `app.use(totpkitElements)`, for templates compiled in the browser (the `vue` build with the
 * compiler). With Vite and .vue files, templates are compiled at build time: give the same
 * function to the plugin instead, `vue({ template: { compilerOptions: { isCustomElement } } })`.
 */
export const totpkitElements = {
  install(app: App): void {
    app.config.compilerOptions.isCustomElement = isCustomElement;
  },
};

export const TwoFactorChallenge = defineComponent({
  name: 'TwoFactorChallenge',
  props: {
    /** Where the server mounted createTotpHandler. */
    endpoint: { type: String, default: '/mfa' },
    /** Where to go once the code is right. */
    next: { type: String, default: '/' },
  },
  setup(props) {
    // Custom elements exist only in the browser: define <totp-verify> once mounted.
    onMounted(() => import('@totpkit/elements/totp-verify'));
    return {
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
    <totp-verify :endpoint="endpoint" :lowRecoveryCodes="3" @totp-verified="onVerified" @totp-error="onError">
    </totp-verify>
  `,
});

// In the browser: createApp(TwoFactorChallenge).use(totpkitElements).mount('#sign-in');
