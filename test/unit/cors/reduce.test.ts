import { classify } from '../../../src/cors/classify.ts';
import { type Exchange, REDACTED } from '../../../src/cors/exchange.ts';
import { getHeader } from '../../../src/cors/headers.ts';
import { MAX_VALUE_BYTES, truncateValue } from '../../../src/cors/redact.ts';
import { reduceExchange } from '../../../src/cors/reduce.ts';
import { ex, PAGE, pre, res } from './build.ts';
import { rows } from './cases.ts';

/** A request as Chromium's webRequest shows it with extraHeaders: many headers that do not matter. */
function realistic(): Exchange {
  return ex({
    method: 'POST',
    requestHeaders: [
      ['host', 'api.test'],
      ['connection', 'keep-alive'],
      ['content-length', '27'],
      ['sec-ch-ua-platform', '"Linux"'],
      ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'],
      ['sec-ch-ua', '"Chromium";v="156", "Not)A;Brand";v="24"'],
      ['content-type', 'application/json'],
      ['sec-ch-ua-mobile', '?0'],
      ['accept', '*/*'],
      ['origin', PAGE],
      ['sec-fetch-site', 'cross-site'],
      ['sec-fetch-mode', 'cors'],
      ['sec-fetch-dest', 'empty'],
      ['referer', `${PAGE}/`],
      ['accept-encoding', 'gzip, deflate, br, zstd'],
      ['accept-language', 'en-US,en;q=0.9'],
      ['cookie', 'session=0123456789abcdef0123456789abcdef; theme=dark; consent=yes'],
    ],
    preflight: pre({ method: 'POST', acrh: 'content-type', headers: [['access-control-allow-origin', PAGE], ['date', 'Sat, 22 Nov 2025 01:19:00 GMT']] }),
    response: res(200, [
      ['date', 'Sat, 22 Nov 2025 01:19:00 GMT'],
      ['content-type', 'application/json; charset=utf-8'],
      ['content-length', '1234'],
      ['connection', 'keep-alive'],
      ['etag', 'W/"4d2-abcdefabcdefabcdefabcdef"'],
      ['x-request-id', '6f1c2a4e-1b7d-4c1e-9c71-2b1f0a9e5d33'],
      ['set-cookie', 'session=fedcba9876543210; Path=/; HttpOnly; Secure; SameSite=None'],
      ['strict-transport-security', 'max-age=63072000; includeSubDomains; preload'],
      ['server', 'nginx/1.27.0'],
    ]),
    error: 'net::ERR_FAILED',
  });
}

describe('reduceExchange', () => {
  it('keeps deciding request header values, names the others, redacts secrets', () => {
    const r = reduceExchange(realistic());
    expect(getHeader(r.requestHeaders, 'origin')).toBe(PAGE);
    expect(getHeader(r.requestHeaders, 'content-type')).toBe('application/json');
    expect(getHeader(r.requestHeaders, 'sec-fetch-mode')).toBe('cors');
    expect(getHeader(r.requestHeaders, 'user-agent')).toBe('');
    expect(getHeader(r.requestHeaders, 'cookie')).toBe(REDACTED);
    expect(JSON.stringify(r)).not.toContain('0123456789abcdef');
  });

  it('keeps CORS response headers and a few that explain them; Set-Cookie is redacted', () => {
    const r = reduceExchange(realistic());
    expect(getHeader(r.preflight?.response?.headers, 'access-control-allow-origin')).toBe(PAGE);
    expect(getHeader(r.response?.headers, 'content-type')).toBe('application/json; charset=utf-8');
    expect(getHeader(r.response?.headers, 'server')).toBe('nginx/1.27.0');
    expect(getHeader(r.response?.headers, 'etag')).toBe('');
    expect(getHeader(r.response?.headers, 'set-cookie')).toBe(REDACTED);
    expect(JSON.stringify(r)).not.toContain('fedcba9876543210');
  });

  it('stays under 1 KB for a typical simple request, and near it for a heavy preflighted one', () => {
    const bytes = (x: Exchange) => new TextEncoder().encode(JSON.stringify(reduceExchange(x))).length;
    const full = realistic();
    const simple = ex({
      requestHeaders: full.requestHeaders.filter(([n]) => n !== 'content-type' && n !== 'content-length' && n !== 'cookie'),
      response: full.response,
      error: 'net::ERR_FAILED',
    });
    expect(bytes(simple)).toBeLessThanOrEqual(1024);
    // Preflight, Cookie and nine response headers: the heavy end of what is typical.
    expect(bytes(full)).toBeLessThanOrEqual(1152);
  });

  it('redacts a password in any URL but keeps the fact that there was one', () => {
    const r = reduceExchange(
      ex({ url: 'https://api.test/a', redirects: [{ status: 302, from: 'https://api.test/a', location: 'https://user:hunter2@other.test/b', headers: [] }] }),
    );
    expect(r.redirects[0]?.location).toBe('https://user:redacted@other.test/b');
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('redacts a password in Location header values too (redirects, the final response, the preflight)', () => {
    const location: [string, string] = ['location', 'https://user:hunter2@other.test/b'];
    const r = reduceExchange(
      ex({
        url: 'https://api.test/a',
        redirects: [{ status: 302, from: 'https://api.test/a', location: 'https://other.test/b', headers: [location] }],
        response: res(302, [location]),
        preflight: pre({ status: 307, headers: [location] }),
      }),
    );
    expect(getHeader(r.redirects[0]?.headers, 'location')).toBe('https://user:redacted@other.test/b');
    expect(getHeader(r.response?.headers, 'location')).toBe('https://user:redacted@other.test/b');
    expect(getHeader(r.preflight?.response?.headers, 'location')).toBe('https://user:redacted@other.test/b');
    expect(JSON.stringify(r)).not.toContain('hunter2');
    // A relative Location cannot carry a password and stays as it was.
    expect(getHeader(reduceExchange(ex({ response: res(301, [['location', '/next?a=1']]) })).response?.headers, 'location')).toBe('/next?a=1');
  });

  it('lists a repeated unimportant name once, and bounds how many it lists', () => {
    const many: [string, string][] = Array.from({ length: 5000 }, (_, i) => [`x-h${i % 100}`, 'v']);
    const r = reduceExchange(ex({ response: res(200, [...many, ['access-control-allow-origin', PAGE]]) }));
    const headers = r.response?.headers ?? [];
    expect(headers.length).toBeLessThanOrEqual(33);
    expect(getHeader(headers, 'access-control-allow-origin')).toBe(PAGE);
  });

  it('keeps repeated ACAO lines (they decide "multiple"), up to a bound', () => {
    const lines: [string, string][] = Array.from({ length: 100 }, () => ['access-control-allow-origin', PAGE]);
    const r = reduceExchange(ex({ response: res(200, lines) }));
    expect(r.response?.headers.length).toBe(8);
  });

  it('gives the same diagnosis on the reduced exchange as on the original, within the value budget', () => {
    let compared = 0;
    for (const row of rows) {
      // Over the 2 KB budget a value is cut and marked, which may change what a re-classification says
      // (a cut token list is no longer valid); the stored diagnosis is the one made on the full exchange.
      if (JSON.stringify(row.ex).length > 20_000) continue;
      expect(classify(reduceExchange(row.ex)), row.name).toEqual(classify(row.ex));
      compared++;
    }
    expect(compared).toBeGreaterThan(rows.length - 10);
  });

  it('does not change its input and never throws on garbage', () => {
    const input = realistic();
    const copy = structuredClone(input);
    reduceExchange(input);
    expect(input).toEqual(copy);
    for (const garbage of [null, 42, 'x', [], { requestHeaders: 'no' }, { response: { headers: [[1, 2]] } }]) {
      expect(() => reduceExchange(garbage as unknown as Exchange)).not.toThrow();
    }
  });
});

describe('truncateValue', () => {
  it('leaves short values alone', () => {
    expect(truncateValue('abc')).toBe('abc');
    expect(truncateValue('a'.repeat(MAX_VALUE_BYTES))).toBe('a'.repeat(MAX_VALUE_BYTES));
  });

  it('cuts at 2 KB and says how many bytes went', () => {
    const out = truncateValue('a'.repeat(MAX_VALUE_BYTES + 10));
    expect(out).toBe(`${'a'.repeat(MAX_VALUE_BYTES)}…[truncated 10 bytes]`);
  });

  it('never cuts inside a character', () => {
    const out = truncateValue('é'.repeat(2000));
    expect(out.startsWith('é'.repeat(1024))).toBe(true);
    expect(out).toContain('…[truncated 1952 bytes]');
    expect(truncateValue('😀'.repeat(600), 10)).toBe('😀😀…[truncated 2392 bytes]');
  });
});
