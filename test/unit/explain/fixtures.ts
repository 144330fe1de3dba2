/**
 * Records for explain tests: one representative exchange per reason (plus variants), shaped like the lab's
 * scenarios and the tracker's reduced exchanges. Diagnoses come from the real classifier; only reasons no
 * browser event can carry (CORSDisabled, CORSOriginHeaderNotAdded, CORSRequestNotHttp) get a hand-made
 * diagnosis, since classify() never sees them.
 */
import { classify } from '../../../src/cors/classify.ts';
import type { Diagnosis } from '../../../src/cors/diagnosis.ts';
import { type Exchange, type HeaderList, type ObservedPreflight, type ObservedResponse, REDACTED } from '../../../src/cors/exchange.ts';
import type { ReasonId } from '../../../src/cors/reasons.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';

export const PAGE = 'http://127.0.0.1:8700';
export const API = 'http://127.0.0.1:8701';
export const THIRD = 'http://localhost:8702';

const FAILED = 'net::ERR_FAILED';

export function exchange(over: Partial<Exchange> = {}): Exchange {
  return {
    engine: 'chromium',
    tabId: 7,
    frameId: 0,
    type: 'xmlhttprequest',
    initiator: PAGE,
    documentUrl: `${PAGE}/scenario/x`,
    method: 'GET',
    url: `${API}/s/x/data?n=1`,
    requestHeaders: [
      ['origin', PAGE],
      ['sec-fetch-mode', 'cors'],
      ['accept', '*/*'],
    ],
    redirects: [],
    startedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    endedAt: Date.UTC(2025, 0, 2, 3, 4, 6),
    ...over,
  };
}

export function response(status: number, headers: HeaderList = [], extra: Partial<ObservedResponse> = {}): ObservedResponse {
  return { status, headers, ...extra };
}

export function preflight(o: {
  method?: string;
  acrh?: string;
  status?: number;
  headers?: HeaderList;
  origin?: string;
  redirectedTo?: string;
  extra?: HeaderList;
}): ObservedPreflight {
  const requestHeaders: [string, string][] = [
    ['origin', o.origin ?? PAGE],
    ['access-control-request-method', o.method ?? 'PUT'],
    ['sec-fetch-mode', 'cors'],
  ];
  if (o.acrh !== undefined) requestHeaders.push(['access-control-request-headers', o.acrh]);
  const out: ObservedPreflight = { requestHeaders: [...requestHeaders, ...(o.extra ?? [])] };
  out.response = response(o.status ?? 204, o.headers ?? []);
  if (o.redirectedTo) out.redirectedTo = o.redirectedTo;
  return out;
}

let seq = 0;

/** A record whose diagnosis the classifier made; throws when the classifier sees no failure. */
export function classified(ex: Exchange): CorsRecord {
  const diagnosis = classify(ex);
  if (!diagnosis) throw new Error(`classify() found no failure in ${ex.url}`);
  return record(ex, diagnosis);
}

export function record(ex: Exchange, diagnosis: Diagnosis): CorsRecord {
  seq += 1;
  return { id: `${ex.tabId}:${seq}`, tabId: ex.tabId, seq, exchange: ex, diagnosis };
}

const ACAO_PAGE: [string, string] = ['access-control-allow-origin', PAGE];
const JSON_TYPE: [string, string] = ['content-type', 'application/json'];

/** Exchanges by scenario name: what each lab scenario looks like to the tracker. */
export const EXCHANGES = {
  missingAllowOriginGet: () => exchange({ response: response(200, [JSON_TYPE]), error: FAILED }),
  missingAllowOrigin500: () => exchange({ response: response(500, [['content-type', 'text/plain']]), error: FAILED }),
  missingAllowOriginPreflight404: () =>
    exchange({
      method: 'PUT',
      url: `${API}/s/x/item?n=1`,
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['content-type', 'application/json'],
      ],
      preflight: preflight({ method: 'PUT', acrh: 'content-type', status: 404, headers: [['content-type', 'text/plain']] }),
      error: FAILED,
    }),
  allowOriginMismatch: () =>
    exchange({ response: response(200, [JSON_TYPE, ['access-control-allow-origin', 'https://app.example.com']]), error: FAILED }),
  allowOriginTrailingSlash: () => exchange({ response: response(200, [JSON_TYPE, ['access-control-allow-origin', `${PAGE}/`]]), error: FAILED }),
  nullOriginAfterRedirect: () =>
    exchange({
      url: `${API}/s/x/start?n=1`,
      requestHeaders: [
        ['origin', 'null'],
        ['sec-fetch-mode', 'cors'],
        ['accept', '*/*'],
      ],
      redirects: [
        {
          status: 302,
          from: `${API}/s/x/start?n=1`,
          location: `${THIRD}/s/x/target?n=1`,
          headers: [ACAO_PAGE, ['location', `${THIRD}/s/x/target?n=1`]],
        },
      ],
      response: response(200, [JSON_TYPE, ACAO_PAGE]),
      error: FAILED,
    }),
  multipleAllowOrigin: () => exchange({ response: response(200, [JSON_TYPE, ACAO_PAGE, ACAO_PAGE]), error: FAILED }),
  credentialsWithWildcard: () =>
    exchange({
      url: `${API}/s/x/me?n=1`,
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['cookie', REDACTED],
      ],
      response: response(200, [JSON_TYPE, ['access-control-allow-origin', '*']]),
      error: FAILED,
    }),
  credentialsMissingAllowCredentials: () =>
    exchange({
      url: `${API}/s/x/me?n=1`,
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['cookie', REDACTED],
      ],
      response: response(200, [JSON_TYPE, ACAO_PAGE]),
      error: FAILED,
    }),
  /** A credentialed DELETE whose preflight lacks ACAC: the cookie is never visible (the actual request is
   * not sent), so the classifier infers credentials. */
  preflightMissingAllowCredentials: () =>
    exchange({
      method: 'DELETE',
      url: `${API}/s/x/item?n=1`,
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
      ],
      preflight: preflight({ method: 'DELETE', headers: [ACAO_PAGE, ['access-control-allow-methods', 'DELETE']] }),
      error: FAILED,
    }),
  methodNotAllowed: () =>
    exchange({
      method: 'PUT',
      url: `${API}/s/x/item?n=1`,
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['content-type', 'text/plain;charset=UTF-8'],
      ],
      preflight: preflight({ method: 'PUT', headers: [ACAO_PAGE, ['access-control-allow-methods', 'GET, POST']] }),
      error: FAILED,
    }),
  methodCaseMismatch: () =>
    exchange({
      method: 'PATCH',
      url: `${API}/s/x/item?n=1`,
      preflight: preflight({ method: 'PATCH', headers: [ACAO_PAGE, ['access-control-allow-methods', 'get, post, patch']] }),
      error: FAILED,
    }),
  invalidAllowMethod: () =>
    exchange({
      method: 'PUT',
      url: `${API}/s/x/item?n=1`,
      preflight: preflight({ method: 'PUT', headers: [ACAO_PAGE, ['access-control-allow-methods', 'GET, PUT;']] }),
      error: FAILED,
    }),
  invalidAllowHeader: () =>
    exchange({
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['x-token', ''],
      ],
      preflight: preflight({ method: 'GET', acrh: 'x-token', headers: [ACAO_PAGE, ['access-control-allow-headers', 'content-type, x-token;']] }),
      error: FAILED,
    }),
  headerNotAllowed: () =>
    exchange({
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['x-token', ''],
      ],
      preflight: preflight({ method: 'GET', acrh: 'x-token', headers: [ACAO_PAGE, ['access-control-allow-headers', 'content-type']] }),
      error: FAILED,
    }),
  headerWildcardWithCredentials: () =>
    exchange({
      preflight: preflight({
        method: 'GET',
        acrh: 'x-token',
        headers: [ACAO_PAGE, ['access-control-allow-credentials', 'true'], ['access-control-allow-headers', '*']],
      }),
      error: FAILED,
    }),
  preflightStatus500: () =>
    exchange({
      method: 'PUT',
      url: `${API}/s/x/item?n=1`,
      preflight: preflight({ method: 'PUT', status: 500, headers: [ACAO_PAGE, ['access-control-allow-methods', 'PUT']] }),
      error: FAILED,
    }),
  preflightStatus403: () =>
    exchange({
      preflight: preflight({ method: 'GET', acrh: 'authorization', status: 403, headers: [ACAO_PAGE] }),
      error: FAILED,
    }),
  preflightRedirect: () =>
    exchange({
      method: 'PUT',
      url: `${API}/s/x/item?n=1`,
      preflight: preflight({
        method: 'PUT',
        status: 302,
        headers: [ACAO_PAGE, ['access-control-allow-methods', 'PUT'], ['location', `${API}/s/x/item/?n=1`]],
        redirectedTo: `${API}/s/x/item/?n=1`,
      }),
      error: FAILED,
    }),
  invalidAllowOrigin: () =>
    exchange({ response: response(200, [JSON_TYPE, ['access-control-allow-origin', '127.0.0.1:8700']]), error: FAILED }),
  redirectContainsCredentials: () =>
    exchange({
      url: `${API}/s/x/start?n=1`,
      redirects: [
        {
          status: 302,
          from: `${API}/s/x/start?n=1`,
          location: 'http://user:redacted@127.0.0.1:8701/s/x/target?n=1',
          headers: [ACAO_PAGE, ['location', 'http://user:redacted@127.0.0.1:8701/s/x/target?n=1']],
        },
      ],
      error: FAILED,
    }),
  localNetworkAccess: () =>
    exchange({
      initiator: 'https://public.example',
      documentUrl: 'https://public.example/app',
      requestHeaders: [
        ['origin', 'https://public.example'],
        ['sec-fetch-mode', 'cors'],
      ],
      error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    }),
  disallowedByMode: () =>
    exchange({
      requestHeaders: [
        ['sec-fetch-mode', 'same-origin'],
        ['accept', '*/*'],
      ],
      error: FAILED,
    }),
  authorizationViaWildcard: () =>
    exchange({
      requestHeaders: [
        ['origin', PAGE],
        ['sec-fetch-mode', 'cors'],
        ['authorization', REDACTED],
      ],
      preflight: preflight({ method: 'GET', acrh: 'authorization', headers: [ACAO_PAGE, ['access-control-allow-headers', '*']] }),
      response: response(200, [JSON_TYPE, ACAO_PAGE]),
    }),
  connectionRefused: () => exchange({ url: 'http://127.0.0.1:9/s/x/data?n=1', error: 'net::ERR_CONNECTION_REFUSED' }),
} satisfies Record<string, () => Exchange>;

export type ScenarioName = keyof typeof EXCHANGES;

/** Hand-made diagnoses for the reasons no webRequest event carries. */
const UNOBSERVABLE: Record<'CORSDisabled' | 'CORSOriginHeaderNotAdded' | 'CORSRequestNotHttp', () => CorsRecord> = {
  CORSDisabled: () =>
    record(exchange({ engine: 'gecko', error: 'NS_ERROR_DOM_BAD_URI' }), {
      reason: 'CORSDisabled',
      engineName: 'CORSDisabled',
      stage: 'actual',
      certainty: 'certain',
      alternatives: [],
      evidence: [],
      findings: [],
    }),
  CORSOriginHeaderNotAdded: () =>
    record(exchange({ engine: 'gecko', requestHeaders: [], error: 'NS_ERROR_DOM_BAD_URI' }), {
      reason: 'CORSOriginHeaderNotAdded',
      engineName: 'CORSOriginHeaderNotAdded',
      stage: 'actual',
      certainty: 'certain',
      alternatives: [],
      evidence: [],
      findings: [],
    }),
  CORSRequestNotHttp: () =>
    record(
      exchange({
        engine: 'gecko',
        initiator: 'null',
        documentUrl: 'file:///home/me/page.html',
        url: 'file:///home/me/data.json',
        requestHeaders: [],
        error: 'NS_ERROR_DOM_BAD_URI',
      }),
      {
        reason: 'CORSRequestNotHttp',
        engineName: 'CORSRequestNotHttp',
        stage: 'actual',
        certainty: 'certain',
        alternatives: [],
        culprit: { kind: 'scheme', value: 'file' },
        evidence: [],
        findings: [{ code: 'file-page' }],
      },
    ),
};

/** The scenario that represents each reason (the first listed is the governance test's record). */
export const SCENARIOS_BY_REASON: Record<ReasonId, ScenarioName[]> = {
  CORSDisabled: [],
  CORSDidNotSucceed: ['connectionRefused'],
  CORSOriginHeaderNotAdded: [],
  CORSExternalRedirectNotAllowed: ['preflightRedirect'],
  CORSRequestNotHttp: [],
  CORSMissingAllowOrigin: ['missingAllowOriginGet', 'missingAllowOrigin500', 'missingAllowOriginPreflight404'],
  CORSAllowOriginNotMatchingOrigin: ['allowOriginMismatch', 'allowOriginTrailingSlash', 'nullOriginAfterRedirect'],
  CORSNotSupportingCredentials: ['credentialsWithWildcard'],
  CORSMethodNotFound: ['methodNotAllowed', 'methodCaseMismatch'],
  CORSMissingAllowCredentials: ['credentialsMissingAllowCredentials', 'preflightMissingAllowCredentials'],
  CORSPreflightDidNotSucceed: ['preflightStatus500', 'preflightStatus403'],
  CORSInvalidAllowMethod: ['invalidAllowMethod'],
  CORSInvalidAllowHeader: ['invalidAllowHeader'],
  CORSMissingAllowHeaderFromPreflight: ['headerNotAllowed', 'headerWildcardWithCredentials'],
  CORSMultipleAllowOriginNotAllowed: ['multipleAllowOrigin'],
  CORSInvalidAllowOrigin: ['invalidAllowOrigin'],
  CORSRedirectContainsCredentials: ['redirectContainsCredentials'],
  CORSLocalNetworkAccess: ['localNetworkAccess'],
  CORSDisallowedByMode: ['disallowedByMode'],
  CORSAllowHeaderFromPreflightDeprecation: ['authorizationViaWildcard'],
};

export function scenario(name: ScenarioName): CorsRecord {
  return classified(EXCHANGES[name]());
}

/** The representative record of a reason. */
export function representative(reason: ReasonId): CorsRecord {
  if (reason in UNOBSERVABLE) return UNOBSERVABLE[reason as keyof typeof UNOBSERVABLE]();
  const name = SCENARIOS_BY_REASON[reason][0];
  if (!name) throw new Error(`no scenario for ${reason}`);
  return scenario(name);
}

/** Every record the fixtures can make: all scenarios plus the unobservable ones. */
export function allRecords(): CorsRecord[] {
  return [
    ...(Object.keys(EXCHANGES) as ScenarioName[]).map(scenario),
    ...Object.values(UNOBSERVABLE).map((make) => make()),
  ];
}
