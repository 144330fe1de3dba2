/**
 * Recorded CORS failures for the test shell and the panel's component tests: realistic exchanges for every
 * observable reason, hostile values, and a generator for large lists. Each scenario is a hand-made Exchange
 * (what the extension would observe); its Diagnosis comes from the real classifier, so the panel is shown
 * exactly what the extension would record.
 */
import { classify } from '../../src/cors/classify.ts';
import type { Diagnosis } from '../../src/cors/diagnosis.ts';
import type { Exchange, HeaderList } from '../../src/cors/exchange.ts';
import type { CorsRecord } from '../../src/cors/record.ts';
import type { ReasonId } from '../../src/cors/reasons.ts';

export const APP = 'https://app.shop.example';
export const API = 'https://api.shop.example';
const BASE_TIME = Date.UTC(2025, 5, 12, 9, 41, 3, 120);

type ExchangeDraft = Omit<Exchange, 'startedAt' | 'endedAt' | 'tabId' | 'frameId' | 'engine' | 'redirects'> &
  Partial<Pick<Exchange, 'engine' | 'redirects'>>;

/** A hand-made exchange and the reason the classifier is expected to find in it. */
export interface Scenario {
  exchange: ExchangeDraft;
  expect: ReasonId;
}

const reqHeaders = (extra: HeaderList = [], origin = APP): HeaderList => [
  ['origin', origin],
  ['sec-fetch-mode', 'cors'],
  ['sec-fetch-site', 'same-site'],
  ['accept', 'application/json'],
  ...extra,
];

const preflightHeaders = (method: string, headers?: string, origin = APP): HeaderList => [
  ['origin', origin],
  ['access-control-request-method', method],
  ...(headers ? ([['access-control-request-headers', headers]] as HeaderList) : []),
  ['sec-fetch-mode', 'cors'],
];

const serverHeaders = (extra: HeaderList): HeaderList => [
  ['date', 'Thu, 12 Jun 2025 09:41:03 GMT'],
  ['content-type', 'application/json; charset=utf-8'],
  ...extra,
  ['server', 'nginx/1.27.1'],
];

/** The demo set: one or more realistic failures per reason. */
export const SCENARIOS: Scenario[] = [
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/checkout`,
      method: 'GET',
      url: `${API}/v1/cart?include=items,promotions`,
      requestHeaders: reqHeaders(),
      response: { status: 200, headers: serverHeaders([['cache-control', 'no-store']]) },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSMissingAllowOrigin',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/checkout`,
      method: 'PUT',
      url: `${API}/v1/cart/items/8812`,
      requestHeaders: reqHeaders([['content-type', 'application/json']]),
      preflight: {
        requestHeaders: preflightHeaders('PUT', 'content-type'),
        response: { status: 404, headers: serverHeaders([['content-length', '0']]) },
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSMissingAllowOrigin',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/account`,
      method: 'GET',
      url: `${API}/v1/me`,
      requestHeaders: reqHeaders(),
      response: {
        status: 200,
        headers: serverHeaders([
          ['access-control-allow-origin', 'https://www.shop.example'],
          ['vary', 'Origin'],
        ]),
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/`,
      method: 'GET',
      url: `${API}/v1/catalog/featured`,
      requestHeaders: reqHeaders(),
      response: {
        status: 200,
        headers: serverHeaders([
          ['access-control-allow-origin', APP],
          ['access-control-allow-origin', '*'],
        ]),
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSMultipleAllowOriginNotAllowed',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/orders`,
      method: 'GET',
      url: `${API}/v1/orders?page=2&per_page=50`,
      requestHeaders: reqHeaders([['cookie', '(present, value not recorded)']]),
      response: { status: 200, headers: serverHeaders([['access-control-allow-origin', '*']]) },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSNotSupportingCredentials',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/orders`,
      method: 'GET',
      url: `${API}/v1/session`,
      requestHeaders: reqHeaders(),
      response: {
        status: 200,
        headers: serverHeaders([
          ['access-control-allow-origin', APP],
          ['vary', 'Origin'],
        ]),
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSMissingAllowCredentials',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/account/addresses`,
      method: 'DELETE',
      url: `${API}/v1/addresses/42`,
      requestHeaders: reqHeaders(),
      preflight: {
        requestHeaders: preflightHeaders('DELETE'),
        response: {
          status: 204,
          headers: [
            ['access-control-allow-origin', APP],
            ['access-control-allow-methods', 'GET, POST, PUT'],
            ['access-control-max-age', '600'],
            ['vary', 'Origin'],
          ],
        },
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSMethodNotFound',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/checkout`,
      method: 'POST',
      url: `${API}/v1/payments/intents`,
      requestHeaders: reqHeaders([
        ['content-type', 'application/json'],
        ['x-request-id', '7d1c0e1a-5b7e-4c1c-9a43-0f3e5c2a9b11'],
      ]),
      preflight: {
        requestHeaders: preflightHeaders('POST', 'content-type,x-request-id'),
        response: {
          status: 204,
          headers: [
            ['access-control-allow-origin', APP],
            ['access-control-allow-methods', 'GET, POST'],
            ['access-control-allow-headers', 'Content-Type, Authorization'],
            ['vary', 'Origin'],
          ],
        },
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSMissingAllowHeaderFromPreflight',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/checkout`,
      method: 'POST',
      url: `${API}/v1/checkout/confirm`,
      requestHeaders: reqHeaders([['content-type', 'application/json']]),
      preflight: {
        requestHeaders: preflightHeaders('POST', 'content-type'),
        response: {
          status: 500,
          headers: serverHeaders([
            ['access-control-allow-origin', APP],
            ['access-control-allow-methods', 'GET, POST'],
            ['access-control-allow-headers', 'content-type'],
          ]),
        },
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSPreflightDidNotSucceed',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/search`,
      method: 'PATCH',
      url: `http://api.shop.example/v1/search/preferences`,
      requestHeaders: reqHeaders([['content-type', 'application/json']]),
      preflight: {
        requestHeaders: preflightHeaders('PATCH', 'content-type'),
        response: { status: 301, headers: [['location', `${API}/v1/search/preferences`]] },
        redirectedTo: `${API}/v1/search/preferences`,
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSExternalRedirectNotAllowed',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/dashboard`,
      method: 'GET',
      url: 'http://localhost:8080/api/metrics?range=24h',
      requestHeaders: reqHeaders([], APP),
      error: 'net::ERR_CONNECTION_REFUSED',
    },
    expect: 'CORSDidNotSucceed',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/account/addresses`,
      method: 'PUT',
      url: `${API}/v1/addresses/42`,
      requestHeaders: reqHeaders([['content-type', 'application/json']]),
      preflight: {
        requestHeaders: preflightHeaders('PUT', 'content-type'),
        response: {
          status: 204,
          headers: [
            ['access-control-allow-origin', APP],
            ['access-control-allow-methods', 'GET; POST; PUT'],
            ['access-control-allow-headers', 'content-type'],
          ],
        },
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSInvalidAllowMethod',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/reports`,
      method: 'GET',
      url: `${API}/v1/reports/monthly.csv`,
      requestHeaders: reqHeaders([['x-client-version', '4.18.2']]),
      preflight: {
        requestHeaders: preflightHeaders('GET', 'x-client-version'),
        response: {
          status: 204,
          headers: [
            ['access-control-allow-origin', APP],
            ['access-control-allow-headers', 'x-client-version x-request-id'],
          ],
        },
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSInvalidAllowHeader',
  },
  {
    exchange: {
      type: 'font',
      initiator: APP,
      documentUrl: `${APP}/`,
      method: 'GET',
      url: 'https://static.shop-cdn.example/fonts/inter-var-latin.woff2',
      requestHeaders: [
        ['origin', APP],
        ['sec-fetch-mode', 'cors'],
        ['sec-fetch-dest', 'font'],
        ['referer', `${APP}/`],
      ],
      response: {
        status: 200,
        headers: [
          ['content-type', 'font/woff2'],
          ['access-control-allow-origin', 'app.shop.example'],
          ['cache-control', 'public, max-age=31536000, immutable'],
          ['age', '8812'],
        ],
        fromCache: false,
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSInvalidAllowOrigin',
  },
  {
    exchange: {
      type: 'image',
      initiator: APP,
      documentUrl: `${APP}/products/linen-shirt`,
      method: 'GET',
      url: `${API}/v1/media/8812/thumbnail`,
      requestHeaders: [
        ['origin', 'null'],
        ['sec-fetch-mode', 'cors'],
        ['sec-fetch-dest', 'image'],
      ],
      redirects: [
        {
          status: 302,
          from: `${API}/v1/media/8812/thumbnail`,
          location: 'https://media.shop-cdn.example/i/8812/400x400.webp',
          headers: [
            ['location', 'https://media.shop-cdn.example/i/8812/400x400.webp'],
            ['access-control-allow-origin', APP],
          ],
        },
      ],
      response: {
        status: 200,
        headers: [
          ['content-type', 'image/webp'],
          ['access-control-allow-origin', APP],
          ['vary', 'Origin'],
        ],
      },
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/downloads`,
      method: 'GET',
      url: `${API}/v1/exports/latest`,
      requestHeaders: reqHeaders(),
      redirects: [
        {
          status: 302,
          from: `${API}/v1/exports/latest`,
          location: 'https://export:s3cr3t@files.shop.example/exports/2025-06.zip',
          headers: [
            ['location', 'https://export:s3cr3t@files.shop.example/exports/2025-06.zip'],
            ['access-control-allow-origin', APP],
          ],
        },
      ],
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSRedirectContainsCredentials',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/settings/printer`,
      method: 'GET',
      url: 'http://192.168.1.20/api/status',
      requestHeaders: reqHeaders(),
      error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    },
    expect: 'CORSLocalNetworkAccess',
  },
  {
    exchange: {
      engine: 'gecko',
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/inbox`,
      method: 'GET',
      url: `${API}/v1/messages?unread=1`,
      requestHeaders: reqHeaders([['authorization', '(present, value not recorded)']]),
      preflight: {
        requestHeaders: preflightHeaders('GET', 'authorization'),
        response: {
          status: 204,
          headers: [
            ['access-control-allow-origin', '*'],
            ['access-control-allow-headers', '*'],
          ],
        },
      },
      response: { status: 200, headers: serverHeaders([['access-control-allow-origin', '*']]) },
    },
    expect: 'CORSAllowHeaderFromPreflightDeprecation',
  },
  {
    exchange: {
      engine: 'gecko',
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/inbox`,
      method: 'POST',
      url: `${API}/v1/messages/read`,
      requestHeaders: reqHeaders([['content-type', 'text/plain;charset=UTF-8']]),
      response: { status: 200, headers: serverHeaders([['x-ratelimit-remaining', '57']]) },
    },
    expect: 'CORSMissingAllowOrigin',
  },
  {
    exchange: {
      type: 'xmlhttprequest',
      initiator: APP,
      documentUrl: `${APP}/`,
      method: 'GET',
      url: 'https://partner.example.org/widgets/recommendations.json',
      requestHeaders: [
        ['origin', APP],
        ['sec-fetch-mode', 'same-origin'],
      ],
      error: 'net::ERR_FAILED',
    },
    expect: 'CORSDisallowedByMode',
  },
];

function toExchange(draft: ExchangeDraft, seq: number, tabId: number, at: number): Exchange {
  return { engine: 'chromium', redirects: [], ...draft, tabId, frameId: 0, startedAt: at, endedAt: at + 38 + (seq % 7) * 11 };
}

function toRecord(exchange: Exchange, seq: number, diagnosis?: Diagnosis): CorsRecord {
  const found = diagnosis ?? classify(exchange);
  if (!found) throw new Error(`test record ${seq} (${exchange.method} ${exchange.url}) is not a CORS failure`);
  return { id: `${exchange.tabId}:${seq}`, tabId: exchange.tabId, seq, exchange, diagnosis: found };
}

/** The realistic set, one record per scenario, 1.7 s apart. */
export function demoRecords(tabId = 1): CorsRecord[] {
  return SCENARIOS.map((s, i) => toRecord(toExchange(s.exchange, i + 1, tabId, BASE_TIME + i * 1700 + (i % 3) * 137), i + 1));
}

/** `count` records cycling through the scenarios with distinct URLs, for list performance. */
export function manyRecords(count: number, tabId = 1): CorsRecord[] {
  const out: CorsRecord[] = [];
  // The query string does not change a diagnosis: classify each scenario once.
  const diagnoses = demoRecords(tabId).map((r) => r.diagnosis);
  for (let i = 0; i < count; i++) {
    const scenario = SCENARIOS[i % SCENARIOS.length] as Scenario;
    const url = `${scenario.exchange.url}${scenario.exchange.url.includes('?') ? '&' : '?'}n=${i}`;
    out.push(toRecord(toExchange({ ...scenario.exchange, url }, i + 1, tabId, BASE_TIME + i * 53), i + 1, diagnoses[i % SCENARIOS.length]));
  }
  return out;
}

/** What a malicious server or page can put in front of the panel. Every value must render as text. */
export const HOSTILE = {
  html: '<b>bold</b><img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=2</script>',
  big: `${'A'.repeat(50 * 1024)}<img src=x onerror="window.__pwned=3">${'Z'.repeat(50 * 1024)}`,
  intl: 'café — 日本語のヘッダー — عربى — 🚀 — \u202Egnp.exe',
  control: 'a\u0000b\u0001c\u001b[31mred\u007f\td\u2028e',
  url: `https://evil.example/<script>window.__pwned=4</script>/x?q="><img src=x onerror="window.__pwned=5">`,
  headerName: '<svg onload="window.__pwned=6">',
  origin: 'https://app.example"><img src=x onerror="window.__pwned=7">',
  error: '<img src=x onerror="window.__pwned=8">',
  documentUrl: 'javascript:window.__pwned=9',
  engineName: '<script>window.__pwned=10</script>',
} as const;

/**
 * Three hostile records: two classified by the real classifier (a hostile Allow-Origin, hostile preflight
 * lists), and one whose diagnosis fields themselves are hostile (engine name, culprit, error), which the
 * classifier would never produce but a corrupted store or a future bug could.
 */
export function hostileRecords(tabId = 1): CorsRecord[] {
  const mismatch: ExchangeDraft = {
    type: 'xmlhttprequest',
    initiator: HOSTILE.origin,
    documentUrl: HOSTILE.documentUrl,
    method: 'GET',
    url: HOSTILE.url,
    requestHeaders: [
      ['origin', HOSTILE.origin],
      ['x-intl', HOSTILE.intl],
    ],
    response: {
      status: 200,
      headers: [
        ['access-control-allow-origin', HOSTILE.html],
        ['x-script', HOSTILE.script],
        ['x-big', HOSTILE.big],
        ['x-intl', HOSTILE.intl],
        ['x-control', HOSTILE.control],
        [HOSTILE.headerName, HOSTILE.script],
      ],
    },
    error: 'net::ERR_FAILED',
  };
  const preflighted: ExchangeDraft = {
    type: 'xmlhttprequest',
    initiator: HOSTILE.origin,
    method: 'PUT',
    url: `${HOSTILE.url}&second`,
    requestHeaders: [['origin', HOSTILE.origin]],
    preflight: {
      requestHeaders: preflightHeaders('PUT', HOSTILE.script, HOSTILE.origin),
      response: {
        status: 204,
        headers: [
          ['access-control-allow-origin', HOSTILE.origin],
          ['access-control-allow-methods', HOSTILE.control],
          ['access-control-allow-headers', HOSTILE.big],
        ],
      },
    },
    error: 'net::ERR_FAILED',
  };
  const fields: ExchangeDraft = {
    ...mismatch,
    url: `${HOSTILE.url}&third`,
    error: HOSTILE.error,
  };
  const hostileDiagnosis: Diagnosis = {
    reason: 'CORSAllowOriginNotMatchingOrigin',
    engineName: HOSTILE.engineName,
    stage: 'actual',
    certainty: 'inferred',
    alternatives: ['CORSInvalidAllowOrigin'],
    culprit: { kind: 'header', name: HOSTILE.headerName, value: HOSTILE.html },
    evidence: [{ stage: 'actual', header: 'access-control-allow-origin', got: HOSTILE.html, needed: HOSTILE.origin, ok: false }],
    findings: [
      { code: 'network-error', error: HOSTILE.script },
      { code: 'preflight-reason', cause: 'header', value: HOSTILE.html },
      { code: 'local-network', address: HOSTILE.control },
    ],
  };
  return [
    toRecord(toExchange(mismatch, 1, tabId, BASE_TIME), 1),
    toRecord(toExchange(preflighted, 2, tabId, BASE_TIME + 900), 2),
    toRecord(toExchange(fields, 3, tabId, BASE_TIME + 1800), 3, hostileDiagnosis),
  ];
}
