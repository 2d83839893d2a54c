// The Nuxt auto-import that pages/settings/two-factor.ts uses, declared here so that `tsc` checks
// the page without installing Nuxt, which the tests do not build with.
declare function useCookie<T>(name: string): { value: T | null | undefined };
