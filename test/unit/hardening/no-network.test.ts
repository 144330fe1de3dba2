/**
 * The extension makes no network request of its own. Statically: no code that runs in the extension (src/
 * but the Node CLI, and the built bundles in dist/) refers to a network API, parsed with TypeScript so that
 * the words in explanation text and code samples do not count; the only remote URL the running code holds
 * is MDN's (links the user may open). The browser test hardening-privacy-chromium checks the same at run time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Globals and members that send something over the network. */
const NETWORK_APIS = new Set([
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'sendBeacon',
  'importScripts',
  'WebTransport',
  'RTCPeerConnection',
  'Image',
  'Worker',
  'SharedWorker',
  'Request',
  'registerProtocolHandler',
]);

function filesUnder(dir: string, endings: string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, endings));
    else if (endings.some((e) => entry.name.endsWith(e)) && !entry.name.includes('.test.')) out.push(path);
  }
  return out;
}

interface Use {
  name: string;
  line: number;
}

/** Identifiers (not strings, not comments) naming a network API, and every string literal. */
function scan(path: string, text = readFileSync(path, 'utf8')): { uses: Use[]; strings: string[] } {
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const uses: Use[] = [];
  const strings: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      if (NETWORK_APIS.has(node.text)) uses.push({ name: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    } else if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      strings.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { uses, strings };
}

/** Code that runs in the extension: everything in src/ but the Node CLI. */
const EXTENSION_SOURCES = filesUnder('src', ['.ts', '.tsx']).filter((p) => !p.split(/[\\/]/).includes('cli'));
/** Code that runs the extension's pages and worker, and does more than show text. */
const RUNNING_SOURCES = EXTENSION_SOURCES.filter((p) => /[\\/](background|devtools|panel)[\\/]/.test(p) || p.endsWith('messages.ts'));

describe('no network request of its own (static)', () => {
  it('the scan sees identifiers, not words in strings or comments', () => {
    const probe = join('test', 'unit', 'hardening', 'no-network.test.ts');
    const { uses } = scan(probe);
    // This file names the APIs only in strings: the scanner must not count them.
    expect(uses).toEqual([]);
    const code = "// fetch(x)\nconst s = 'fetch(x)';\nfetch(u);\nnew WebSocket(u);\nnavigator.sendBeacon(u, d);\nconst x = new XMLHttpRequest();";
    expect(scan('probe.ts', code).uses.map((u) => u.name)).toEqual(['fetch', 'WebSocket', 'sendBeacon', 'XMLHttpRequest']);
    expect(EXTENSION_SOURCES.length).toBeGreaterThan(30);
  });

  it.each(EXTENSION_SOURCES)('%s refers to no network API', (path) => {
    expect(scan(path).uses).toEqual([]);
  });

  it('the worker, devtools page and panel hold no remote URL but MDN’s', () => {
    for (const path of RUNNING_SOURCES) {
      for (const s of scan(path).strings) {
        for (const url of s.match(/\b(?:https?|wss?|ftp):\/\/[^\s'"`)]*/g) ?? []) expect(url, path).toMatch(/^https:\/\/developer\.mozilla\.org(\/|$)/);
      }
    }
  });

  it.each(['chrome', 'firefox'])('the bundles in dist/%s call no network API (Vite’s modulepreload polyfill fetches only the extension’s own files)', (target) => {
    const dir = join('dist', target);
    if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`npm run build\` first (the test command does)`);
    const bundles = filesUnder(dir, ['.js']);
    expect(bundles.length).toBeGreaterThan(3);
    for (const path of bundles) {
      const names = scan(path).uses.map((u) => u.name);
      if (basename(path).startsWith('modulepreload-polyfill')) {
        // It re-fetches <link rel="modulepreload"> hrefs: the pages' own /assets files (see manifest.test.ts).
        expect(names).toEqual(['fetch']);
        expect(readFileSync(path, 'utf8')).toMatch(/link\[rel="modulepreload"\]/);
      } else {
        expect(names, path).toEqual([]);
      }
    }
  });
});
