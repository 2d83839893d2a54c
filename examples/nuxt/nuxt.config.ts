/**
 * nuxt.config.ts: Vue must know that `totp-*` tags are custom elements, in the server build as in
 * the browser build. (`defineNuxtConfig` only adds types; a plain object is the same config.)
 */
export default {
  vue: {
    compilerOptions: { isCustomElement: (tag: string) => tag.startsWith('totp-') },
    // examples/elements/vue.ts keeps its templates in strings, compiled at run time; in .vue files
    // they are compiled at build time, and this line goes.
    runtimeCompiler: true,
  },
};
