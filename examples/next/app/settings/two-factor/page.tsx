/**
 * app/settings/two-factor/page.tsx of a Next.js app (app router): a server component that renders
 * the client component of examples/elements/react.tsx. That component is the one
 * examples/test/react-ssr.test.tsx renders on the server and hydrates in Chromium; this page is
 * type-checked with the other examples, not built (a `next build` is not part of the tests).
 */
import { cookies } from 'next/headers';
import { TwoFactorSettings } from '../../../../elements/react.js';

export default async function TwoFactorPage() {
  // The CSRF token your app gave this browser, such as a double-submit cookie.
  const csrfToken = (await cookies()).get('csrf')?.value ?? '';
  return (
    <main>
      <h1>Two-factor authentication</h1>
      <TwoFactorSettings csrfToken={csrfToken} />
    </main>
  );
}
