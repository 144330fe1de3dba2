// Section 5: what the built extension ships. Each entry (background from the manifest, panel and devtools
// page from their HTML) with every module it imports statically or dynamically (shared chunks counted in
// each entry that loads them) and its stylesheets; raw bytes and gzip -9.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** @param {string} root @param {string} file @param {Set<string>} seen */
function closure(root, file, seen) {
  if (seen.has(file)) return;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]/g)) {
    const spec = match[1] ?? '';
    closure(root, spec.startsWith('/') ? join(root, spec) : resolve(dirname(file), spec), seen);
  }
}

/** @param {string} root @param {string} html */
function htmlEntry(root, html) {
  const text = readFileSync(join(root, html), 'utf8');
  const seen = new Set();
  for (const match of text.matchAll(/<script[^>]*src="([^"]+)"/g)) {
    const src = match[1] ?? '';
    closure(root, src.startsWith('/') ? join(root, src) : resolve(dirname(join(root, html)), src), seen);
  }
  for (const match of text.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
    const href = match[1] ?? '';
    seen.add(href.startsWith('/') ? join(root, href) : resolve(dirname(join(root, html)), href));
  }
  return seen;
}

/** @param {string} root @param {Set<string>} files */
function measure(root, files) {
  let raw = 0;
  let gzip = 0;
  const parts = [];
  for (const file of files) {
    const body = readFileSync(file);
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzip += z;
    parts.push({ file: relative(root, file), raw: body.length, gzip: z });
  }
  parts.sort((a, b) => b.raw - a.raw);
  return { raw, gzip, files: parts };
}

/** @param {string} root an unpacked extension */
export function bundleSizes(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const background = new Set();
  const worker = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  closure(root, join(root, worker), background);
  return {
    background: measure(root, background),
    panel: measure(root, htmlEntry(root, 'src/panel/panel.html')),
    devtools: measure(root, htmlEntry(root, manifest.devtools_page)),
  };
}
