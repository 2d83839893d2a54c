// The custom elements manifest (custom-elements.json), generated from the JSDoc of each element
// by @custom-elements-manifest/analyzer. docs/elements.md and editor tooling read it.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/shared/strings/*.ts', 'src/react.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
};
