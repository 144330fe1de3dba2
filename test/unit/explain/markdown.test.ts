/**
 * The Markdown ticket: right content per failure, and no value from the wire can change its structure.
 * Structure is checked the way CommonMark reads it: fenced blocks by their fence lengths, then the prose
 * between them for unescaped syntax characters.
 */
import type { CorsRecord } from '../../../src/cors/record.ts';
import { curlCommands, explain, mdFence, mdText, toMarkdown } from '../../../src/explain/index.ts';
import { classified, exchange, PAGE, preflight, response, scenario } from './fixtures.ts';

const META = {
  tabId: 7,
  pageUrl: `${PAGE}/scenario/x`,
  dropped: 0,
  engine: 'chromium',
  generatedAt: '2025-01-02T03:04:05.000Z',
  extensionVersion: '0.1.0',
} as const;

interface Parsed {
  blocks: { info: string; content: string }[];
  prose: string[];
  unclosed: boolean;
}

/** CommonMark §4.5 fenced code blocks (backtick fences), the rest is prose. */
function parse(markdown: string): Parsed {
  const out: Parsed = { blocks: [], prose: [], unclosed: false };
  let fence: { length: number; info: string; lines: string[] } | undefined;
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (fence) {
      const close = /^ {0,3}(`+)[ \t]*$/.exec(line);
      if (close && (close[1]?.length ?? 0) >= fence.length) {
        out.blocks.push({ info: fence.info, content: fence.lines.join('\n') });
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    const open = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (open) fence = { length: open[1]?.length ?? 3, info: open[2]?.trim() ?? '', lines: [] };
    else out.prose.push(line);
  }
  out.unclosed = fence !== undefined;
  return out;
}

/** Occurrences of `char` not escaped by a backslash. */
function unescaped(line: string, char: string): number {
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
      continue;
    }
    if (line[i] === char) count++;
  }
  return count;
}

const MDN_LINK = /\[[^\]]*\]\(https:\/\/developer\.mozilla\.org\/[^)\s]*\)/g;

function expectSafeStructure(markdown: string, records: CorsRecord[]) {
  const parsed = parse(markdown);
  expect(parsed.unclosed).toBe(false);
  // One title and one heading per failure, nothing else starts a heading.
  expect(parsed.prose.filter((l) => /^ {0,3}#/.test(l))).toHaveLength(records.length + 1);
  for (const line of parsed.prose) {
    const withoutLinks = line.replace(MDN_LINK, '');
    expect(unescaped(withoutLinks, '<'), line).toBe(0);
    expect(unescaped(withoutLinks, '['), line).toBe(0);
    expect(unescaped(withoutLinks, '`'), line).toBe(0);
    expect(unescaped(withoutLinks, '&'), line).toBe(0);
    if (line.startsWith('|')) expect(unescaped(line, '|'), line).toBe(6);
    else expect(unescaped(line, '|'), line).toBe(0);
    expect(line.length).toBeLessThan(3_000);
  }
  // Each failure's curl block is there, whole: nothing closed a block early.
  for (const record of records) {
    const curl = curlCommands(record);
    const expected = curl.preflight ? `${curl.preflight}\n\n${curl.actual}` : curl.actual;
    expect(parsed.blocks.some((b) => b.info === 'sh' && b.content === expected)).toBe(true);
  }
}

describe('toMarkdown', () => {
  it('per failure: method and URL, reason with MDN link, verdict, evidence, headers to set, curl', () => {
    const records = [scenario('headerNotAllowed'), scenario('missingAllowOrigin500')];
    const md = toMarkdown(records, 'en', { ...META, dropped: 3 });
    expect(md).toContain('# CORS failures (2)');
    expect(md).toContain('3 older failures were dropped');
    expect(md).toContain(`## 1. GET ${records[0]?.exchange.url}`);
    expect(md).toContain('[Request header not allowed by the preflight](https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowHeaderFromPreflight)');
    expect(md).toContain(`**Verdict:** ${explain(records[0]!, 'en').verdict}`);
    expect(md).toContain('| Preflight (OPTIONS) | access-control-allow-headers | content-type | x-token | no |');
    expect(md).toContain('Access-Control-Allow-Headers: content-type, x-token');
    expect(md).toContain('Preflight response (OPTIONS, status 204)');
    // The server error is called out, and its fix step listed.
    expect(md).toContain('- **The server answered with 500.');
    expect(md).toContain('Fix the server error itself');
    expectSafeStructure(md, records);
  });

  it('is written in the chosen language', () => {
    const records = [scenario('headerNotAllowed')];
    const ja = toMarkdown(records, 'ja', META);
    expect(ja).toContain('# CORS エラー(1 件)');
    expect(ja).toContain(explain(records[0]!, 'ja').verdict);
    expect(ja).toContain('https://developer.mozilla.org/ja/docs/');
    const fr = toMarkdown(records, 'fr', META);
    expect(fr).toContain('# Échecs CORS (1)');
    expect(fr).toContain('**Diagnostic:**');
  });

  it('an empty tab says so', () => {
    expect(toMarkdown([], 'en', META)).toContain('No CORS failures were recorded.');
  });

  it('hostile values never break a code block, a table, a heading or a link', () => {
    const hostile = [
      '```` ``` `',
      '\n```\n# pwned\n<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '| a | b |',
      '](javascript:alert(1)) [x](javascript:alert(2))',
      '&lt;b&gt; *bold* _it_ ~~s~~ $x$ #tag',
      '\r\n## heading\r',
      'x'.repeat(100_000),
    ].join(' ');
    const records = [
      classified(exchange({ response: response(200, [['access-control-allow-origin', hostile]]), error: 'net::ERR_FAILED' })),
      classified(
        exchange({
          method: 'PUT',
          url: `http://127.0.0.1:8701/${encodeURIComponent('`')}\`\`\`/x?q=${'`'.repeat(9)}`,
          requestHeaders: [
            ['origin', PAGE],
            ['content-type', hostile],
          ],
          preflight: preflight({ method: 'PUT', acrh: 'content-type', headers: [['access-control-allow-origin', hostile]] }),
          error: 'net::ERR_FAILED',
        }),
      ),
    ];
    const md = toMarkdown(records, 'en', { ...META, pageUrl: hostile, extensionVersion: hostile });
    expectSafeStructure(md, records);
    expect(md).not.toMatch(/^# pwned/m);
    // Long values are cut in the prose, with their full length stated.
    expect(md).toContain('characters in all)');
  });
});

describe('mdFence and mdText', () => {
  it('a fence is longer than any backtick run inside', () => {
    const block = mdFence('a ```` b\n`````\nc', 'sh');
    expect(block.startsWith('``````sh\n')).toBe(true);
    expect(parse(block).blocks).toEqual([{ info: 'sh', content: 'a ```` b\n`````\nc' }]);
    expect(mdFence('plain')).toBe('```\nplain\n```');
  });

  it('text stays one line and inert', () => {
    // The line break becomes the two characters \n, whose backslash is itself escaped.
    expect(mdText('a\nb')).toBe('a\\\\nb');
    expect(mdText('<b>')).toBe('\\<b>');
    expect(mdText('[x](y)')).toBe('\\[x\\](y)');
    expect(mdText('a|b')).toBe('a\\|b');
    expect(mdText('http://x.test/a-b.c:1')).toBe('http://x.test/a-b.c:1');
  });
});
