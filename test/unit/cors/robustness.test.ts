import fc from 'fast-check';
import { isCorsCandidate } from '../../../src/cors/candidate.ts';
import { classify } from '../../../src/cors/classify.ts';
import type { Exchange } from '../../../src/cors/exchange.ts';
import { isReasonId } from '../../../src/cors/reasons.ts';
import { reduceExchange } from '../../../src/cors/reduce.ts';
import { API, PAGE } from './build.ts';

// Header names and values drawn from the ones that matter, plus noise, so the generator reaches the checks.
const name = fc.oneof(
  fc.constantFrom(
    'access-control-allow-origin',
    'access-control-allow-methods',
    'access-control-allow-headers',
    'access-control-allow-credentials',
    'access-control-request-method',
    'access-control-request-headers',
    'access-control-request-private-network',
    'origin',
    'cookie',
    'authorization',
    'sec-fetch-mode',
    'vary',
    'content-type',
  ),
  fc.string(),
);
const value = fc.oneof(
  fc.constantFrom('*', 'null', PAGE, `${PAGE}/`, `${PAGE}, ${API}`, 'true', 'True', 'GET, PUT', 'x-token', 'cors', 'same-origin', '', ' , ,'),
  fc.string(),
  fc.string({ unit: 'binary' }),
);
const headers = fc.array(fc.tuple(name, value), { maxLength: 8 });
const url = fc.oneof(
  fc.constantFrom(`${API}/x`, `${PAGE}/x`, 'file:///x', 'data:,x', `blob:${API}/1`, 'chrome-extension://id/x', 'https://u:p@api.test/', 'http://[', ''),
  fc.webUrl(),
  fc.string(),
);
const error = fc.option(
  fc.constantFrom('net::ERR_FAILED', 'net::ERR_ABORTED', 'net::ERR_CONNECTION_REFUSED', 'NS_ERROR_DOM_BAD_URI', 'NS_BINDING_ABORTED', 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', ''),
  { nil: undefined },
);
const response = fc.option(fc.record({ status: fc.integer({ min: -1, max: 999 }), headers, fromCache: fc.boolean(), ip: fc.constantFrom('127.0.0.1', '8.8.8.8', '::1', 'x') }), {
  nil: undefined,
});
const exchange = fc.record(
  {
    engine: fc.constantFrom('chromium', 'gecko'),
    tabId: fc.integer(),
    frameId: fc.integer(),
    type: fc.constantFrom('xmlhttprequest', 'font', 'image', 'script', 'main_frame', 'other'),
    initiator: fc.option(fc.oneof(fc.constantFrom(PAGE, 'null', 'file://', API), fc.string()), { nil: undefined }),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'OPTIONS', ''),
    url,
    requestHeaders: headers,
    preflight: fc.option(fc.record({ requestHeaders: headers, response, error, redirectedTo: fc.option(url, { nil: undefined }) }), { nil: undefined }),
    redirects: fc.array(fc.record({ status: fc.integer({ min: 300, max: 399 }), from: url, location: url, headers }), { maxLength: 3 }),
    response,
    error,
    startedAt: fc.integer(),
    endedAt: fc.integer(),
  },
  { requiredKeys: [] },
);

describe('classify on any input', () => {
  it('never throws, and answers null or a well-formed diagnosis', () => {
    fc.assert(
      fc.property(exchange, (x) => {
        const d = classify(x as unknown as Exchange);
        if (d === null) return;
        expect(isReasonId(d.reason)).toBe(true);
        expect(typeof d.engineName).toBe('string');
        expect(['preflight', 'actual', 'redirect', 'network']).toContain(d.stage);
        expect(d.alternatives.every(isReasonId)).toBe(true);
        expect(d.alternatives).not.toContain(d.reason);
        if (d.certainty === 'certain') expect(d.alternatives).toEqual([]);
      }),
      { numRuns: 1500, seed: 20251122 },
    );
  });

  it('is deterministic and agrees with its reduced form', () => {
    fc.assert(
      fc.property(exchange, (x) => {
        const input = x as unknown as Exchange;
        expect(classify(input)).toEqual(classify(input));
        // Reduction only cuts values over 2 KB, which this generator does not make.
        expect(classify(reduceExchange(input))).toEqual(classify(input));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('never diagnoses what is not a CORS candidate', () => {
    fc.assert(
      fc.property(exchange, (x) => {
        const input = x as unknown as Exchange;
        if (!isCorsCandidate(input)) expect(classify(input)).toBeNull();
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('survives values that are not what the types say', () => {
    const odd = [
      null,
      undefined,
      0,
      'exchange',
      [],
      { engine: 'webkit' },
      { url: 42, requestHeaders: { origin: PAGE } },
      { url: `${API}/x`, initiator: PAGE, requestHeaders: [[null, null], ['origin'], ['origin', 5]], response: { status: 'ok', headers: 'none' } },
      { url: `${API}/x`, initiator: PAGE, redirects: [null, 1, { location: 7 }], preflight: [] },
    ];
    for (const input of odd) expect(() => classify(input as unknown as Exchange)).not.toThrow();
  });
});
