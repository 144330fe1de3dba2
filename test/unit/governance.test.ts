/**
 * Governance: the product stays whole as it grows.
 * - Every reason has en/ja/fr text (title, summary, why, verdict), a fix, an MDN link and a test case.
 * - src/cors and src/explain stay pure: they import only from each other and never touch browser APIs.
 * - README's list of reasons (once README has one) and REASON_IDS agree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import ts from 'typescript';
import { isMdnReason, mdnLink, REASON_IDS, type ReasonId } from '../../src/cors/reasons.ts';
import { buildFix, isEmptyFix, LOCALES } from '../../src/explain/index.ts';
import { textFor } from '../../src/explain/locale.ts';
import { verdictFacts } from '../../src/explain/verdict.ts';
import { representative } from './explain/fixtures.ts';

const ROOT = resolve(__dirname, '../..');
const PURE_DIRS = ['src/cors', 'src/explain'];

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs)) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

// ── Checkers (pure, so they are tested on their own below) ──────────────────────────────────────────

/** Every module specifier a source imports: static imports/exports, side-effect imports, dynamic
 * import() and require(), read by TypeScript's own scanner (so text inside strings is not an import). */
function moduleSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** Imports of `file` (repo-relative) that leave the pure directories. */
function importsOutsidePure(file: string, source: string): string[] {
  return moduleSpecifiers(source).filter((specifier) => {
    if (!specifier.startsWith('.')) return true; // a package or a Node built-in
    const target = normalize(join(dirname(file), specifier)).replaceAll('\\', '/');
    return !PURE_DIRS.some((dir) => target === dir || target.startsWith(`${dir}/`));
  });
}

/** Mentions of the extension APIs (`chrome.…`, `browser.…`, globalThis.chrome, the polyfill). */
function browserApiMentions(source: string): string[] {
  const patterns = [
    /\b(?:chrome|browser)\s*\??\.[A-Za-z_$]/g,
    /\bglobalThis\s*(?:\.|\[\s*['"])\s*(?:chrome|browser)\b/g,
    /\bwindow\s*(?:\.|\[\s*['"])\s*(?:chrome|browser)\b/g,
    /webextension-polyfill/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[0]));
}

/** The reason ids README lists in a section whose heading mentions reasons; undefined when there is no
 * such section (or it lists no ids yet). */
function readmeReasonIds(readme: string): string[] | undefined {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => /^#{1,6}\s.*\breasons?\b/i.test(line));
  if (start === -1) return undefined;
  const level = /^(#+)/.exec(lines[start] ?? '')?.[1]?.length ?? 1;
  const section: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const heading = /^(#+)\s/.exec(line);
    if (heading && (heading[1]?.length ?? 0) <= level) break;
    section.push(line);
  }
  const ids = [...new Set(section.join('\n').match(/\bCORS[A-Z][A-Za-z]+\b/g) ?? [])];
  return ids.length > 0 ? ids : undefined;
}

// ── The rules ────────────────────────────────────────────────────────────────────────────────────────

describe('every reason is complete', () => {
  const testSources = [
    ...filesUnder('test/unit/cors', (p) => /\.(ts|tsx|mjs|js)$/.test(p)),
    ...(existsSync(join(ROOT, 'lab/scenarios.mjs')) ? ['lab/scenarios.mjs'] : []),
  ].map((file) => readFileSync(join(ROOT, file), 'utf8'));

  describe.each([...REASON_IDS])('%s', (id: ReasonId) => {
    it('has title, summary, why and verdict in en, ja and fr', () => {
      const record = representative(id);
      const facts = verdictFacts(record);
      for (const locale of LOCALES) {
        const text = textFor(locale).reasons[id];
        expect(text, `${locale}`).toBeDefined();
        expect(text.title.trim(), `${locale} title`).not.toBe('');
        expect(text.summary.trim(), `${locale} summary`).not.toBe('');
        expect(text.why.length, `${locale} why`).toBeGreaterThanOrEqual(2);
        for (const sentence of text.why) expect(sentence.trim()).not.toBe('');
        const verdict = text.verdict(facts);
        expect(verdict.trim(), `${locale} verdict`).not.toBe('');
        expect(verdict).not.toBe(textFor(locale).unknownReason.verdict(facts));
      }
      // The three locales are three texts.
      expect(new Set(LOCALES.map((l) => textFor(l).reasons[id].summary)).size).toBe(LOCALES.length);
    });

    it('has a fix', () => {
      expect(isEmptyFix(buildFix(representative(id)))).toBe(false);
    });

    it('has an MDN link in every locale', () => {
      for (const locale of LOCALES) {
        const url = mdnLink(id, locale);
        expect(url).toMatch(/^https:\/\/developer\.mozilla\.org\/(en-US|ja|fr)\/docs\/[A-Za-z0-9/_-]+$/);
        if (isMdnReason(id)) expect(url.endsWith(`/Errors/${id}`)).toBe(true);
      }
    });

    it('has a test case (test/unit/cors or lab/scenarios.mjs)', () => {
      expect(testSources.some((source) => source.includes(id))).toBe(true);
    });
  });
});

describe('src/cors and src/explain stay pure', () => {
  const files = PURE_DIRS.flatMap((dir) => filesUnder(dir, (p) => /\.(ts|tsx|mts|js|mjs)$/.test(p)));

  it('there is something to check', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain('src/explain/index.ts');
    expect(files).toContain('src/cors/reasons.ts');
  });

  it.each(files)('%s imports only from src/cors and src/explain', (file) => {
    expect(importsOutsidePure(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  it.each(files)('%s does not mention browser extension APIs', (file) => {
    expect(browserApiMentions(readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });
});

describe("README's reason list matches REASON_IDS", () => {
  const readmePath = join(ROOT, 'README.md');
  const listed = existsSync(readmePath) ? readmeReasonIds(readFileSync(readmePath, 'utf8')) : undefined;

  it.skipIf(listed === undefined)('lists every reason id and no other', () => {
    const ids = listed ?? [];
    expect(REASON_IDS.filter((id) => !ids.includes(id)), 'missing from README').toEqual([]);
    expect(ids.filter((id) => !(REASON_IDS as readonly string[]).includes(id)), 'unknown in README').toEqual([]);
  });
});

// ── The checkers catch what they should ──────────────────────────────────────────────────────────────

describe('the governance checkers', () => {
  it('find imports that leave the pure directories', () => {
    const source = [
      "import { a } from './headers.ts';",
      "import type { Fix } from '../explain/types.ts';",
      "import { send } from '../messages.ts';",
      "export { x } from '../background/store.ts';",
      "import browser from 'webextension-polyfill';",
      "import 'preact';",
      "const m = await import('../panel/app.tsx');",
      "const fs = require('node:fs');",
      // Text that only looks like an import is not one.
      "const snippet = \"const cors = require('cors');\";",
    ].join('\n');
    expect(importsOutsidePure('src/cors/classify.ts', source)).toEqual([
      '../messages.ts',
      '../background/store.ts',
      'webextension-polyfill',
      'preact',
      '../panel/app.tsx',
      'node:fs',
    ]);
    expect(importsOutsidePure('src/explain/fix.ts', "import { x } from '../cors/headers.ts';\nimport { y } from './snippets.ts';")).toEqual([]);
    // A path that climbs out and back in is judged by where it lands.
    expect(importsOutsidePure('src/explain/fix.ts', "import { x } from '../../src/cors/a.ts';")).toEqual([]);
    expect(importsOutsidePure('src/explain/fix.ts', "import { x } from '../explainer/a.ts';")).toEqual(['../explainer/a.ts']);
    expect(relative(ROOT, join(ROOT, 'src/cors'))).toBe('src/cors');
  });

  it('find browser API mentions, not the word "browser" in prose', () => {
    expect(browserApiMentions('chrome.runtime.sendMessage(x)')).toHaveLength(1);
    expect(browserApiMentions('await browser.storage.session.get()')).toHaveLength(1);
    expect(browserApiMentions('browser?.tabs')).toHaveLength(1);
    expect(browserApiMentions("globalThis['chrome']")).toHaveLength(1);
    expect(browserApiMentions('globalThis.browser')).toHaveLength(1);
    expect(browserApiMentions("import x from 'webextension-polyfill'")).toHaveLength(1);
    expect(browserApiMentions("'The browser blocks it. The browser. Then' + chromeVersion")).toEqual([]);
  });

  it('read a README reason section, and skip a README without one', () => {
    const readme = ['# CORS Explainer', 'Intro mentioning CORSMissingAllowOrigin.', '## Reasons', '- `CORSMissingAllowOrigin`', '- CORSMethodNotFound: …', '### Beyond the 15', '- CORSLocalNetworkAccess', '## Install', '- CORSNotAReasonHere'].join('\n');
    expect(readmeReasonIds(readme)).toEqual(['CORSMissingAllowOrigin', 'CORSMethodNotFound', 'CORSLocalNetworkAccess']);
    expect(readmeReasonIds('# CORS Explainer\n\n## Install\n\nnpm ci')).toBeUndefined();
    expect(readmeReasonIds('# X\n## Reasons\n\nComing soon.')).toBeUndefined();
  });
});
