/**
 * The browser side of react-ssr.test.tsx. Importing the components defines the elements, so the
 * server-rendered tags upgrade before React hydrates; `window.__hydrate()` then hydrates the page
 * with the same component and props the server rendered.
 */
import { hydrateRoot } from 'react-dom/client';
import { TwoFactorSettings, type TwoFactorSettingsProps } from '../../elements/react.js';
import { propCalls, RawTwoFactorSettings } from './react-raw.js';

declare global {
  interface Window {
    __hydrate: () => void;
    __propCalls: string[];
  }
}

/** What the server rendered, written into the page by the test. */
const { kind, props } = (
  window as unknown as { __PAGE__: { kind: 'components' | 'raw'; props: TwoFactorSettingsProps } }
).__PAGE__;
const Page = kind === 'raw' ? RawTwoFactorSettings : TwoFactorSettings;
window.__propCalls = propCalls;
window.__hydrate = () => {
  hydrateRoot(document.getElementById('app') as HTMLElement, <Page {...props} />);
};
