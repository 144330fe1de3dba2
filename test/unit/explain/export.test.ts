import { readFileSync } from 'node:fs';
import { REDACTED } from '../../../src/cors/exchange.ts';
import { REASON_IDS } from '../../../src/cors/reasons.ts';
import { buildExport, buildFix, EXPORT_SCHEMA_VERSION, explain } from '../../../src/explain/index.ts';
import { allRecords, exchange, PAGE, preflight, record, response, scenario } from './fixtures.ts';
import { validate } from './json-schema.ts';

const schema = JSON.parse(readFileSync('docs/export.schema.json', 'utf8'));
const META = {
  tabId: 7,
  pageUrl: `${PAGE}/scenario/x`,
  dropped: 2,
  engine: 'chromium',
  generatedAt: '2025-01-02T03:04:05.000Z',
  extensionVersion: '0.1.0',
} as const;

describe('buildExport', () => {
  it('every fixture exports a document valid against docs/export.schema.json', () => {
    const doc = buildExport(allRecords(), META);
    expect(validate(schema, doc)).toEqual([]);
    // And survives a JSON round trip unchanged (no undefined, no functions, no cycles).
    expect(validate(schema, JSON.parse(JSON.stringify(doc)))).toEqual([]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('is versioned and carries the meta data', () => {
    const doc = buildExport([], META);
    expect(doc).toEqual({
      schema: 'cors-explainer/export',
      schemaVersion: EXPORT_SCHEMA_VERSION,
      generatedAt: META.generatedAt,
      extensionVersion: '0.1.0',
      engine: 'chromium',
      tabId: 7,
      pageUrl: META.pageUrl,
      dropped: 2,
      records: [],
    });
    expect(EXPORT_SCHEMA_VERSION).toBe(1);
    const { pageUrl: _omit, ...noPage } = META;
    expect('pageUrl' in buildExport([], noPage)).toBe(false);
  });

  it('a record: diagnosis, English title and verdict, the fix, and the observed exchange', () => {
    const r = scenario('missingAllowOriginPreflight404');
    const [out] = buildExport([r], META).records;
    expect(out).toMatchObject({
      id: r.id,
      time: '2025-01-02T03:04:05.000Z',
      method: 'PUT',
      url: r.exchange.url,
      type: 'xmlhttprequest',
      initiator: PAGE,
      reason: 'CORSMissingAllowOrigin',
      engineName: r.diagnosis.engineName,
      stage: 'preflight',
      certainty: 'certain',
      title: 'Missing Access-Control-Allow-Origin',
      verdict: explain(r, 'en').verdict,
      fix: buildFix(r),
      preflight: { status: 404, requestHeaders: r.exchange.preflight?.requestHeaders },
      error: 'net::ERR_FAILED',
    });
  });

  it('redacts secret header values even if a record still had them', () => {
    const leaky = record(
      exchange({
        requestHeaders: [
          ['origin', PAGE],
          ['cookie', 'sid=real-secret'],
          ['authorization', 'Bearer real-token'],
        ],
        response: response(200, [['set-cookie', 'sid=another-secret']]),
        preflight: preflight({ method: 'GET', extra: [['proxy-authorization', 'Basic xyz']] }),
        error: 'net::ERR_FAILED',
      }),
      scenario('missingAllowOriginGet').diagnosis,
    );
    const text = JSON.stringify(buildExport([leaky], META));
    for (const secret of ['real-secret', 'real-token', 'another-secret', 'Basic xyz']) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
  });

  it('the example in docs/EXPORT.md is valid and is what the code produces for that request', () => {
    const markdown = readFileSync('docs/EXPORT.md', 'utf8');
    const example = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? 'null');
    expect(validate(schema, example)).toEqual([]);
    const r = scenario('headerNotAllowed');
    const [mine] = buildExport([r], META).records;
    const [documented] = example.records;
    for (const key of ['reason', 'engineName', 'stage', 'certainty', 'culprit', 'evidence', 'findings', 'title', 'verdict', 'fix'] as const) {
      expect(documented[key], key).toEqual(mine?.[key]);
    }
  });

  it('the schema lists exactly the known reasons', () => {
    expect(schema.$defs.reasonId.enum).toEqual([...REASON_IDS]);
  });
});

describe('the schema rejects what it should (the validator is not a rubber stamp)', () => {
  const valid = () => JSON.parse(JSON.stringify(buildExport([scenario('headerNotAllowed')], META)));
  const broken: Array<[string, (doc: ReturnType<typeof valid>) => void]> = [
    ['an unknown reason', (d) => (d.records[0].reason = 'CORSNope')],
    ['a missing verdict', (d) => delete d.records[0].verdict],
    ['an extra field', (d) => (d.records[0].extra = 1)],
    ['another schema version', (d) => (d.schemaVersion = 2)],
    ['a header line with three parts', (d) => d.records[0].request.headers.push(['a', 'b', 'c'])],
    ['a finding with a wrong field', (d) => d.records[0].findings.push({ code: 'file-page', extra: true })],
    ['a preflight fix with a 404 status', (d) => (d.records[0].fix.preflight.status = 404)],
    ['a non-date time', (d) => (d.records[0].time = 'yesterday')],
    ['an unknown engine', (d) => (d.engine = 'webkit')],
  ];
  it.each(broken)('%s', (_name, breakIt) => {
    const doc = valid();
    expect(validate(schema, doc)).toEqual([]);
    breakIt(doc);
    expect(validate(schema, doc).length).toBeGreaterThan(0);
  });
});
