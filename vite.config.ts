import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import sourceManifest from './manifest.json' with { type: 'json' };

/**
 * One source manifest, two targets. TARGET=chrome (default) or TARGET=firefox.
 * Browser differences live here (the manifest transform) and in src/background's adapter.
 */
export const GECKO_ID = 'cors-explainer@cors-explainer.dev';

export function manifestFor(target: 'chrome' | 'firefox'): ManifestV3Export {
  const base = structuredClone(sourceManifest) as unknown as ManifestV3Export & Record<string, unknown>;
  if (target === 'chrome') return base;
  const { service_worker, ...background } = base.background as { service_worker: string; type: string };
  return {
    ...base,
    background: { ...background, scripts: [service_worker] },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      // data_collection_permissions exists on Android from 142; DevTools panels do not exist there at all.
      gecko_android: { strict_min_version: '142.0' },
    },
  } as unknown as ManifestV3Export;
}

const target = process.env.TARGET === 'firefox' ? 'firefox' : 'chrome';

export default defineConfig({
  plugins: [preact(), crx({ manifest: manifestFor(target), browser: target })],
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: true,
    rollupOptions: {
      input: {
        panel: resolve(import.meta.dirname, 'src/panel/panel.html'),
      },
    },
  },
});
