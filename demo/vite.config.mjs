// The demo's front end: two entry points (the app and the theming page), emitted with stable
// names that the server-rendered pages link to.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
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
