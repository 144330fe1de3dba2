/**
 * Generators for the hardening properties: hostile strings, exchanges that are well-typed but hostile,
 * values that are not what the types say, random diagnoses and records. Header names and values are drawn
 * partly from the ones that decide CORS, so the generators reach the checks instead of bouncing off the
 * first one.
 */
import fc from 'fast-check';
import type { Culprit, Diagnosis, Evidence, Finding, Stage } from '../../../src/cors/diagnosis.ts';
import type { Exchange, HeaderList } from '../../../src/cors/exchange.ts';
import { REASON_IDS, type ReasonId } from '../../../src/cors/reasons.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';

export const PAGE = 'http://127.0.0.1:5173';
export const API = 'https://api.test';

/** Strings that attack whoever renders, quotes or parses them. */
export const NASTY = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  "'; alert(1); '",
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  "it's \"quoted\" \\ back",
  '```\n# heading\n```',
  '| a | b |\n|---|---|',
  '[x](javascript:alert(1))',
  '\u0000\u0001\u001b[31mred\u001b[0m',
  '\r\nSet-Cookie: injected=1',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  '\ud800',
  '\udc00x\ud800',
  '😀🧨',
  'ÿþ\u00ff\u00fe',
  '__proto__',
  'constructor',
  'toString',
  '%00%0d%0a',
  '*',
  'null',
  '',
  ' ',
  ',,,',
] as const;

const longString = fc
  .tuple(fc.constantFrom('a', 'é', '😀', '<b>', ', '), fc.integer({ min: 1_000, max: 35_000 }))
  .map(([unit, n]) => unit.repeat(n));

/** Any string, weighted towards the hostile ones. */
export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 4 }).map((parts) => parts.join(' ')) },
);

export const DECIDING_NAMES = [
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-allow-private-network',
  'access-control-allow-local-network',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
  'origin',
  'sec-fetch-mode',
  'sec-fetch-site',
  'vary',
  'location',
  'content-type',
] as const;

export const SECRET_NAMES = ['cookie', 'authorization', 'proxy-authorization', 'set-cookie', 'set-cookie2'] as const;

const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...DECIDING_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...SECRET_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('Access-Control-Allow-Origin', 'ORIGIN', 'access-control-x-junk', 'x-token', 'host') },
  { weight: 1, arbitrary: hostileString },
);

const headerValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('*', 'null', PAGE, `${PAGE}/`, `${PAGE}, ${API}`, 'true', 'TRUE', 'GET, PUT', 'x-token', 'cors', 'no-cors', 'same-origin', 'Origin') },
  { weight: 2, arbitrary: hostileString },
);

export const headerList: fc.Arbitrary<HeaderList> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 10 }) },
  // Many lines: repeated ACAO, thousands of junk names.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('access-control-allow-origin', 'x-h', 'access-control-x-'), fc.integer({ min: 2, max: 3_000 }), fc.boolean())
      .map(([name, n, distinct]) => Array.from({ length: n }, (_, i): [string, string] => [distinct ? `${name}${i}` : name, PAGE])),
  },
);

export const url = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      `${API}/x`,
      `${PAGE}/x`,
      'http://127.0.0.1:9/y?q=<script>',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      `blob:${API}/0b0e`,
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop/x',
      'moz-extension://00000000-0000-0000-0000-000000000000/x',
      'javascript:alert(1)',
      'https://user:pass@api.test/',
      'http://[::1]:8080/',
      'http://[',
      'http://xn--80ak6aa92e.com/',
      'ftp://api.test/x',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: hostileString },
);

const status = fc.oneof(fc.constantFrom(0, 200, 204, 301, 302, 304, 307, 308, 401, 403, 404, 500, 599), fc.integer({ min: -10, max: 1_200 }));
const engineError = fc.constantFrom(
  'net::ERR_FAILED',
  'net::ERR_ABORTED',
  'net::ERR_CACHE_MISS',
  'net::ERR_CONNECTION_REFUSED',
  'net::ERR_EMPTY_RESPONSE',
  'net::ERR_INVALID_HTTP_RESPONSE',
  'net::ERR_RESPONSE_HEADERS_TOO_BIG',
  'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
  'NS_ERROR_DOM_BAD_URI',
  'NS_BINDING_ABORTED',
  'NS_ERROR_CONNECTION_REFUSED',
  'NS_ERROR_NET_RESET',
);
const errorString = fc.oneof({ weight: 4, arbitrary: engineError }, { weight: 1, arbitrary: hostileString });

const response = fc.record(
  { status, headers: headerList, fromCache: fc.boolean(), ip: fc.constantFrom('127.0.0.1', '10.0.0.1', '8.8.8.8', '::1', 'fe80::1', '<b>') },
  { requiredKeys: ['status', 'headers'] },
);

/** An exchange as the types allow it, with hostile values everywhere. */
export const exchange: fc.Arbitrary<Exchange> = fc
  .record(
    {
      engine: fc.constantFrom('chromium', 'gecko'),
      tabId: fc.integer({ min: -1, max: 2_000 }),
      frameId: fc.integer({ min: -1, max: 50 }),
      type: fc.constantFrom('xmlhttprequest', 'fetch', 'font', 'image', 'script', 'stylesheet', 'media', 'main_frame', 'other'),
      initiator: fc.oneof(fc.constantFrom(PAGE, 'null', 'file://', API, 'chrome-extension://other'), hostileString),
      documentUrl: url,
      method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'patch', 'OPTIONS'), hostileString),
      url,
      requestHeaders: headerList,
      preflight: fc.record(
        { requestHeaders: headerList, response, error: errorString, redirectedTo: url },
        { requiredKeys: ['requestHeaders'] },
      ),
      redirects: fc.array(fc.record({ status: fc.integer({ min: 300, max: 399 }), from: url, location: url, headers: headerList }), { maxLength: 3 }),
      response,
      error: errorString,
      startedAt: fc.integer({ min: 0, max: 2 ** 42 }),
      endedAt: fc.integer({ min: 0, max: 2 ** 42 }),
    },
    { requiredKeys: ['engine', 'tabId', 'frameId', 'type', 'method', 'url', 'requestHeaders', 'redirects', 'startedAt', 'endedAt'] },
  )
  .map((x) => x as Exchange);

/** Keys that trip naive code: prototype names, getters' names, the exchange's own fields. */
const odd = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, '', [], {}, [[]], [[null, null]], [['origin']], [['origin', 5]], [[5, 'x']]),
);

/** An exchange in which any field may hold a value of another type (storage, imported files, bugs). */
export const malformedExchange: fc.Arbitrary<unknown> = fc.oneof(
  odd,
  fc
    .tuple(exchange, fc.dictionary(fc.constantFrom('engine', 'url', 'method', 'initiator', 'requestHeaders', 'preflight', 'redirects', 'response', 'error', 'startedAt', 'endedAt', 'tabId', 'type', '__proto__', 'constructor'), odd))
    .map(([x, patch]) => Object.assign(JSON.parse(JSON.stringify(x)) as object, patch)),
  // Nested parts malformed too.
  fc.tuple(exchange, odd, odd).map(([x, a, b]) => ({ ...x, response: { status: a, headers: b }, preflight: { requestHeaders: b, response: a }, redirects: [a, b] })),
  // JSON with own __proto__ keys, as JSON.parse makes them.
  exchange.map((x) => JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(x).slice(1)}`)),
);

// ---------------------------------------------------------------------------------------------------------
// Diagnoses and records

export const reasonId = fc.constantFrom(...REASON_IDS);
const stage: fc.Arbitrary<Stage> = fc.constantFrom('preflight', 'actual', 'redirect', 'network');

const culprit: fc.Arbitrary<Culprit> = fc.record(
  { kind: fc.constantFrom('header', 'method', 'request-header', 'origin', 'status', 'url', 'scheme', 'network'), name: hostileString, value: hostileString },
  { requiredKeys: ['kind'] },
);

const evidence: fc.Arbitrary<Evidence> = fc.record({
  stage: fc.constantFrom('preflight', 'actual', 'redirect'),
  header: fc.oneof(fc.constantFrom(...DECIDING_NAMES, ':status'), hostileString),
  got: fc.option(hostileString, { nil: null }),
  needed: hostileString,
  ok: fc.boolean(),
});

const finding: fc.Arbitrary<Finding> = fc.oneof(
  fc.record({ code: fc.constant('http-error-status' as const), stage: fc.constantFrom('preflight' as const, 'actual' as const), status: status }),
  fc.record({ code: fc.constant('network-error' as const), error: errorString }),
  fc.record({ code: fc.constant('cached-response' as const), stage: fc.constantFrom('preflight' as const, 'actual' as const) }),
  fc.constant({ code: 'missing-vary-origin' as const }),
  fc.record({ code: fc.constant('credentials-sent' as const), via: fc.constantFrom('cookie' as const, 'authorization' as const) }),
  fc.record({ code: fc.constant('null-origin-after-redirect' as const), redirectCount: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ code: fc.constant('local-network' as const), address: hostileString }),
  fc.constant({ code: 'file-page' as const }),
  fc.constant({ code: 'authorization-via-wildcard' as const }),
  fc.record({ code: fc.constant('preflight-reason' as const), cause: fc.constantFrom('method' as const, 'header' as const, 'content-type' as const), value: hostileString }),
  fc.record({ code: fc.constant('header-value-truncated' as const), header: hostileString }),
);

/** Any diagnosis the types allow, consistent or not with its exchange. */
export const diagnosis: fc.Arbitrary<Diagnosis> = fc
  .record(
    {
      reason: reasonId,
      engineName: hostileString,
      stage,
      certainty: fc.constantFrom('certain', 'inferred'),
      alternatives: fc.uniqueArray(reasonId, { maxLength: 4 }),
      unseen: fc.constantFrom('credentials-mode', 'request-mode', 'response-headers', 'console-only'),
      culprit,
      evidence: fc.array(evidence, { maxLength: 5 }),
      findings: fc.array(finding, { maxLength: 6 }),
    },
    { requiredKeys: ['reason', 'engineName', 'stage', 'certainty', 'alternatives', 'evidence', 'findings'] },
  )
  .map((d) => ({ ...d, alternatives: d.alternatives.filter((a: ReasonId) => a !== d.reason) }) as Diagnosis);

export function recordOf(x: Exchange, d: Diagnosis, seq: number): CorsRecord {
  return { id: `${x.tabId}:${seq}`, tabId: x.tabId, seq, exchange: x, diagnosis: d };
}
