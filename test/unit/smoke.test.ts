import { isReasonId, mdnLink, REASON_IDS } from '../../src/cors/reasons.ts';

describe('reasons', () => {
  it('knows 15 MDN reasons plus extras', () => {
    expect(REASON_IDS.length).toBeGreaterThanOrEqual(20);
    expect(isReasonId('CORSMissingAllowOrigin')).toBe(true);
    expect(isReasonId('nope')).toBe(false);
  });
  it('links ja for every MDN reason and fr only where MDN has it', () => {
    expect(mdnLink('CORSMethodNotFound', 'ja')).toContain('/ja/');
    expect(mdnLink('CORSMethodNotFound', 'fr')).toContain('/en-US/');
    expect(mdnLink('CORSMissingAllowOrigin', 'fr')).toContain('/fr/');
  });
});
