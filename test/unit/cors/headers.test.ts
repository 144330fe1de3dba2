import {
  corsUnsafeRequestHeaderNames,
  getHeader,
  hasUrlCredentials,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  isSameOrigin,
  isToken,
  lookupHeader,
  mimeEssence,
  normalizeMethod,
  originsEqual,
  parseTokenList,
  serializeOrigin,
  splitHeaderNames,
  trimHttpWhitespace,
} from '../../../src/cors/headers.ts';

describe('lookupHeader', () => {
  it('collects every entry with the name, trimmed, and tells repeated from comma-joined', () => {
    const list: [string, string][] = [
      ['access-control-allow-origin', ' https://a.test '],
      ['vary', 'Origin'],
      ['access-control-allow-origin', 'https://b.test'],
    ];
    expect(lookupHeader(list, 'Access-Control-Allow-Origin')).toEqual({
      values: ['https://a.test', 'https://b.test'],
      combined: 'https://a.test, https://b.test',
      repeated: true,
      commaJoined: false,
    });
    expect(lookupHeader([['acao', 'a, b']], 'acao')).toMatchObject({ repeated: false, commaJoined: true });
  });

  it('is null when absent and "" when present but empty', () => {
    expect(getHeader([], 'x')).toBeNull();
    expect(getHeader([['x', '  ']], 'x')).toBe('');
  });

  it('ignores malformed entries', () => {
    const bad = [['x'], 'x', null, ['x', 1], [2, 'y'], ['x', 'ok']] as unknown as [string, string][];
    expect(getHeader(bad, 'x')).toBe('ok');
    expect(getHeader(undefined, 'x')).toBeNull();
  });
});

describe('token lists', () => {
  it.each([
    ['GET, PUT', { valid: true, tokens: ['GET', 'PUT'] }],
    ['GET,,PUT, ', { valid: true, tokens: ['GET', 'PUT'] }],
    ['', { valid: true, tokens: [] }],
    ['PUT;', { valid: false, tokens: [], invalidToken: 'PUT;' }],
    ['GET, x y, z(', { valid: false, tokens: ['GET'], invalidToken: 'x y' }],
    ['x-token\u0007', { valid: false, tokens: [], invalidToken: 'x-token\u0007' }],
    ['*', { valid: true, tokens: ['*'] }],
  ])('%j', (value, expected) => {
    expect(parseTokenList(value)).toEqual(expected);
  });

  it('treats an absent header as an empty valid list', () => {
    expect(parseTokenList(null)).toEqual({ valid: true, tokens: [] });
  });

  it('handles 10 000 tokens', () => {
    const value = Array.from({ length: 10_000 }, (_, i) => `t${i}`).join(',');
    const list = parseTokenList(value);
    expect(list.valid && list.tokens.length).toBe(10_000);
  });

  it('knows tokens', () => {
    expect(isToken("!#$%&'*+-.^_`|~09azAZ")).toBe(true);
    for (const bad of ['', 'a b', 'a,b', 'a;', 'é', '"a"']) expect(isToken(bad)).toBe(false);
  });

  it('splits request header names lower-cased', () => {
    expect(splitHeaderNames('Content-Type, X-Token,,')).toEqual(['content-type', 'x-token']);
    expect(splitHeaderNames(null)).toEqual([]);
  });

  it('trims only HTTP whitespace', () => {
    expect(trimHttpWhitespace('\t\r\n a \u00a0')).toBe('a \u00a0');
  });
});

describe('origins', () => {
  it.each([
    ['https://api.test/path?q=1#f', 'https://api.test'],
    ['http://a.test:80/', 'http://a.test'],
    ['https://a.test:443', 'https://a.test'],
    ['http://a.test:8080/x', 'http://a.test:8080'],
    ['HTTP://A.TEST/', 'http://a.test'],
    ['http://[::1]:5173/', 'http://[::1]:5173'],
    ['https://bücher.test/', 'https://xn--bcher-kva.test'],
    ['blob:https://a.test/uuid', 'https://a.test'],
    ['data:text/plain,x', 'null'],
    ['file:///etc/hosts', 'null'],
    ['about:blank', 'null'],
    ['chrome-extension://abcdef/page.html', 'chrome-extension://abcdef'],
    ['moz-extension://1234-5678/x', 'moz-extension://1234-5678'],
    ['null', 'null'],
  ])('%s → %s', (url, origin) => {
    expect(serializeOrigin(url)).toBe(origin);
  });

  it('returns null (not "null") for input that is not a URL', () => {
    for (const bad of ['', 'a.test', 'http://[bad', undefined]) expect(serializeOrigin(bad)).toBeNull();
  });

  it('compares serialised origins byte for byte', () => {
    expect(originsEqual('https://a.test', 'https://a.test')).toBe(true);
    expect(originsEqual('https://a.test', 'https://a.test/')).toBe(false);
    expect(originsEqual('https://a.test', 'https://A.test')).toBe(false);
  });

  it('knows same origin, and that an opaque origin matches nothing', () => {
    expect(isSameOrigin('https://a.test/x', 'https://a.test:443/y')).toBe(true);
    expect(isSameOrigin('https://a.test', 'http://a.test')).toBe(false);
    expect(isSameOrigin('null', 'null')).toBe(false);
    expect(isSameOrigin('data:,x', 'data:,x')).toBe(false);
    expect(isSameOrigin('nonsense', 'nonsense')).toBe(false);
  });

  it('sees user:password in a URL', () => {
    expect(hasUrlCredentials('https://u:p@a.test/')).toBe(true);
    expect(hasUrlCredentials('https://u@a.test/')).toBe(true);
    expect(hasUrlCredentials('https://a.test/')).toBe(false);
    expect(hasUrlCredentials('not a url')).toBe(false);
  });
});

describe('methods', () => {
  it('safelists exactly GET, HEAD, POST', () => {
    expect(['GET', 'HEAD', 'POST'].every(isCorsSafelistedMethod)).toBe(true);
    expect(['get', 'PUT', 'PATCH', 'OPTIONS'].some(isCorsSafelistedMethod)).toBe(false);
  });

  it('normalises only the six standard methods', () => {
    expect(['delete', 'get', 'head', 'options', 'post', 'put'].map(normalizeMethod)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
    expect(normalizeMethod('patch')).toBe('patch');
    expect(normalizeMethod('Custom')).toBe('Custom');
  });
});

describe('request headers', () => {
  it('knows forbidden names, prefixes and method overrides', () => {
    for (const name of ['Cookie', 'origin', 'Sec-Fetch-Mode', 'Proxy-Authorization', 'host', 'Content-Length']) {
      expect(isForbiddenRequestHeader(name)).toBe(true);
    }
    expect(isForbiddenRequestHeader('x-http-method-override', 'GET, TRACE')).toBe(true);
    expect(isForbiddenRequestHeader('x-http-method-override', 'PATCH')).toBe(false);
    expect(isForbiddenRequestHeader('authorization')).toBe(false);
  });

  it.each([
    ['accept', 'application/json', true],
    ['accept', 'text/html(', false],
    ['accept-language', 'en-US,en;q=0.9', true],
    ['accept-language', 'en_US', false],
    ['content-language', 'de-DE', true],
    ['content-type', 'text/plain;charset=UTF-8', true],
    ['content-type', 'Multipart/Form-Data; boundary=x', true],
    ['content-type', 'application/x-www-form-urlencoded', true],
    ['content-type', 'application/json', false],
    ['content-type', 'text/plain; x="a"', false],
    ['content-type', 'text', false],
    ['range', 'bytes=0-', true],
    ['range', 'bytes=5-10', true],
    ['range', 'bytes=10-5', false],
    ['range', 'bytes=-500', false],
    ['range', 'bytes = 0-', false],
    ['x-token', 'a', false],
    ['accept', 'a'.repeat(129), false],
  ])('%s: %s → %s', (name, value, safe) => {
    expect(isCorsSafelistedRequestHeader(name, value)).toBe(safe);
  });

  it('reads the MIME essence', () => {
    expect(mimeEssence(' Text/Plain ; charset=utf-8')).toBe('text/plain');
    expect(mimeEssence('/plain')).toBeNull();
  });

  it('lists the unsafe names sorted, lower-case, skipping forbidden ones', () => {
    const headers: [string, string][] = [
      ['X-Token', '1'],
      ['Content-Type', 'application/json'],
      ['Accept', '*/*'],
      ['User-Agent', 'ua'],
      ['Cookie', 'a=b'],
      ['Sec-Fetch-Mode', 'cors'],
      ['x-token', '2'],
    ];
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(['content-type', 'user-agent', 'x-token']);
  });

  it('makes safelisted headers unsafe together past 1024 bytes', () => {
    const headers: [string, string][] = Array.from({ length: 9 }, () => ['accept', 'a'.repeat(120)]);
    expect(corsUnsafeRequestHeaderNames(headers)).toEqual(['accept']);
    expect(corsUnsafeRequestHeaderNames(headers.slice(0, 8))).toEqual([]);
  });
});
