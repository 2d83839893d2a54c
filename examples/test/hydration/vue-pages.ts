/**
 * The components vue-ssr.test.ts renders: the documented one of elements/vue.ts, and the same
 * without `defer-hydration`, to show what that attribute prevents.
 */
import { TwoFactorSettings } from '../../elements/vue.js';

const WithoutDefer = {
  ...TwoFactorSettings,
  name: 'TwoFactorSettingsWithoutDefer',
  template: (TwoFactorSettings.template as string).replace('defer-hydration', ''),
} as typeof TwoFactorSettings;

export function pageComponent(kind: 'documented' | 'without-defer') {
  return kind === 'documented' ? TwoFactorSettings : WithoutDefer;
}
