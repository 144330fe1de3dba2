// The small predicates the tracker uses on live events (src/cors/tracking-predicates.ts).
import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../../src/cors/exchange.ts';
import {
  copiedHeaderValue,
  fetchMetadataRulesOutCors,
  isKeptRequestHeader,
  isKeptResponseHeader,
  isPreflightRequest,
} from '../../../src/cors/tracking-predicates.ts';

describe('isPreflightRequest', () => {
  it('is an OPTIONS with Access-Control-Request-Method, nothing else', () => {
    expect(isPreflightRequest('OPTIONS', [['access-control-request-method', 'PUT']])).toBe(true);
    expect(isPreflightRequest('OPTIONS', [['origin', 'http://a.test']])).toBe(false);
    expect(isPreflightRequest('GET', [['access-control-request-method', 'PUT']])).toBe(false);
    expect(isPreflightRequest('OPTIONS', undefined)).toBe(false);
  });
});

describe('fetchMetadataRulesOutCors', () => {
  it.each([
    [[['sec-fetch-mode', 'no-cors']], true],
    [[['sec-fetch-mode', 'navigate']], true],
    [[['sec-fetch-mode', 'websocket']], true],
    [[['sec-fetch-mode', 'cors'], ['sec-fetch-site', 'same-origin']], true],
    [[['sec-fetch-mode', 'cors'], ['sec-fetch-site', 'same-site']], false],
    [[['sec-fetch-mode', 'cors'], ['sec-fetch-site', 'cross-site']], false],
    [[['sec-fetch-mode', 'same-origin'], ['sec-fetch-site', 'cross-site']], false],
    [[['origin', 'http://a.test']], false],
    [[], false],
  ] as const)('%j → %s', (headers, expected) => {
    expect(fetchMetadataRulesOutCors(headers)).toBe(expected);
  });
});

describe('copiedHeaderValue', () => {
  it('redacts secrets, keeps deciding values, keeps other names only', () => {
    for (const name of ['cookie', 'authorization', 'proxy-authorization', 'set-cookie']) {
      expect(copiedHeaderValue(name, 'abc', isKeptRequestHeader)).toBe(REDACTED);
      expect(copiedHeaderValue(name, 'abc', isKeptResponseHeader)).toBe(REDACTED);
    }
    expect(copiedHeaderValue('origin', 'http://a.test', isKeptRequestHeader)).toBe('http://a.test');
    expect(copiedHeaderValue('access-control-allow-origin', '*', isKeptResponseHeader)).toBe('*');
    expect(copiedHeaderValue('user-agent', 'Mozilla', isKeptRequestHeader)).toBe('');
    expect(copiedHeaderValue('etag', '"x"', isKeptResponseHeader)).toBe('');
  });

  it('takes the password out of a Location, keeping the username', () => {
    const copied = copiedHeaderValue('location', 'http://user:hunter2@api.test/next', isKeptResponseHeader);
    expect(copied).not.toContain('hunter2');
    expect(copied).toContain('user:');
    expect(copiedHeaderValue('location', '/relative?a=b', isKeptResponseHeader)).toBe('/relative?a=b');
  });
});
