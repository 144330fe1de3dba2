import fc from 'fast-check';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { mdnLink } from '../../../src/cors/reasons.ts';
import { explain, LOCALES } from '../../../src/explain/index.ts';
import { allRecords, scenario } from './fixtures.ts';

describe('explain', () => {
  it('gives every fixture a title, verdict, why and MDN link in every locale', () => {
    for (const record of allRecords()) {
      for (const locale of LOCALES) {
        const e = explain(record, locale);
        expect(e.reason).toBe(record.diagnosis.reason);
        expect(e.title.trim()).not.toBe('');
        expect(e.verdict.trim()).not.toBe('');
        expect(e.why.length).toBeGreaterThanOrEqual(2);
        expect(e.mdnUrl).toBe(mdnLink(record.diagnosis.reason, locale));
        for (const f of e.findings) expect(f.text.trim()).not.toBe('');
      }
    }
  });

  it('verdicts of different fixtures differ (templates use the data)', () => {
    const verdicts = allRecords().map((r) => explain(r, 'en').verdict);
    expect(new Set(verdicts).size).toBe(verdicts.length);
  });

  it('puts primary findings first', () => {
    const e = explain(scenario('missingAllowOrigin500'), 'en');
    expect(e.findings[0]?.severity).toBe('primary');
    expect(e.findings[0]?.text).toContain('500');
  });

  it('an unknown reason id gets generic text instead of throwing', () => {
    const record = scenario('missingAllowOriginGet');
    const odd = { ...record, diagnosis: { ...record.diagnosis, reason: 'CORSFromTheFuture' } } as unknown as CorsRecord;
    const e = explain(odd, 'en');
    expect(e.title).toBe('Cross-origin request blocked');
    expect(e.verdict).toContain(record.exchange.url);
  });

  it('never throws, whatever the record holds', () => {
    const base = scenario('headerNotAllowed');
    const anyValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.array(fc.tuple(fc.string(), fc.string())));
    fc.assert(
      fc.property(
        fc.record({
          exchange: fc.dictionary(fc.constantFrom('url', 'method', 'requestHeaders', 'preflight', 'redirects', 'response', 'error', 'initiator'), anyValue),
          diagnosis: fc.dictionary(fc.constantFrom('reason', 'stage', 'evidence', 'findings', 'culprit', 'alternatives', 'certainty'), anyValue),
        }),
        fc.constantFrom(...LOCALES),
        (patch, locale) => {
          const record = {
            ...base,
            exchange: { ...base.exchange, ...patch.exchange },
            diagnosis: { ...base.diagnosis, ...patch.diagnosis },
          } as unknown as CorsRecord;
          const e = explain(record, locale);
          expect(typeof e.title).toBe('string');
          expect(typeof e.verdict).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });
});
