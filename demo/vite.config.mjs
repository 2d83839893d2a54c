// The demo's front end: two entry points (the app and the theming page), emitted with stable
// names that the server-rendered pages link to.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  // Where the server mounts dist/assets: the URLs Vite writes into the bundle (chunk imports and
  // their modulepreload hints) must point there, or every page makes requests that answer 404.
  base: '/assets/',
  build: {
    outDir: fileURLToPath(new URL('./dist/assets', import.meta.url)),
    emptyOutDir: true,
    assetsDir: '.',
    rollupOptions: {
      input: {
        app: fileURLToPath(new URL('./web/app.ts', import.meta.url)),
        theming: fileURLToPath(new URL('./web/theming.ts', import.meta.url)),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunk-[name]-[hash].js',
        assetFileNames: '[name][extname]',
      },
    },
  },
});
