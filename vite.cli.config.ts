import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The Node side: `cors-explainer check` and `npm start`, bundled for Node into dist/cli/*.mjs. The CLI reads
 * the extension's records and builds the export with src/explain (the panel's buildExport), so the
 * explanation text comes along; classify() does not. playwright-core, ws and Node's own modules stay
 * external.
 */
const external = [/^node:/, ...builtinModules, 'playwright-core', /^playwright-core\//, 'ws'];

export default defineConfig({
  // public/ holds the extension's icons and locales: nothing the CLI needs.
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      input: {
        'cors-explainer': resolve(import.meta.dirname, 'src/cli/cors-explainer.ts'),
        start: resolve(import.meta.dirname, 'src/cli/start.ts'),
      },
      external,
      output: {
        format: 'es',
        entryFileNames: '[name].mjs',
        // Chunks next to the entries: src/cli/paths.ts finds the project root two levels up from them.
        chunkFileNames: 'shared-[hash].mjs',
      },
    },
  },
});
