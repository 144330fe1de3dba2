import { detectLocale, LOCALES, stageLabel } from '../../../src/explain/index.ts';

describe('detectLocale', () => {
  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['JA_jp', 'ja'],
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['fr_BE', 'fr'],
    [' fr-FR ', 'fr'],
    ['en-US', 'en'],
    ['de', 'en'],
    ['jav', 'en'],
    ['frr', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (input, expected) => {
    expect(detectLocale(input)).toBe(expected);
  });
});

describe('stageLabel', () => {
  const stages = ['preflight', 'actual', 'redirect', 'network'] as const;
  it('labels every stage in every locale, distinctly within a locale', () => {
    for (const locale of LOCALES) {
      const labels = stages.map((s) => stageLabel(s, locale));
      for (const label of labels) expect(label.trim()).not.toBe('');
      expect(new Set(labels).size).toBe(stages.length);
    }
  });
  it('is localized (ja differs from en) and keeps OPTIONS on the preflight', () => {
    for (const s of stages) expect(stageLabel(s, 'ja')).not.toBe(stageLabel(s, 'en'));
    for (const locale of LOCALES) expect(stageLabel('preflight', locale)).toContain('OPTIONS');
  });
});
