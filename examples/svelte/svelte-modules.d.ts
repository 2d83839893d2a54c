// What a `.svelte` import is, for `tsc` (svelte-check knows it by itself).
declare module '*.svelte' {
  import type { Component } from 'svelte';

  const component: Component<Record<string, unknown>>;
  export default component;
}
