// Builds what the benchmark runs, in-process with vite's build API, into node_modules/.cache/cors-bench
// (inside the repo so that the bundles resolve node_modules; never dist/, which other work rebuilds):
//   entries.mjs       bench/entries.ts for Node (the tracker, classifier, launchers)
//   chrome/ firefox/  the extension, built by vite.config.ts exactly as `npm run build:<target>` builds it
//   shell/            the panel's test shell (vite.shell.config.ts)
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

export const ROOT = resolve(import.meta.dirname, '..');
export const OUT = join(ROOT, 'node_modules/.cache/cors-bench');

/** @param {import('vite').InlineConfig} config */
async function quiet(config) {
  await build({ logLevel: 'error', ...config });
}

/** @returns {Promise<any>} the bundled bench/entries.ts */
export async function buildEntries() {
  await quiet({
    configFile: false,
    publicDir: false,
    root: ROOT,
    build: {
      ssr: join(ROOT, 'bench/entries.ts'),
      outDir: join(OUT, 'node'),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'entries.mjs' } },
    },
  });
  return import(`${pathToFileURL(join(OUT, 'node/entries.mjs')).href}?t=${Date.now()}`);
}

/**
 * @param {'chrome' | 'firefox'} target
 * @param {{ minify?: boolean }} [options] minify: false for readable profiles (written to <target>-debug)
 * @returns {Promise<string>} the unpacked extension's directory
 */
export async function buildExtension(target, { minify = true } = {}) {
  const outDir = join(OUT, minify ? target : `${target}-debug`);
  const before = process.env.TARGET;
  process.env.TARGET = target;
  try {
    await quiet({ configFile: join(ROOT, 'vite.config.ts'), root: ROOT, build: { outDir, emptyOutDir: true, ...(minify ? {} : { minify: false }) } });
  } finally {
    if (before === undefined) delete process.env.TARGET;
    else process.env.TARGET = before;
  }
  if (!existsSync(join(outDir, 'manifest.json'))) throw new Error(`the ${target} build wrote no manifest.json`);
  return outDir;
}

/** @returns {Promise<string>} the built test shell's directory */
export async function buildShell() {
  const outDir = join(OUT, 'shell');
  await quiet({ configFile: join(ROOT, 'vite.shell.config.ts'), build: { outDir, emptyOutDir: true } });
  return outDir;
}
