// The part of Next.js's types that app/settings/two-factor/page.tsx uses, declared here so that
// `tsc` checks the page without installing Next.js, which the tests do not build with.
declare module 'next/headers' {
  export function cookies(): Promise<{ get(name: string): { name: string; value: string } | undefined }>;
}
