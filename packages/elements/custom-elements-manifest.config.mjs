// The custom elements manifest (custom-elements.json), generated from the JSDoc of each element
// by @custom-elements-manifest/analyzer. docs/elements.md and editor tooling read it.

/**
 * The analyzer reads every entry of lit's `static properties` as an attribute, but `{ state: true }`
 * entries are internal reactive state with no attribute (lit sets `attribute: false` for them).
 * Their names start with `_`, so they are dropped here rather than spelled out at run time.
 */
function dropStateAttributes() {
  return {
    name: 'totpkit-drop-state-attributes',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.attributes) {
            declaration.attributes = declaration.attributes.filter((attribute) => !attribute.name.startsWith('_'));
          }
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/shared/strings/*.ts', 'src/react.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [dropStateAttributes()],
};
