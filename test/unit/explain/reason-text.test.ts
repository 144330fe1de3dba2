import { isWarningReason, mdnLink, REASON_IDS, UNOBSERVABLE_REASON_IDS } from '../../../src/cors/reasons.ts';
import { LOCALES, reasonIndex, reasonMdnUrl, reasonTitle } from '../../../src/explain/index.ts';
import { reasonText } from '../../../src/explain/reason-text.ts';

/** Sentences in a paragraph, for en/fr (". ") and ja ("。"). */
function sentences(text: string): number {
  return text.split(/(?<=[.!?])\s+|(?<=。)/).filter((s) => s.trim() !== '').length;
}

describe('reasonIndex', () => {
  it.each(LOCALES)('%s: every reason, in REASON_IDS order, with flags and MDN link', (locale) => {
    const index = reasonIndex(locale);
    expect(index.map((e) => e.id)).toEqual([...REASON_IDS]);
    for (const entry of index) {
      expect(entry.observable).toBe(!UNOBSERVABLE_REASON_IDS.has(entry.id));
      expect(entry.warning).toBe(isWarningReason(entry.id));
      expect(entry.mdnUrl).toBe(mdnLink(entry.id, locale));
      expect(entry.title).toBe(reasonTitle(entry.id, locale));
      expect(entry.summary.length).toBeGreaterThan(80);
      expect(entry.why.length).toBeGreaterThanOrEqual(2);
      expect(entry.why.length).toBeLessThanOrEqual(4);
    }
    expect(index.filter((e) => !e.observable).map((e) => e.id)).toEqual(['CORSDisabled', 'CORSOriginHeaderNotAdded', 'CORSRequestNotHttp']);
    expect(index.filter((e) => e.warning).map((e) => e.id)).toEqual(['CORSAllowHeaderFromPreflightDeprecation']);
  });

  it('titles are unique within a locale', () => {
    for (const locale of LOCALES) {
      const titles = reasonIndex(locale).map((e) => e.title);
      expect(new Set(titles).size).toBe(titles.length);
    }
  });

  it('ja and fr are written, not copied from en', () => {
    const en = reasonIndex('en');
    for (const locale of ['ja', 'fr'] as const) {
      const other = reasonIndex(locale);
      other.forEach((entry, i) => {
        expect(entry.summary).not.toBe(en[i]?.summary);
        expect(entry.why).not.toEqual(en[i]?.why);
      });
    }
    // Japanese text is Japanese: it has kana in every summary.
    for (const entry of reasonIndex('ja')) expect(entry.summary).toMatch(/[\u3040-\u30ff]/);
    // French text has French words.
    for (const entry of reasonIndex('fr')) expect(`${entry.summary} ${entry.why.join(' ')}`).toMatch(/\b(le|la|les|une?|des|du)\b/);
  });

  it('each "why" item is a short sentence or two', () => {
    for (const locale of LOCALES) {
      for (const entry of reasonIndex(locale)) for (const item of entry.why) expect(sentences(item)).toBeLessThanOrEqual(2);
    }
  });

  it('returns copies: a caller cannot change the text for everyone', () => {
    const first = reasonIndex('en');
    first[0]?.why.push('changed');
    expect(reasonIndex('en')[0]?.why).not.toContain('changed');
  });
});

describe('reason text for an unknown id', () => {
  it('falls back to generic text and the CORS guide', () => {
    expect(reasonText('CORSSomethingNew', 'fr').title).toBe('Requête cross-origin bloquée');
    expect(reasonMdnUrl('CORSSomethingNew', 'ja')).toBe('https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS');
    expect(reasonMdnUrl('CORSMethodNotFound', 'ja')).toBe(mdnLink('CORSMethodNotFound', 'ja'));
  });
});
