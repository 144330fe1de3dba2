/**
 * src/explain on random records: hostile exchanges with random diagnoses (consistent or not with the
 * exchange) and with the classifier's own diagnoses, in every locale. Nothing throws; the export validates
 * against docs/export.schema.json; no secret value reaches any output; the headers a fix tells the server
 * to send cannot be used to inject a header line; Markdown keeps hostile values out of its structure.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/cors/classify.ts';
import type { Exchange, HeaderList } from '../../../src/cors/exchange.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { reduceExchange } from '../../../src/cors/reduce.ts';
import {
  buildExport,
  buildFix,
  clientAlternative,
  curlCommands,
  type ExportMeta,
  explain,
  fixHeaderLines,
  fixSnippets,
  fixSteps,
  LOCALES,
  stageLabel,
  toMarkdown,
} from '../../../src/explain/index.ts';
import { validate } from '../explain/json-schema.ts';
import { diagnosis, exchange, hostileString, recordOf, SECRET_NAMES } from './arbitraries.ts';
import { params, runs, TIMEOUT } from './runs.ts';

const schema = JSON.parse(readFileSync('docs/export.schema.json', 'utf8'));

/** What a browser guarantees of header values (no NUL, CR or LF), and of the Origin it sends (a serialised
 * origin or "null"); everything else stays hostile. */
function asBrowserSent(x: Exchange): Exchange {
  const clean = (list: HeaderList): HeaderList =>
    list.map(([name, value]) => [name, name.toLowerCase() === 'origin' ? (/^https?:\/\/[a-z0-9.:[\]-]+$/.test(value) ? value : 'null') : value.replace(/[\0\r\n]/g, ' ')]);
  return {
    ...x,
    requestHeaders: clean(x.requestHeaders),
    ...(x.preflight ? { preflight: { ...x.preflight, requestHeaders: clean(x.preflight.requestHeaders), ...(x.preflight.response ? { response: { ...x.preflight.response, headers: clean(x.preflight.response.headers) } } : {}) } } : {}),
    ...(x.response ? { response: { ...x.response, headers: clean(x.response.headers) } } : {}),
    redirects: x.redirects.map((r) => ({ ...r, headers: clean(r.headers) })),
  };
}

/** A record as stored (the reduced exchange): with a random diagnosis, or the classifier's when it has one. */
const record: fc.Arbitrary<CorsRecord> = fc.tuple(exchange, diagnosis, fc.boolean(), fc.integer({ min: 1, max: 1_000_000 })).map(([raw, d, own, seq]) => {
  const x = asBrowserSent(raw);
  const classified = own ? classify(x) : null;
  return recordOf(reduceExchange(x), classified ?? d, seq);
});

const meta: fc.Arbitrary<ExportMeta> = fc.record(
  {
    tabId: fc.integer({ min: -1, max: 1_000_000 }),
    pageUrl: hostileString,
    dropped: fc.nat(),
    engine: fc.constantFrom('chromium', 'gecko'),
    generatedAt: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
    extensionVersion: fc.constantFrom('0.1.0', '1.2.3'),
  },
  { requiredKeys: ['tabId', 'dropped', 'engine', 'generatedAt', 'extensionVersion'] },
);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what this looks for.
const CONTROL = /[\u0000-\u001f\u007f]/;

function expectSafeHeaders(list: HeaderList | undefined): void {
  for (const [name, value] of list ?? []) {
    expect(name).toMatch(TOKEN);
    // A value from the wire must not smuggle a second header line into the server's configuration.
    expect(value).not.toMatch(CONTROL);
  }
}

/** Lines of a Markdown document outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence === undefined) {
      const open = /^(`{3,})/.exec(line);
      if (open) fence = open[1];
      else out.push(line);
    } else if (line === fence) {
      fence = undefined;
    }
  }
  expect(fence).toBeUndefined();
  return out;
}

/** True when a `<` in the line is not backslash-escaped (an odd number of backslashes before it). */
function hasRawAngle(line: string): boolean {
  for (let i = line.indexOf('<'); i >= 0; i = line.indexOf('<', i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) return true;
  }
  return false;
}

describe('src/explain on random records', () => {
  it(
    'explain, fix, snippets, client alternative, steps and curl never throw, in every locale',
    () => {
      fc.assert(
        fc.property(record, (r) => {
          const fix = buildFix(r);
          expectSafeHeaders(fix.preflight?.setHeaders);
          expectSafeHeaders(fix.actual?.setHeaders);
          for (const hop of fix.redirects ?? []) expectSafeHeaders(hop.setHeaders);
          const lines = fixHeaderLines(fix);
          for (const block of [lines.preflight, lines.actual, ...(lines.redirects ?? []).map((h) => h.lines)]) {
            for (const line of block?.split('\n') ?? []) expect(line).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+: [^\r\n]*$/);
          }
          const curl = curlCommands(r);
          expect(typeof curl.actual).toBe('string');
          for (const locale of LOCALES) {
            const e = explain(r, locale);
            expect(e.title.trim()).not.toBe('');
            expect(e.verdict.trim()).not.toBe('');
            expect(e.why.length).toBeGreaterThan(0);
            expect(e.mdnUrl).toMatch(/^https:\/\/developer\.mozilla\.org\//);
            for (const f of e.findings) expect(typeof f.text).toBe('string');
            const snippets = fixSnippets(r, fix, locale);
            // Every fix that sets headers comes as a snippet per server stack.
            if (lines.preflight || lines.actual) expect(snippets.length).toBeGreaterThan(0);
            for (const s of snippets) expect(typeof s.code).toBe('string');
            clientAlternative(r, fix, locale);
            for (const step of fixSteps(r, fix, locale)) expect(typeof step).toBe('string');
            expect(stageLabel(r.diagnosis.stage, locale)).not.toBe('');
          }
        }),
        params(runs(60, 0.01)),
      );
    },
    TIMEOUT,
  );

  it(
    'the export validates against docs/export.schema.json, also after a JSON round trip; Markdown stays well-formed',
    () => {
      fc.assert(
        fc.property(fc.array(record, { maxLength: 4 }), meta, fc.constantFrom(...LOCALES), (records, m, locale) => {
          const doc = buildExport(records, m);
          expect(validate(schema, doc)).toEqual([]);
          expect(validate(schema, JSON.parse(JSON.stringify(doc)))).toEqual([]);
          expect(doc.records).toHaveLength(records.length);

          const markdown = toMarkdown(records, locale, m);
          const prose = proseLines(markdown);
          // Values never start a line: one heading for the document, one per record.
          expect(prose.filter((l) => l.startsWith('# '))).toHaveLength(1);
          expect(prose.filter((l) => l.startsWith('## '))).toHaveLength(records.length);
          // No raw HTML outside code blocks.
          for (const line of prose) expect(hasRawAngle(line), line).toBe(false);
        }),
        params(runs(40, 0.005)),
      );
    },
    TIMEOUT,
  );

  it(
    'no Cookie, Authorization, Proxy-Authorization or Set-Cookie value reaches any output',
    () => {
      const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `SEKRIT${s}`);
      fc.assert(
        fc.property(record, secret, fc.constantFrom(...SECRET_NAMES), meta, (r, value, name, m) => {
          // As if a record had kept a value (an older version, an imported file): outputs redact it anyway.
          const line = [name, `${value}; other=1`] as const;
          const x: Exchange = {
            ...r.exchange,
            requestHeaders: [...r.exchange.requestHeaders, line],
            response: { status: 200, headers: [...(r.exchange.response?.headers ?? []), line] },
            preflight: { requestHeaders: [line], response: { status: 204, headers: [line] } },
          };
          const withSecret = { ...r, exchange: x };
          const fix = buildFix(withSecret);
          const outputs: unknown[] = [
            buildExport([withSecret], m),
            toMarkdown([withSecret], 'en', m),
            curlCommands(withSecret),
            fix,
            fixHeaderLines(fix),
          ];
          for (const locale of LOCALES) {
            outputs.push(explain(withSecret, locale), fixSnippets(withSecret, fix, locale), clientAlternative(withSecret, fix, locale), fixSteps(withSecret, fix, locale));
          }
          expect(JSON.stringify(outputs)).not.toContain(value);
        }),
        params(runs(40, 0.005)),
      );
    },
    TIMEOUT,
  );
});
