import { ellipsizeMiddle, formatSize, hasInvisible, revealInvisible, shortUrl } from '../../../src/panel/format.ts';

describe('shortUrl', () => {
  test('keeps short URLs whole, without the scheme', () => {
    expect(shortUrl('https://api.shop.example/v1/cart?x=1')).toBe('api.shop.example/v1/cart?x=1');
    expect(shortUrl('http://localhost:8080/api')).toBe('localhost:8080/api');
  });
  test('keeps the host and the tail of a long path', () => {
    const out = shortUrl('https://api.shop.example/v1/organisations/acme/projects/website/deployments/812/logs?level=error', 60);
    expect(out.startsWith('api.shop.example/…/')).toBe(true);
    expect(out).toContain('logs');
    expect(out.length).toBeLessThanOrEqual(60);
  });
  test('never exceeds the budget, even with a huge segment or query', () => {
    for (const url of [`https://h.example/${'a'.repeat(500)}`, `https://h.example/p?${'q'.repeat(500)}`, `data:text/plain,${'x'.repeat(300)}`, 'not a url at all '.repeat(20)]) {
      expect(shortUrl(url, 64).length).toBeLessThanOrEqual(64);
    }
  });
});

test('ellipsizeMiddle and formatSize', () => {
  expect(ellipsizeMiddle('abcdefghij', 5)).toBe('ab…ij');
  expect(ellipsizeMiddle('abc', 5)).toBe('abc');
  expect(formatSize(100 * 1024)).toBe('100 KB');
  expect(formatSize(512)).toBe('512 B');
});

test('invisible and reordering characters are detected and revealed', () => {
  expect(hasInvisible('https://app.example')).toBe(false);
  expect(hasInvisible('tab\tand\nnewline are visible')).toBe(false);
  expect(hasInvisible('a\u0000b')).toBe(true);
  expect(hasInvisible('\u202Egnp.exe')).toBe(true);
  expect(hasInvisible('zero\u200Bwidth')).toBe(true);
  expect(revealInvisible('a\u0000b\u202Ec')).toBe('a\\u{0000}b\\u{202E}c');
  expect(revealInvisible('日本語 🚀')).toBe('日本語 🚀');
});
