/** The classifier's case table: one row per situation, shared by classify.test.ts and reduce.test.ts. */
import type { Certainty, Culprit, Diagnosis, Finding, Stage } from '../../../src/cors/diagnosis.ts';
import type { Engine, Exchange, HeaderList } from '../../../src/cors/exchange.ts';
import type { ReasonId } from '../../../src/cors/reasons.ts';
import { ACAO_OK, API, BLOCKED, ex, PAGE, pre, res, URL_ } from './build.ts';

export interface Row {
  name: string;
  ex: Exchange;
  reason: ReasonId | null;
  stage?: Stage;
  engineName?: string;
  /** Defaults to 'certain' when a reason is expected. */
  certainty?: Certainty;
  alternatives?: ReasonId[];
  unseen?: Diagnosis['unseen'];
  culprit?: Partial<Culprit>;
  findings?: Finding[];
  noFindings?: Finding['code'][];
}

const ENGINES: Engine[] = ['chromium', 'gecko'];
const COOKIE: [string, string] = ['cookie', 'sid=1'];
export const OTHER = 'https://other.test';

/** A simple GET whose response the engine blocked: Chromium fails it, Firefox completes it (status 200). */
export function blocked(engine: Engine, headers: HeaderList, over: Partial<Exchange> = {}, status = 200): Exchange {
  return ex({ engine, response: res(status, headers), ...(engine === 'chromium' ? { error: BLOCKED.chromium } : {}), ...over });
}

/** A request both engines completed. */
function completed(engine: Engine, headers: HeaderList, over: Partial<Exchange> = {}): Exchange {
  return ex({ engine, response: res(200, headers), ...over });
}

/** A preflighted PUT whose preflight the engine rejected (the actual never got a response). */
export function rejected(engine: Engine, preflight: Parameters<typeof pre>[0], over: Partial<Exchange> = {}): Exchange {
  return ex({ engine, method: preflight.method ?? 'PUT', preflight: pre(preflight), requestHeaders: [], error: BLOCKED[engine], ...over });
}

/** A preflighted request that went through (preflight ok, actual answered with ACAO). */
function through(engine: Engine, preflight: Parameters<typeof pre>[0], over: Partial<Exchange> = {}): Exchange {
  return ex({ engine, method: preflight.method ?? 'PUT', preflight: pre(preflight), response: res(200, [ACAO_OK]), ...over });
}

/** A preflighted request whose preflight passed, so the engine went on and blocked the actual response
 * (no ACAO). Expecting PASSED_PREFLIGHT proves every preflight check passed: had one failed, the reason
 * would be a preflight one (Chromium) or none (Firefox trusts a request it completed). */
function afterPreflight(engine: Engine, preflight: Parameters<typeof pre>[0], over: Partial<Exchange> = {}): Exchange {
  return ex({
    engine,
    method: preflight.method ?? 'PUT',
    preflight: pre(preflight),
    response: res(200, []),
    ...(engine === 'chromium' ? { error: BLOCKED.chromium } : {}),
    ...over,
  });
}
const PASSED_PREFLIGHT = { reason: 'CORSMissingAllowOrigin', stage: 'actual' } as const;

const withCookie = (headers: HeaderList = []): HeaderList => [['origin', PAGE], ['sec-fetch-mode', 'cors'], COOKIE, ...headers];

export const rows: Row[] = [];
const add = (...r: Row[]) => rows.push(...r);
const perEngine = (f: (engine: Engine) => Row) => ENGINES.map(f);

// --- Missing ACAO --------------------------------------------------------------------------------------
add(
  ...perEngine((engine) => ({
    name: `${engine}: simple GET without ACAO`,
    ex: blocked(engine, []),
    reason: 'CORSMissingAllowOrigin',
    stage: 'actual',
    engineName: engine === 'chromium' ? 'MissingAllowOriginHeader' : 'CORSMissingAllowOrigin2',
    culprit: { kind: 'header', name: 'access-control-allow-origin' },
  })),
  ...perEngine((engine) => ({
    name: `${engine}: a 500 without ACAO is a missing ACAO, with the status as a finding`,
    ex: blocked(engine, [], {}, 500),
    reason: 'CORSMissingAllowOrigin',
    findings: [{ code: 'http-error-status', stage: 'actual', status: 500 }],
  })),
  {
    name: 'gecko: a 500 with a matching ACAO passes the CORS check',
    ex: completed('gecko', [], { response: res(500, [ACAO_OK]) }),
    reason: null,
  },
  {
    name: 'chromium: a 500 with a matching ACAO passes; the block is explained by credentials',
    ex: blocked('chromium', [ACAO_OK], {}, 500),
    reason: 'CORSMissingAllowCredentials',
    certainty: 'inferred',
  },
  {
    name: 'chromium: the browser is the judge: no error means no failure even if the headers look wrong',
    ex: completed('chromium', []),
    reason: null,
  },
);

// --- More than one ACAO ---------------------------------------------------------------------------------
add(
  {
    name: 'chromium: two ACAO lines (both correct) are multiple values',
    ex: blocked('chromium', [ACAO_OK, ACAO_OK]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
    engineName: 'MultipleAllowOriginValues',
  },
  {
    name: 'chromium: a comma list in one line is multiple values',
    ex: blocked('chromium', [['access-control-allow-origin', `${PAGE}, ${OTHER}`]]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
    certainty: 'certain',
  },
  {
    name: 'chromium: a space-separated list is multiple values',
    ex: blocked('chromium', [['access-control-allow-origin', `${PAGE} ${OTHER}`]]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
  },
  {
    name: 'chromium: two lines of `*` are multiple values, not a wildcard',
    ex: blocked('chromium', [
      ['access-control-allow-origin', '*'],
      ['access-control-allow-origin', '*'],
    ]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
  },
  {
    name: 'chromium: multiple before missing/invalid: an empty line plus a good one is multiple',
    ex: blocked('chromium', [['access-control-allow-origin', ''], ACAO_OK]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
  },
  {
    name: 'gecko: a merged ACAO of distinct origins is ambiguous: a one-line list (likely) or two lines',
    ex: blocked('gecko', [['access-control-allow-origin', `${PAGE}, ${OTHER}`]]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    engineName: 'CORSAllowOriginNotMatchingOrigin',
    certainty: 'inferred',
    alternatives: ['CORSMultipleAllowOriginNotAllowed'],
    unseen: 'response-headers',
  },
  {
    name: 'gecko: a merged ACAO that repeats a value is ambiguous: two lines (likely) or a one-line list',
    ex: blocked('gecko', [['access-control-allow-origin', `${PAGE}, ${PAGE}`]]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
    engineName: 'CORSMultipleAllowOriginNotAllowed',
    certainty: 'inferred',
    alternatives: ['CORSAllowOriginNotMatchingOrigin'],
    unseen: 'response-headers',
  },
  {
    name: 'gecko: a merged ACAO with `*` among origins is most likely two lines (a layer adding `*`)',
    ex: blocked('gecko', [['access-control-allow-origin', `*, ${PAGE}`]]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
    certainty: 'inferred',
    alternatives: ['CORSAllowOriginNotMatchingOrigin'],
  },
  {
    name: 'gecko: a comma without a space cannot be a merge: Firefox compares the whole string',
    ex: blocked('gecko', [['access-control-allow-origin', `${PAGE},${OTHER}`]]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    certainty: 'certain',
  },
  {
    name: 'gecko: lines kept apart (if the adapter ever does) are multiple for certain',
    ex: blocked('gecko', [ACAO_OK, ACAO_OK]),
    reason: 'CORSMultipleAllowOriginNotAllowed',
    certainty: 'certain',
  },
);

// --- `*` and credentials ---------------------------------------------------------------------------------
add(
  {
    name: 'gecko: `*` without credentials passes',
    ex: completed('gecko', [['access-control-allow-origin', '*']]),
    reason: null,
  },
  ...perEngine((engine) => ({
    name: `${engine}: \`*\` with a Cookie sent is not allowed (certain)`,
    ex: blocked(engine, [['access-control-allow-origin', '*']], { requestHeaders: withCookie() }),
    reason: 'CORSNotSupportingCredentials',
    engineName: engine === 'chromium' ? 'WildcardOriginNotAllowed' : 'CORSNotSupportingCredentials',
    certainty: 'certain',
    findings: [{ code: 'credentials-sent', via: 'cookie' }],
  })),
  {
    name: 'chromium: `*`, no Cookie seen, yet blocked: only credentials explain it (inferred)',
    ex: blocked('chromium', [['access-control-allow-origin', '*']]),
    reason: 'CORSNotSupportingCredentials',
    certainty: 'inferred',
    unseen: 'credentials-mode',
    alternatives: ['CORSDidNotSucceed'],
  },
  {
    name: 'gecko: `*`, no Cookie, completed: Firefox did not block, nothing to report',
    ex: completed('gecko', [['access-control-allow-origin', '*']]),
    reason: null,
  },
  {
    name: 'chromium: credentials before mismatch: `*` with credentials and no ACAC is the wildcard error',
    ex: blocked('chromium', [['access-control-allow-origin', '*']], { requestHeaders: withCookie() }),
    reason: 'CORSNotSupportingCredentials',
  },
  {
    name: 'chromium: ACAO before ACAC: another origin with credentials and no ACAC is a mismatch',
    ex: blocked('chromium', [['access-control-allow-origin', OTHER]], { requestHeaders: withCookie() }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    name: 'a page-set Authorization (listed in the preflight) does not mean credentials: `*` passes',
    ex: through(
      'gecko',
      { method: 'GET', acrh: 'authorization', headers: [['access-control-allow-origin', '*'], ['access-control-allow-headers', 'authorization']] },
      { requestHeaders: [['origin', PAGE], ['authorization', 'Bearer x']], response: res(200, [['access-control-allow-origin', '*']]) },
    ),
    reason: null,
  },
  {
    name: 'an Authorization header without a preflight is HTTP auth: credentials for certain',
    ex: blocked('chromium', [['access-control-allow-origin', '*']], { requestHeaders: [['origin', PAGE], ['authorization', 'Basic eDp5']] }),
    reason: 'CORSNotSupportingCredentials',
    certainty: 'certain',
    findings: [{ code: 'credentials-sent', via: 'authorization' }],
  },
);

// --- Mismatch and invalid values -------------------------------------------------------------------------
add(
  ...perEngine((engine) => ({
    name: `${engine}: another origin`,
    ex: blocked(engine, [['access-control-allow-origin', OTHER]]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    engineName: engine === 'chromium' ? 'AllowOriginMismatch' : 'CORSAllowOriginNotMatchingOrigin',
    culprit: { kind: 'header', name: 'access-control-allow-origin', value: OTHER },
  })),
  ...perEngine((engine) => ({
    name: `${engine}: a trailing slash does not match`,
    ex: blocked(engine, [['access-control-allow-origin', `${PAGE}/`]]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  })),
  ...perEngine((engine) => ({
    name: `${engine}: an explicit default port does not match (byte comparison)`,
    ex: blocked(engine, [['access-control-allow-origin', 'http://a.test:80']], { initiator: 'http://a.test', requestHeaders: [['origin', 'http://a.test']] }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  })),
  ...perEngine((engine) => ({
    name: `${engine}: an upper-case host does not match`,
    ex: blocked(engine, [['access-control-allow-origin', 'http://A.test']], { initiator: 'http://a.test', requestHeaders: [['origin', 'http://a.test']] }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  })),
  {
    name: 'gecko: whitespace around ACAO is not part of the value',
    ex: completed('gecko', [['access-control-allow-origin', `  ${PAGE}\t`]]),
    reason: null,
  },
  {
    name: 'chromium: whitespace trimmed, ACAO passes, blocked anyway: credentials explain it',
    ex: blocked('chromium', [['access-control-allow-origin', ` ${PAGE} `]]),
    reason: 'CORSMissingAllowCredentials',
    certainty: 'inferred',
    unseen: 'credentials-mode',
  },
  {
    name: 'chromium: a value that is not a URL is invalid',
    ex: blocked('chromium', [['access-control-allow-origin', 'a.test']]),
    reason: 'CORSInvalidAllowOrigin',
    engineName: 'InvalidAllowOriginValue',
  },
  {
    name: 'gecko: Firefox reports an unparsable value as a mismatch',
    ex: blocked('gecko', [['access-control-allow-origin', 'a.test']]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    name: 'chromium: an empty value is invalid',
    ex: blocked('chromium', [['access-control-allow-origin', '']]),
    reason: 'CORSInvalidAllowOrigin',
  },
  {
    name: 'gecko: an empty value is a mismatch',
    ex: blocked('gecko', [['access-control-allow-origin', '   ']]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    name: 'chromium: "null" for a real origin is a mismatch, not invalid',
    ex: blocked('chromium', [['access-control-allow-origin', 'null']]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    name: 'chromium: a control character makes the value differ',
    ex: blocked('chromium', [['access-control-allow-origin', `${PAGE}\u0001`]]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  },
  {
    name: 'chromium: a wildcard subdomain pattern is a mismatch (ACAO has no patterns)',
    ex: blocked('chromium', [['access-control-allow-origin', 'https://*.api.test']]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
  },
);

// --- Access-Control-Allow-Credentials --------------------------------------------------------------------
add(
  ...perEngine((engine) => ({
    name: `${engine}: credentials without ACAC`,
    ex: blocked(engine, [ACAO_OK], { requestHeaders: withCookie() }),
    reason: 'CORSMissingAllowCredentials',
    engineName: engine === 'chromium' ? 'InvalidAllowCredentials' : 'CORSMissingAllowCredentials',
    culprit: { kind: 'header', name: 'access-control-allow-credentials' },
  })),
  ...perEngine((engine) => ({
    name: `${engine}: ACAC "True" is not "true"`,
    ex: blocked(engine, [ACAO_OK, ['access-control-allow-credentials', 'True']], { requestHeaders: withCookie() }),
    reason: 'CORSMissingAllowCredentials',
    culprit: { value: 'True' },
  })),
  {
    name: 'gecko: ACAC "true" with credentials passes',
    ex: completed('gecko', [ACAO_OK, ['access-control-allow-credentials', 'true']], { requestHeaders: withCookie() }),
    reason: null,
  },
  {
    name: 'chromium: two ACAC lines make "true, true", which fails',
    ex: blocked(
      'chromium',
      [
        ACAO_OK,
        ['access-control-allow-credentials', 'true'],
        ['access-control-allow-credentials', 'true'],
      ],
      { requestHeaders: withCookie() },
    ),
    reason: 'CORSMissingAllowCredentials',
  },
);

// --- Preflight: ACAO and credentials before status; redirects ------------------------------------------
add(
  ...perEngine((engine) => ({
    name: `${engine}: a preflight 404 without ACAO is a missing ACAO`,
    ex: rejected(engine, { status: 404 }),
    reason: 'CORSMissingAllowOrigin',
    stage: 'preflight',
    engineName: engine === 'chromium' ? 'PreflightMissingAllowOriginHeader' : 'CORSMissingAllowOrigin2',
    findings: [{ code: 'http-error-status', stage: 'preflight', status: 404 }],
  })),
  ...perEngine((engine) => ({
    name: `${engine}: only a 404 with a matching ACAO is a preflight status failure`,
    ex: rejected(engine, { status: 404, headers: [ACAO_OK] }),
    reason: 'CORSPreflightDidNotSucceed',
    stage: 'preflight',
    engineName: engine === 'chromium' ? 'PreflightInvalidStatus' : 'CORSPreflightDidNotSucceed3',
    culprit: { kind: 'status', value: '404' },
  })),
  {
    name: 'chromium: a preflight 500 with another origin is a mismatch first',
    ex: rejected('chromium', { status: 500, headers: [['access-control-allow-origin', OTHER]] }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    stage: 'preflight',
    engineName: 'PreflightAllowOriginMismatch',
  },
  {
    name: 'chromium: preflight with credentials: ACAC before status',
    ex: rejected('chromium', { status: 404, headers: [ACAO_OK, ['access-control-allow-methods', 'PUT']] }, { requestHeaders: withCookie() }),
    reason: 'CORSMissingAllowCredentials',
    stage: 'preflight',
    engineName: 'PreflightInvalidAllowCredentials',
  },
  {
    name: 'chromium: preflight `*` with credentials',
    ex: rejected('chromium', { headers: [['access-control-allow-origin', '*'], ['access-control-allow-methods', 'PUT']] }, { requestHeaders: withCookie() }),
    reason: 'CORSNotSupportingCredentials',
    engineName: 'PreflightWildcardOriginNotAllowed',
  },
  {
    name: 'chromium: preflight two ACAO lines',
    ex: rejected('chromium', { headers: [ACAO_OK, ACAO_OK, ['access-control-allow-methods', 'PUT']] }),
    reason: 'CORSMultipleAllowOriginNotAllowed',
    engineName: 'PreflightMultipleAllowOriginValues',
  },
  {
    name: 'chromium: a preflight ACAO with spaces counts as several values',
    ex: rejected('chromium', { headers: [['access-control-allow-origin', 'not an origin'], ['access-control-allow-methods', 'PUT']] }),
    reason: 'CORSMultipleAllowOriginNotAllowed',
  },
  {
    name: 'chromium: preflight unparsable ACAO without spaces',
    ex: rejected('chromium', { headers: [['access-control-allow-origin', '//'], ['access-control-allow-methods', 'PUT']] }),
    reason: 'CORSInvalidAllowOrigin',
    engineName: 'PreflightInvalidAllowOriginValue',
  },
  {
    name: 'chromium: a redirected preflight fails on the redirect, whatever its headers',
    ex: rejected('chromium', { status: 302, headers: [], redirectedTo: `${API}/elsewhere` }),
    reason: 'CORSExternalRedirectNotAllowed',
    stage: 'preflight',
    engineName: 'PreflightDisallowedRedirect',
    culprit: { kind: 'url', value: `${API}/elsewhere` },
  },
  {
    name: 'gecko: a redirected preflight that carries ACAO fails on the redirect',
    ex: rejected('gecko', { status: 302, headers: [ACAO_OK], redirectedTo: `${API}/elsewhere` }),
    reason: 'CORSExternalRedirectNotAllowed',
    engineName: 'CORSExternalRedirectNotAllowed',
  },
  {
    name: 'gecko: a redirected preflight without ACAO fails the CORS check first',
    ex: rejected('gecko', { status: 302, headers: [], redirectedTo: `${API}/elsewhere` }),
    reason: 'CORSMissingAllowOrigin',
    stage: 'preflight',
  },
  {
    name: 'gecko: a redirected preflight ends in NS_ERROR_NET_ON_RECEIVING_FROM (measured): the redirect, not the network',
    ex: rejected('gecko', { status: 302, headers: [ACAO_OK, ['access-control-allow-methods', 'PUT']], redirectedTo: `${API}/elsewhere`, error: 'NS_ERROR_NET_ON_RECEIVING_FROM' }),
    reason: 'CORSExternalRedirectNotAllowed',
    stage: 'preflight',
    engineName: 'CORSExternalRedirectNotAllowed',
    noFindings: ['network-error'],
  },
  {
    name: 'gecko: a redirected preflight whose response was not seen fails on the redirect',
    ex: rejected('gecko', { noResponse: true, redirectedTo: `${API}/elsewhere` }),
    reason: 'CORSExternalRedirectNotAllowed',
  },
);

// --- Allow-Methods ------------------------------------------------------------------------------------------
add(
  ...perEngine((engine) => ({
    name: `${engine}: PUT not listed`,
    ex: rejected(engine, { headers: [ACAO_OK, ['access-control-allow-methods', 'GET, POST']] }),
    reason: 'CORSMethodNotFound',
    stage: 'preflight',
    engineName: engine === 'chromium' ? 'MethodDisallowedByPreflightResponse' : 'CORSMethodNotFound',
    culprit: { kind: 'method', value: 'PUT' },
    findings: [{ code: 'preflight-reason', cause: 'method', value: 'PUT' }],
  })),
  ...perEngine((engine) => ({
    name: `${engine}: PUT listed passes`,
    ex: afterPreflight(engine, { headers: [ACAO_OK, ['access-control-allow-methods', 'GET, PUT']] }),
    ...PASSED_PREFLIGHT,
  })),
  {
    name: 'methods are case-sensitive: `patch` is not `PATCH`',
    ex: rejected('chromium', { method: 'patch', headers: [ACAO_OK, ['access-control-allow-methods', 'PATCH']] }),
    reason: 'CORSMethodNotFound',
    culprit: { value: 'patch' },
  },
  {
    name: 'methods are case-sensitive: `PATCH` is not `patch`',
    ex: rejected('gecko', { method: 'PATCH', headers: [ACAO_OK, ['access-control-allow-methods', 'patch']] }),
    reason: 'CORSMethodNotFound',
  },
  {
    name: 'a lower-case `delete` is normalised to DELETE when the preflight does not say',
    ex: ex({
      method: 'delete',
      preflight: { requestHeaders: [['origin', PAGE]], response: res(204, [ACAO_OK, ['access-control-allow-methods', 'DELETE']]) },
      response: res(200, []),
      error: BLOCKED.chromium,
    }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: '… and then `delete` in Allow-Methods does not match it',
    ex: ex({
      method: 'delete',
      preflight: { requestHeaders: [['origin', PAGE]], response: res(204, [ACAO_OK, ['access-control-allow-methods', 'delete']]) },
      response: res(200, []),
      error: BLOCKED.chromium,
    }),
    reason: 'CORSMethodNotFound',
    culprit: { value: 'DELETE' },
  },
  ...perEngine((engine) => ({
    name: `${engine}: GET/HEAD/POST always pass Allow-Methods`,
    ex: afterPreflight(engine, { method: 'POST', acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-token']] }),
    ...PASSED_PREFLIGHT,
  })),
  {
    name: '`*` covers PUT without credentials',
    ex: afterPreflight('chromium', { headers: [ACAO_OK, ['access-control-allow-methods', '*']] }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: '`*` is a literal with credentials (Cookie seen): PUT not found',
    ex: rejected(
      'chromium',
      { headers: [ACAO_OK, ['access-control-allow-credentials', 'true'], ['access-control-allow-methods', '*']] },
      { requestHeaders: withCookie() },
    ),
    reason: 'CORSMethodNotFound',
    certainty: 'certain',
  },
  {
    name: '`*` for methods, blocked, no Cookie seen: credentials inferred',
    ex: rejected('gecko', { headers: [ACAO_OK, ['access-control-allow-credentials', 'true'], ['access-control-allow-methods', '*']] }),
    reason: 'CORSMethodNotFound',
    certainty: 'inferred',
    unseen: 'credentials-mode',
  },
  ...perEngine((engine) => ({
    name: `${engine}: an invalid token comes before method-not-found`,
    ex: rejected(engine, { method: 'PATCH', headers: [ACAO_OK, ['access-control-allow-methods', 'GET, PUT;']] }),
    reason: 'CORSInvalidAllowMethod',
    engineName: engine === 'chromium' ? 'InvalidAllowMethodsPreflightResponse' : 'CORSInvalidAllowMethod',
    culprit: { kind: 'header', name: 'access-control-allow-methods', value: 'PUT;' },
  })),
  {
    name: 'an invalid token fails the list even when the method is listed',
    ex: rejected('gecko', { headers: [ACAO_OK, ['access-control-allow-methods', 'PUT, x y']] }),
    reason: 'CORSInvalidAllowMethod',
    culprit: { value: 'x y' },
  },
  {
    name: 'empty list elements are skipped, not invalid',
    ex: afterPreflight('chromium', { headers: [ACAO_OK, ['access-control-allow-methods', 'GET,,PUT, ']] }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: 'method before headers: both missing is method-not-found',
    ex: rejected('gecko', { acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-methods', 'GET'], ['access-control-allow-headers', 'x-other']] }),
    reason: 'CORSMethodNotFound',
  },
  {
    name: 'chromium parses both lists first: invalid Allow-Headers beats a missing method',
    ex: rejected('chromium', { acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-methods', 'GET'], ['access-control-allow-headers', 'x-token, a b']] }),
    reason: 'CORSInvalidAllowHeader',
  },
  {
    name: 'gecko compares the method before reading Allow-Headers: a missing method beats invalid Allow-Headers',
    ex: rejected('gecko', { acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-methods', 'GET'], ['access-control-allow-headers', 'x-token, a b']] }),
    reason: 'CORSMethodNotFound',
  },
);

// --- Allow-Headers ------------------------------------------------------------------------------------------
add(
  ...perEngine((engine) => ({
    name: `${engine}: x-token not allowed`,
    ex: rejected(engine, { method: 'GET', acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-headers', 'content-type']] }),
    reason: 'CORSMissingAllowHeaderFromPreflight',
    engineName: engine === 'chromium' ? 'HeaderDisallowedByPreflightResponse' : 'CORSMissingAllowHeaderFromPreflight2',
    culprit: { kind: 'request-header', name: 'x-token' },
    findings: [{ code: 'preflight-reason', cause: 'header', value: 'x-token' }],
  })),
  {
    name: 'header names compare case-insensitively',
    ex: afterPreflight('gecko', { method: 'GET', acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-headers', 'X-Token']] }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: 'the first missing header of several is the culprit',
    ex: rejected('chromium', { method: 'POST', acrh: 'content-type,x-a,x-b', headers: [ACAO_OK, ['access-control-allow-headers', 'Content-Type, X-A']] }),
    reason: 'CORSMissingAllowHeaderFromPreflight',
    culprit: { name: 'x-b' },
  },
  {
    name: '`*` covers any header without credentials',
    ex: afterPreflight('chromium', { method: 'GET', acrh: 'x-a,x-b', headers: [ACAO_OK, ['access-control-allow-headers', '*']] }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: '`*` for headers with credentials (Cookie seen) is a literal',
    ex: rejected(
      'gecko',
      { method: 'GET', acrh: 'x-a', headers: [ACAO_OK, ['access-control-allow-credentials', 'true'], ['access-control-allow-headers', '*']] },
      { requestHeaders: withCookie() },
    ),
    reason: 'CORSMissingAllowHeaderFromPreflight',
    certainty: 'certain',
  },
  {
    name: '`*` for headers, blocked, no Cookie seen: credentials inferred',
    ex: rejected('chromium', { method: 'GET', acrh: 'x-a', headers: [ACAO_OK, ['access-control-allow-credentials', 'true'], ['access-control-allow-headers', '*']] }),
    reason: 'CORSMissingAllowHeaderFromPreflight',
    certainty: 'inferred',
  },
  ...perEngine((engine) => ({
    name: `${engine}: Authorization covered only by \`*\` still works, with a deprecation warning`,
    ex: through(
      engine,
      { method: 'GET', acrh: 'authorization', headers: [ACAO_OK, ['access-control-allow-headers', '*']] },
      { requestHeaders: [['origin', PAGE], ['authorization', 'Bearer t']] },
    ),
    reason: 'CORSAllowHeaderFromPreflightDeprecation',
    stage: 'preflight',
    engineName: engine === 'chromium' ? 'AuthorizationCoveredByWildcard' : 'CORSAllowHeaderFromPreflightDeprecation',
    culprit: { kind: 'request-header', name: 'authorization' },
    findings: [{ code: 'authorization-via-wildcard' }],
  })),
  {
    name: 'Authorization listed next to `*` needs no warning',
    ex: through('chromium', { method: 'GET', acrh: 'authorization', headers: [ACAO_OK, ['access-control-allow-headers', '*, Authorization']] }),
    reason: null,
  },
  {
    name: 'the deprecation yields to a real failure later on (the request did not succeed)',
    ex: ex({
      method: 'GET',
      preflight: pre({ method: 'GET', acrh: 'authorization', headers: [ACAO_OK, ['access-control-allow-headers', '*']] }),
      response: res(200, [['access-control-allow-origin', OTHER]]),
      error: BLOCKED.chromium,
    }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    stage: 'actual',
    findings: [{ code: 'authorization-via-wildcard' }],
  },
  ...perEngine((engine) => ({
    name: `${engine}: an invalid header token`,
    ex: rejected(engine, { method: 'GET', acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-headers', 'x-token, bad header']] }),
    reason: 'CORSInvalidAllowHeader',
    engineName: engine === 'chromium' ? 'InvalidAllowHeadersPreflightResponse' : 'CORSInvalidAllowHeader',
    culprit: { value: 'bad header' },
  })),
  {
    name: 'a control character in Allow-Headers is an invalid token',
    ex: rejected('chromium', { method: 'GET', acrh: 'x-token', headers: [ACAO_OK, ['access-control-allow-headers', 'x-token\u0007']] }),
    reason: 'CORSInvalidAllowHeader',
  },
  {
    name: 'preflight-reason: a JSON Content-Type',
    ex: rejected(
      'chromium',
      { method: 'POST', acrh: 'content-type', headers: [ACAO_OK] },
      { requestHeaders: [['content-type', 'application/json']] },
    ),
    reason: 'CORSMissingAllowHeaderFromPreflight',
    culprit: { name: 'content-type' },
    findings: [{ code: 'preflight-reason', cause: 'content-type', value: 'application/json' }],
  },
);

// --- Redirects of the actual request -------------------------------------------------------------------------
const toOther = { status: 302, from: `${API}/a`, location: `${OTHER}/b`, headers: [ACAO_OK] as HeaderList };
add(
  {
    name: 'after a cross-origin redirect the origin is "null": ACAO for the page no longer matches',
    ex: ex({
      url: `${API}/a`,
      redirects: [toOther],
      requestHeaders: [['origin', 'null'], ['sec-fetch-mode', 'cors']],
      response: res(200, [ACAO_OK]),
      error: BLOCKED.chromium,
    }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    stage: 'actual',
    findings: [{ code: 'null-origin-after-redirect', redirectCount: 1 }],
  },
  {
    name: 'the "null" origin is computed when the Origin header was not seen',
    ex: ex({ engine: 'gecko', url: `${API}/a`, redirects: [toOther], requestHeaders: [['sec-fetch-mode', 'cors']], response: res(200, [ACAO_OK]) }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    findings: [{ code: 'null-origin-after-redirect', redirectCount: 1 }],
  },
  {
    name: 'after a cross-origin redirect, ACAO `*` passes',
    ex: ex({ engine: 'gecko', url: `${API}/a`, redirects: [toOther], requestHeaders: [['origin', 'null']], response: res(200, [['access-control-allow-origin', '*']]) }),
    reason: null,
  },
  {
    name: 'a same-origin redirect first keeps the origin',
    ex: ex({
      engine: 'gecko',
      url: `${PAGE}/start`,
      redirects: [{ status: 302, from: `${PAGE}/start`, location: URL_, headers: [] }],
      requestHeaders: [['sec-fetch-mode', 'cors']],
      response: res(200, [ACAO_OK]),
    }),
    reason: null,
  },
  {
    name: '… and the same-origin redirect response needs no ACAO (the block is the credentials)',
    ex: ex({
      url: `${PAGE}/start`,
      redirects: [{ status: 302, from: `${PAGE}/start`, location: URL_, headers: [] }],
      response: res(200, [ACAO_OK]),
      error: BLOCKED.chromium,
    }),
    reason: 'CORSMissingAllowCredentials',
    stage: 'actual',
    certainty: 'inferred',
  },
  ...perEngine((engine) => ({
    name: `${engine}: a cross-origin redirect response must pass the CORS check itself`,
    ex: ex({
      engine,
      url: `${API}/a`,
      redirects: [{ status: 301, from: `${API}/a`, location: `${API}/b`, headers: [] }],
      error: BLOCKED[engine],
    }),
    reason: 'CORSMissingAllowOrigin',
    stage: 'redirect',
    engineName: engine === 'chromium' ? 'MissingAllowOriginHeader' : 'CORSMissingAllowOrigin2',
  })),
  ...perEngine((engine) => ({
    name: `${engine}: a redirect to a URL with user:password`,
    ex: ex({
      engine,
      url: `${API}/a`,
      redirects: [{ status: 302, from: `${API}/a`, location: 'https://u:p@other.test/b', headers: [ACAO_OK] }],
      error: BLOCKED[engine],
    }),
    // Firefox refuses the hop too but has no message of its own: its console says CORSDidNotSucceed2.
    reason: engine === 'chromium' ? 'CORSRedirectContainsCredentials' : 'CORSDidNotSucceed',
    stage: 'redirect',
    engineName: engine === 'chromium' ? 'RedirectContainsCredentials' : 'CORSDidNotSucceed2',
    culprit: { kind: 'url' },
  })),
  {
    name: 'gecko: a refused redirect to user:password ends in NS_ERROR_NET_ON_RECEIVING_FROM (measured), not a network failure',
    ex: ex({
      engine: 'gecko',
      url: `${API}/a`,
      redirects: [{ status: 302, from: `${API}/a`, location: `${API.replace('://', '://u:p@')}/b`, headers: [ACAO_OK] }],
      error: 'NS_ERROR_NET_ON_RECEIVING_FROM',
    }),
    reason: 'CORSDidNotSucceed',
    stage: 'redirect',
    engineName: 'CORSDidNotSucceed2',
    culprit: { kind: 'url' },
    noFindings: ['network-error'],
  },
  {
    name: 'chromium: a redirect to ftp: is refused by the network stack (its own error)',
    ex: ex({ url: `${API}/a`, redirects: [{ status: 302, from: `${API}/a`, location: 'ftp://files.test/x', headers: [ACAO_OK] }], error: 'net::ERR_UNSAFE_REDIRECT' }),
    reason: 'CORSRequestNotHttp',
    stage: 'redirect',
    engineName: 'net::ERR_UNSAFE_REDIRECT',
  },
);

// --- Network and not-CORS errors ------------------------------------------------------------------------------
for (const error of ['net::ERR_CONNECTION_REFUSED', 'net::ERR_NAME_NOT_RESOLVED', 'net::ERR_EMPTY_RESPONSE', 'net::ERR_CONNECTION_RESET']) {
  add({
    name: `chromium: ${error} is a network failure`,
    ex: ex({ error }),
    reason: 'CORSDidNotSucceed',
    stage: 'network',
    engineName: error,
    findings: [{ code: 'network-error', error }],
  });
}
for (const error of ['NS_ERROR_CONNECTION_REFUSED', 'NS_ERROR_NET_RESET', 'NS_ERROR_UNKNOWN_HOST', 'NS_ERROR_NET_INTERRUPT']) {
  add({ name: `gecko: ${error} is a network failure`, ex: ex({ engine: 'gecko', error }), reason: 'CORSDidNotSucceed', stage: 'network', engineName: 'CORSDidNotSucceed2' });
}
add(
  {
    name: 'a network failure beats a missing ACAO',
    ex: ex({ response: res(200, []), error: 'net::ERR_CONTENT_LENGTH_MISMATCH' }),
    reason: 'CORSDidNotSucceed',
  },
  {
    name: 'a preflight that could not connect',
    ex: ex({ method: 'PUT', preflight: pre({ noResponse: true, error: 'net::ERR_CONNECTION_REFUSED' }), error: 'net::ERR_CONNECTION_REFUSED' }),
    reason: 'CORSDidNotSucceed',
    stage: 'network',
  },
);
for (const error of ['net::ERR_ABORTED', 'NS_BINDING_ABORTED', 'net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_BLOCKED_BY_CSP', 'net::ERR_BLOCKED_BY_ORB', 'net::ERR_CACHE_MISS']) {
  add({ name: `${error} is not a CORS failure`, ex: ex({ engine: error.startsWith('NS_') ? 'gecko' : 'chromium', response: res(200, []), error }), reason: null });
}
add({ name: 'gecko: tracking protection is not a CORS failure', ex: ex({ engine: 'gecko', error: 'NS_ERROR_TRACKING_URI' }), reason: null });

// --- Local network access -----------------------------------------------------------------------------------
add(
  {
    name: 'chromium: the local-network-access block',
    ex: ex({ initiator: 'https://public.test', requestHeaders: [['origin', 'https://public.test']], url: 'http://192.168.1.10/api', error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' }),
    reason: 'CORSLocalNetworkAccess',
    engineName: 'LocalNetworkAccessPermissionDenied',
    findings: [{ code: 'local-network', address: '192.168.1.10' }],
  },
  {
    name: 'chromium: a private-network preflight without Access-Control-Allow-Private-Network',
    ex: rejected('chromium', { extraRequest: [['access-control-request-private-network', 'true']], headers: [ACAO_OK, ['access-control-allow-methods', 'PUT']] }),
    reason: 'CORSLocalNetworkAccess',
    stage: 'preflight',
    engineName: 'PreflightMissingAllowPrivateNetwork',
  },
  {
    name: 'gecko does not ask for Access-Control-Allow-Private-Network',
    ex: afterPreflight('gecko', { extraRequest: [['access-control-request-private-network', 'true']], headers: [ACAO_OK, ['access-control-allow-methods', 'PUT']] }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: 'a public page reaching a loopback address: finding on any reason',
    ex: blocked('chromium', [], { initiator: 'https://public.test', requestHeaders: [['origin', 'https://public.test']], url: 'http://localhost:8080/x', response: res(200, [], { ip: '127.0.0.1' }) }),
    reason: 'CORSMissingAllowOrigin',
    findings: [{ code: 'local-network', address: '127.0.0.1' }],
  },
  {
    name: 'a loopback page reaching another loopback port is not a local-network finding',
    ex: blocked('chromium', [], { response: res(200, [], { ip: '127.0.0.1' }) }),
    reason: 'CORSMissingAllowOrigin',
    noFindings: ['local-network'],
  },
);

// --- Request mode, scheme, and what is not a CORS request -------------------------------------------------------
add(
  {
    name: 'chromium: mode "same-origin" to another origin',
    ex: ex({ requestHeaders: [['sec-fetch-mode', 'same-origin']], error: BLOCKED.chromium }),
    reason: 'CORSDisallowedByMode',
    engineName: 'DisallowedByMode',
    culprit: { name: 'sec-fetch-mode', value: 'same-origin' },
  },
  {
    name: 'chromium: blocked before anything was sent: most likely mode "same-origin"',
    ex: ex({ requestHeaders: [], error: BLOCKED.chromium }),
    reason: 'CORSDisallowedByMode',
    certainty: 'inferred',
    unseen: 'request-mode',
    alternatives: ['CORSDidNotSucceed'],
  },
  {
    name: 'gecko: blocked before anything was sent: Origin could not be added, or CORS is disabled',
    ex: ex({ engine: 'gecko', requestHeaders: [], error: BLOCKED.gecko }),
    reason: 'CORSOriginHeaderNotAdded',
    engineName: 'CORSOriginHeaderNotAdded',
    certainty: 'inferred',
    unseen: 'console-only',
    alternatives: ['CORSDisabled'],
  },
  ...perEngine((engine) => ({
    name: `${engine}: a file: URL from a web page`,
    ex: ex({ engine, url: 'file:///etc/hosts', requestHeaders: [], error: BLOCKED[engine] }),
    reason: 'CORSRequestNotHttp',
    engineName: engine === 'chromium' ? 'CorsDisabledScheme' : 'CORSRequestNotHttp',
    culprit: { kind: 'scheme', value: 'file' },
  })),
  { name: 'a blob: URL of another origin', ex: ex({ url: `blob:${OTHER}/5f0c`, requestHeaders: [], error: BLOCKED.chromium }), reason: 'CORSRequestNotHttp' },
  { name: 'a chrome-extension: URL', ex: ex({ url: 'chrome-extension://abcdef/x.json', requestHeaders: [], error: BLOCKED.chromium }), reason: 'CORSRequestNotHttp' },
  { name: 'a data: URL is fetched without CORS', ex: ex({ url: 'data:text/plain,hi', requestHeaders: [], error: BLOCKED.chromium }), reason: null },
  { name: 'an unparsable URL gives no diagnosis', ex: ex({ url: 'http://[bad', error: BLOCKED.chromium }), reason: null },
  { name: 'an empty URL gives no diagnosis', ex: ex({ url: '', error: BLOCKED.chromium }), reason: null },
  { name: 'a same-origin request is not CORS', ex: ex({ url: `${PAGE}/api`, response: res(200, []), error: BLOCKED.chromium }), reason: null },
  { name: 'a no-cors request is not CORS', ex: ex({ type: 'image', requestHeaders: [['sec-fetch-mode', 'no-cors']], error: BLOCKED.chromium }), reason: null },
  { name: 'a navigation is not CORS', ex: ex({ type: 'sub_frame', requestHeaders: [['sec-fetch-mode', 'navigate']], error: BLOCKED.chromium }), reason: null },
  {
    name: 'a font without Sec-Fetch-Mode is CORS by default (seen through its Origin)',
    ex: ex({ type: 'font', requestHeaders: [['origin', PAGE]], response: res(200, []), error: BLOCKED.chromium }),
    reason: 'CORSMissingAllowOrigin',
  },
);

// --- Failures nothing explains ------------------------------------------------------------------------------------
add(
  {
    name: 'chromium: blocked although every header passes, even with credentials',
    ex: blocked('chromium', [ACAO_OK, ['access-control-allow-credentials', 'true']], { requestHeaders: withCookie() }),
    reason: 'CORSDidNotSucceed',
    certainty: 'inferred',
    unseen: 'response-headers',
    alternatives: [],
    engineName: 'net::ERR_FAILED',
  },
  {
    name: 'gecko: a failed preflight whose response was not seen',
    ex: rejected('gecko', { noResponse: true, error: BLOCKED.gecko }),
    reason: 'CORSDidNotSucceed',
    stage: 'preflight',
    certainty: 'inferred',
    alternatives: ['CORSMissingAllowOrigin', 'CORSPreflightDidNotSucceed'],
  },
  {
    name: 'chromium: blocked, no response seen',
    ex: ex({ error: BLOCKED.chromium }),
    reason: 'CORSDidNotSucceed',
    certainty: 'inferred',
    alternatives: ['CORSMissingAllowOrigin'],
  },
);

// --- Engine-specific: Firefox's blocked-but-completed responses ------------------------------------------------
add(
  {
    name: 'gecko: a preflighted request whose actual response lacks ACAO completes but is blocked',
    ex: ex({ engine: 'gecko', method: 'PUT', preflight: pre({ headers: [ACAO_OK, ['access-control-allow-methods', 'PUT']] }), response: res(200, []) }),
    reason: 'CORSMissingAllowOrigin',
    stage: 'actual',
  },
  {
    name: 'gecko: completed, but our preflight check disagrees: the browser is the judge',
    ex: ex({ engine: 'gecko', method: 'PUT', preflight: pre({ headers: [ACAO_OK] }), response: res(200, [ACAO_OK]) }),
    reason: null,
  },
);

// --- Findings ----------------------------------------------------------------------------------------------------------
add(
  {
    name: 'a cached response for another origin without Vary: Origin',
    ex: blocked('chromium', [['access-control-allow-origin', OTHER]], { response: res(200, [['access-control-allow-origin', OTHER]], { fromCache: true }) }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    findings: [{ code: 'cached-response', stage: 'actual' }, { code: 'missing-vary-origin' }],
  },
  {
    name: 'Vary: Origin present: no vary finding',
    ex: blocked('chromium', [['access-control-allow-origin', OTHER], ['vary', 'Accept-Encoding, Origin']]),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    noFindings: ['missing-vary-origin', 'cached-response'],
  },
  {
    name: 'a file:// page (origin "null")',
    ex: blocked('chromium', [ACAO_OK], { initiator: 'file://', requestHeaders: [['origin', 'null'], ['sec-fetch-mode', 'cors']] }),
    reason: 'CORSAllowOriginNotMatchingOrigin',
    findings: [{ code: 'file-page' }],
  },
  {
    name: 'a "null" origin matched by ACAO null',
    ex: completed('gecko', [['access-control-allow-origin', 'null']], { initiator: 'null', requestHeaders: [['origin', 'null']] }),
    reason: null,
  },
);

// --- Malformed and huge input ----------------------------------------------------------------------------------
const manyMethods = Array.from({ length: 10_000 }, (_, i) => `M${i}`).join(', ');
add(
  {
    name: '10 000 methods without the one asked for',
    ex: rejected('chromium', { headers: [ACAO_OK, ['access-control-allow-methods', manyMethods]] }),
    reason: 'CORSMethodNotFound',
  },
  {
    name: '10 000 methods with the one asked for last',
    ex: afterPreflight('gecko', { headers: [ACAO_OK, ['access-control-allow-methods', `${manyMethods}, PUT`]] }),
    ...PASSED_PREFLIGHT,
  },
  {
    name: 'a 100 KB ACAO value',
    ex: blocked('chromium', [['access-control-allow-origin', 'x'.repeat(100_000)]]),
    reason: 'CORSInvalidAllowOrigin',
  },
  {
    name: '10 000 response header lines',
    ex: blocked('gecko', Array.from({ length: 10_000 }, (_, i): [string, string] => [`x-h${i}`, 'v'])),
    reason: 'CORSMissingAllowOrigin',
  },
  {
    name: 'empty names and values everywhere',
    ex: blocked('chromium', [
      ['', ''],
      ['access-control-allow-methods', ''],
    ]),
    reason: 'CORSMissingAllowOrigin',
  },
);

