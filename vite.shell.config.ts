import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The panel mounted in a plain page with recorded records (test/shell): for screenshots and browser tests. */
export default defineConfig({
  root: resolve(import.meta.dirname, 'test/shell'),
  base: './',
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'dist/shell'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: true,
  },
});
