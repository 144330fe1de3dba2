/**
 * Permissions and Content Security Policy of the built extension (dist/chrome and dist/firefox, made by
 * `npm run build`, which the test command runs first): the least the product needs and nothing a page could
 * use to reach into it. Also every HTML page in dist: scripts only from files, no inline code, no handlers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TARGETS = ['chrome', 'firefox'] as const;

function manifestOf(target: string): Record<string, unknown> {
  const path = join('dist', target, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (the test command does)`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** CSP directives by name, each with its source list. */
function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

function filesUnder(dir: string, ending: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, ending));
    else if (entry.name.endsWith(ending)) out.push(path);
  }
  return out;
}

describe.each(TARGETS)('dist/%s/manifest.json', (target) => {
  const manifest = manifestOf(target);

  it('asks for webRequest and storage on <all_urls>, nothing else, nothing optional', () => {
    expect(manifest.manifest_version).toBe(3);
    expect([...(manifest.permissions as string[])].sort()).toEqual(['storage', 'webRequest']);
    expect(manifest.host_permissions).toEqual(['<all_urls>']);
    for (const key of ['optional_permissions', 'optional_host_permissions']) expect(manifest[key], key).toBeUndefined();
  });

  it('exposes nothing to pages: no web-accessible resources, content scripts or external messaging', () => {
    for (const key of ['web_accessible_resources', 'content_scripts', 'externally_connectable', 'content_security_policy_sandbox', 'sandbox', 'update_url']) {
      expect(manifest[key], key).toBeUndefined();
    }
  });

  it('the extension pages’ CSP allows only its own scripts: no inline, no eval, nothing remote', () => {
    const csp = manifest.content_security_policy as Record<string, string>;
    expect(Object.keys(csp)).toEqual(['extension_pages']);
    const directives = parseCsp(csp.extension_pages ?? '');
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    // No directive may loosen it (default-src/worker-src/script-src-elem with anything but 'self'/'none').
    for (const [name, sources] of directives) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(/unsafe|^https?:|^\*|^data:|^blob:|^ws/i);
      }
    }
  });

  it('background and pages are files of the extension', () => {
    const background = manifest.background as { service_worker?: string; scripts?: string[] };
    const scripts = target === 'chrome' ? [background.service_worker] : background.scripts;
    expect(scripts?.length).toBe(1);
    for (const s of [...(scripts ?? []), manifest.devtools_page as string]) {
      expect(s).toMatch(/^[\w./-]+$/);
      expect(existsSync(join('dist', target, s as string)), s).toBe(true);
    }
  });

  if (target === 'firefox') {
    it('declares that it collects no data', () => {
      const gecko = (manifest.browser_specific_settings as { gecko: { data_collection_permissions: unknown } }).gecko;
      expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
    });
  }
});

describe.each(TARGETS)('HTML pages in dist/%s', (target) => {
  const pages = existsSync(join('dist', target)) ? filesUnder(join('dist', target), '.html') : [];

  it('are the devtools page and the panel', () => {
    expect(pages.map((p) => p.replace(/\\/g, '/')).sort()).toEqual([`dist/${target}/src/devtools/devtools.html`, `dist/${target}/src/panel/panel.html`]);
  });

  it.each(pages)('%s: scripts only by src from the extension, no inline code, no event-handler attributes, no javascript: URLs', (page) => {
    const html = readFileSync(page, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(body.trim(), 'inline script').toBe('');
      const src = /\ssrc\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1];
      expect(src, 'script without src').toBeDefined();
      expect(src).toMatch(/^\/?[\w./-]+$/);
      expect(existsSync(join('dist', target, src ?? ''))).toBe(true);
    }
    // Every tag: no on* attribute, no javascript: or remote URL in src/href.
    for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
      expect(tag, 'event handler attribute').not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag, 'javascript: URL').not.toMatch(/javascript:/i);
      expect(tag, 'remote resource').not.toMatch(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i);
    }
  });
});
