/**
 * The classifier: which CORS rule an observed exchange broke, in the order the browsers check.
 *
 * Each check is one small function named for its step of the Fetch standard
 * (https://fetch.spec.whatwg.org/); CHECK_ORDER lists them in the order the engines apply them; the
 * first failing check wins. Engine differences reach the checks only as EngineFacts (policy.ts).
 *
 * The browser is the judge: when it says the request succeeded, only a warning is reported (and, in an
 * engine where a blocked simple request looks successful, a failing CORS check of the final response);
 * when it says the request failed, the checks name the rule. The credentials mode is never exposed, so a
 * failure no check explains is checked again as if credentials had been sent, and reported as inferred.
 */
import { addressSpace, isMorePrivate } from './address-space.ts';
import { isCorsCandidate, requesterOrigin, requestMode } from './candidate.ts';
import type { Certainty, Culprit, Diagnosis, Evidence, Finding, Stage } from './diagnosis.ts';
import type { Exchange, ObservedRedirect, ObservedResponse } from './exchange.ts';
import {
  getHeader,
  hasHeader,
  hasUrlCredentials,
  isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedMethod,
  isHttpUrl,
  isSameOrigin,
  lookupHeader,
  normalizeMethod,
  parseTokenList,
  type TokenList,
  parseUrl,
  serializeOrigin,
  splitHeaderNames,
  urlScheme,
} from './headers.ts';
import { type HeaderIndexes, readingHeadersOnce } from './header-lookup.ts';
import { type EngineFacts, type ErrorKind, engineFacts } from './policy.ts';
import { preflightCause } from './preflight-cause.ts';
import type { ReasonId } from './reasons.ts';
import { redactUrl, truncateValue } from './redact.ts';
import { engineOf, errorOf, readExchange } from './sanitize.ts';
import { urlFacts } from './url-facts.ts';

/** A failed check. */
export interface Failure {
  reason: ReasonId;
  stage: Stage;
  culprit?: Culprit;
  /** The check could not tell two reasons apart from what the engine exposes. */
  ambiguity?: { alternatives: ReasonId[]; unseen: NonNullable<Diagnosis['unseen']> };
  /** The browser's error string, for a failure the engine has no CORS name for. */
  engineError?: string;
}

/** One response the checks look at, with the origin the browser compared it against. */
export interface Target {
  stage: 'preflight' | 'redirect' | 'actual';
  /** Undefined when no response was observed (or, for a redirect, when the CORS check does not apply). */
  response?: ObservedResponse;
  /** The request's serialised origin as the browser sent it ("null" once tainted), null when unknown. */
  origin: string | null;
  /** For a redirect target: the redirect, and whether the request was in CORS tainting before it. */
  redirect?: ObservedRedirect;
  corsTainted?: boolean;
}

export interface CheckContext {
  readonly ex: Exchange;
  readonly facts: EngineFacts;
  /** Judge as if the request carried credentials (cookies, HTTP auth). */
  readonly withCredentials: boolean;
  /** Each deciding header, appended by the checks as they run. */
  readonly evidence: Evidence[];
  /** Set by checkAllowHeaders when `*` let Authorization through. */
  authorizationViaWildcard: boolean;
}

export type Check = (c: CheckContext, t: Target) => Failure | null;

// ---------------------------------------------------------------------------------------------------------
// Request checks

/** Fetch "HTTP-network fetch": a transport failure is a network error before any CORS rule is read
 * (an HTTP error status is not one: a 500 with a good ACAO passes). The preflight's failure comes first. */
export const checkNetworkError: Check = (c) => {
  const error = firstError(c, 'network');
  if (!error) return null;
  return { reason: 'CORSDidNotSucceed', stage: 'network', culprit: { kind: 'network', value: error }, engineError: error };
};

/** Fetch "main fetch": a CORS-mode request to a URL whose scheme is not HTTP(S) is a network
 * error (data: URLs never get here; candidate.ts leaves them out). */
export const checkScheme: Check = (c) => {
  if (isHttpUrl(c.ex.url)) return null;
  return { reason: 'CORSRequestNotHttp', stage: 'actual', culprit: { kind: 'scheme', value: urlScheme(c.ex.url) ?? '' } };
};

/** Fetch "main fetch": mode "same-origin" with a cross-origin URL is a network error. */
export const checkRequestMode: Check = (c) => {
  if (requestMode(c.ex) !== 'same-origin') return null;
  c.evidence.push({ stage: 'actual', header: 'sec-fetch-mode', got: 'same-origin', needed: 'cors', ok: false });
  return { reason: 'CORSDisallowedByMode', stage: 'actual', culprit: { kind: 'header', name: 'sec-fetch-mode', value: 'same-origin' } };
};

/** Local Network Access (WICG): the engine refused to reach a more private address without the user's
 * permission. Only the error code tells. */
export const checkLocalNetworkBlock: Check = (c) => {
  const error = firstError(c, 'local-network');
  if (!error) return null;
  return { reason: 'CORSLocalNetworkAccess', stage: 'actual', culprit: { kind: 'network', value: targetAddress(c.ex) }, engineError: error };
};

/** The preflight's error if it is of `kind`, else the request's if it is. */
function firstError(c: CheckContext, kind: ErrorKind): string | undefined {
  const preflightError = c.ex.preflight?.error;
  if (preflightError && c.facts.errorKind(preflightError) === kind) return preflightError;
  const error = c.ex.error;
  return error && c.facts.errorKind(error) === kind ? error : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The CORS check, on any response (preflight, redirect, final)

/** Fetch "CORS check" (the origin steps), with the engines' finer names for a value that cannot
 * match: more than one value (the header's syntax allows exactly one), none, `*` with credentials, an unparsable value,
 * or another origin. The comparison is byte for byte. */
export const checkAllowOrigin: Check = (c, t) => {
  if (!t.response) return null;
  const acao = lookupHeader(t.response.headers, 'access-control-allow-origin');
  const got = acao.combined;
  const needed = t.origin ?? '*';
  const fail = (reason: ReasonId, ambiguity?: Failure['ambiguity']): Failure => {
    c.evidence.push({ stage: t.stage, header: 'access-control-allow-origin', got, needed, ok: false });
    const culprit = headerCulprit('access-control-allow-origin', got);
    return ambiguity ? { reason, stage: t.stage, culprit, ambiguity } : { reason, stage: t.stage, culprit };
  };
  if (acao.repeated) return fail('CORSMultipleAllowOriginNotAllowed');
  if (got === null) return fail('CORSMissingAllowOrigin');
  if (got === '*') {
    if (c.withCredentials) return fail('CORSNotSupportingCredentials');
  } else if (t.origin !== null && got !== t.origin) {
    if (c.facts.commaListInAllowOriginIs === 'multiple' && (got.includes(',') || got.includes(' '))) return fail('CORSMultipleAllowOriginNotAllowed');
    if (c.facts.repeatedHeadersMerged && got.includes(', ')) {
      const [likely, other] =
        c.facts.mergedAllowOriginMostLikely === 'multiple' ||
        (c.facts.mergedAllowOriginMostLikely === 'multiple-when-repeated' && repeatsOrAddsWildcard(got))
          ? (['CORSMultipleAllowOriginNotAllowed', 'CORSAllowOriginNotMatchingOrigin'] as const)
          : (['CORSAllowOriginNotMatchingOrigin', 'CORSMultipleAllowOriginNotAllowed'] as const);
      return fail(likely, { alternatives: [other], unseen: 'response-headers' });
    }
    if (c.facts.separatesInvalidAllowOrigin && got !== 'null' && urlFacts(got) === null) return fail('CORSInvalidAllowOrigin');
    return fail('CORSAllowOriginNotMatchingOrigin');
  }
  c.evidence.push({ stage: t.stage, header: 'access-control-allow-origin', got, needed, ok: true });
  return null;
};

/** A merged ACAO whose parts repeat a value or include `*`: what two lines added by two layers look like. */
function repeatsOrAddsWildcard(merged: string): boolean {
  const parts = merged.split(', ');
  return parts.includes('*') || new Set(parts).size < parts.length;
}

/** Fetch "CORS check" (the credentials steps): with credentials, `Access-Control-Allow-Credentials` must be exactly
 * `true` (case-sensitive; two lines make "true, true", which fails). */
export const checkCredentials: Check = (c, t) => {
  if (!c.withCredentials || !t.response) return null;
  const got = getHeader(t.response.headers, 'access-control-allow-credentials');
  const ok = got === 'true';
  c.evidence.push({ stage: t.stage, header: 'access-control-allow-credentials', got, needed: 'true', ok });
  if (ok) return null;
  return {
    reason: 'CORSMissingAllowCredentials',
    stage: t.stage,
    culprit: headerCulprit('access-control-allow-credentials', got),
  };
};

/** A response header at fault, with the value received when there was one. */
function headerCulprit(name: string, value: string | null): Culprit {
  return value === null ? { kind: 'header', name } : { kind: 'header', name, value };
}

/** The CORS check as one step, for a redirect response that must pass it before anything else. */
function corsCheck(c: CheckContext, t: Target): Failure | null {
  return checkAllowOrigin(c, t) ?? checkCredentials(c, t);
}

// ---------------------------------------------------------------------------------------------------------
// Preflight checks, Fetch "CORS-preflight fetch"

/** CORS-preflight fetch takes the preflight's response as it is: a redirect is never followed. Chromium fails on
 * the redirect itself; Fetch and Firefox first run the CORS check on the redirect response. */
export const checkPreflightRedirect: Check = (c, t) => {
  const location = c.ex.preflight?.redirectedTo;
  if (!location) return null;
  if (!c.facts.preflightRedirectFailsFirst) {
    const failure = corsCheck(c, t);
    if (failure) return failure;
  }
  const status = t.response?.status;
  c.evidence.push({ stage: 'preflight', header: ':status', got: status ? String(status) : null, needed: '2xx', ok: false });
  return { reason: 'CORSExternalRedirectNotAllowed', stage: 'preflight', culprit: { kind: 'url', value: redactUrl(location) } };
};

/** CORS-preflight fetch: the preflight passes only when the CORS check succeeds *and* the status is an ok status
 * (200–299); the CORS check comes first, so a 404 without ACAO is a missing ACAO. */
export const checkPreflightStatus: Check = (c, t) => {
  const status = t.response?.status;
  if (!status) return null;
  const ok = status >= 200 && status <= 299;
  c.evidence.push({ stage: 'preflight', header: ':status', got: String(status), needed: '2xx', ok });
  return ok ? null : { reason: 'CORSPreflightDidNotSucceed', stage: 'preflight', culprit: { kind: 'status', value: String(status) } };
};

/** Private Network Access (WICG), CORS preflight: a preflight that asked `Access-Control-Request-Private-Network`
 * must be answered `Access-Control-Allow-Private-Network: true`. Chromium checks it after the CORS check
 * and the status, before the allow lists. */
export const checkAllowPrivateNetwork: Check = (c, t) => {
  if (!c.facts.checksAllowPrivateNetwork || !t.response) return null;
  const asked = c.ex.preflight?.requestHeaders ?? [];
  const requestName = ['access-control-request-private-network', 'access-control-request-local-network'].find(
    (name) => getHeader(asked, name) === 'true',
  );
  if (!requestName) return null;
  const header = requestName.replace('request', 'allow');
  const got = getHeader(t.response.headers, header);
  const ok = got === 'true';
  c.evidence.push({ stage: 'preflight', header, got, needed: 'true', ok });
  return ok ? null : { reason: 'CORSLocalNetworkAccess', stage: 'preflight', culprit: headerCulprit(header, got) };
};

/** CORS-preflight fetch, "extracting header list values": `Access-Control-Allow-Methods` must parse as `#method` (tokens). */
export const checkAllowMethodsSyntax: Check = (c, t) => listSyntax(c, t, 'access-control-allow-methods', 'CORSInvalidAllowMethod');

/** CORS-preflight fetch, "extracting header list values": `Access-Control-Allow-Headers` must parse as `#field-name` (tokens). */
export const checkAllowHeadersSyntax: Check = (c, t) => listSyntax(c, t, 'access-control-allow-headers', 'CORSInvalidAllowHeader');

function listSyntax(c: CheckContext, t: Target, header: string, reason: ReasonId): Failure | null {
  if (!t.response) return null;
  const got = getHeader(t.response.headers, header);
  const list = tokenList(got);
  if (list.valid) return null;
  c.evidence.push({ stage: 'preflight', header, got, needed: list.tokens.join(', '), ok: false });
  return { reason, stage: 'preflight', culprit: { kind: 'header', name: header, value: list.invalidToken } };
}

/** CORS-preflight fetch: the method must be CORS-safelisted, listed exactly (methods are case-sensitive: `patch`
 * is not `PATCH`), or covered by `*` when no credentials are sent. */
export const checkAllowMethods: Check = (c, t) => {
  if (!t.response) return null;
  const got = getHeader(t.response.headers, 'access-control-allow-methods');
  const methods = tokenList(got);
  if (!methods.valid) return null;
  // Fetch and Chromium parse both lists before comparing anything; Firefox compares the method first.
  if (c.facts.allowListsParsedBeforeMethodCheck && !tokenList(getHeader(t.response.headers, 'access-control-allow-headers')).valid) {
    return null;
  }
  const method = requestedMethod(c.ex);
  if (isCorsSafelistedMethod(method)) return null;
  const ok = methods.tokens.includes(method) || (!c.withCredentials && methods.tokens.includes('*'));
  c.evidence.push({ stage: 'preflight', header: 'access-control-allow-methods', got, needed: method, ok });
  return ok ? null : { reason: 'CORSMethodNotFound', stage: 'preflight', culprit: { kind: 'method', value: method } };
};

/** CORS-preflight fetch: each CORS-unsafe request header (as the preflight listed them) must be in
 * `Access-Control-Allow-Headers`, compared case-insensitively, or covered by `*` when no credentials are
 * sent. `*` does not cover `Authorization` per the standard; engines still let it through (facts). */
export const checkAllowHeaders: Check = (c, t) => {
  if (!t.response) return null;
  const got = getHeader(t.response.headers, 'access-control-allow-headers');
  const list = tokenList(got);
  const requested = requestedHeaderNames(c.ex);
  if (!list.valid || requested.length === 0) return null;
  const allowed = new Set(list.tokens.map((token) => token.toLowerCase()));
  const wildcard = !c.withCredentials && allowed.has('*');
  const missing = requested.find((name) => {
    if (allowed.has(name)) return false;
    if (!wildcard) return true;
    if (!isCorsNonWildcardRequestHeaderName(name)) return false;
    if (!c.facts.authorizationCoveredByWildcard) return true;
    c.authorizationViaWildcard = true;
    return false;
  });
  c.evidence.push({ stage: 'preflight', header: 'access-control-allow-headers', got, needed: requested.join(', '), ok: missing === undefined });
  if (missing === undefined) return null;
  return { reason: 'CORSMissingAllowHeaderFromPreflight', stage: 'preflight', culprit: { kind: 'request-header', name: missing } };
};

/** parseTokenList, remembered per value (see remembered). */
function tokenList(value: string | null): TokenList {
  return value === null ? EMPTY_TOKEN_LIST : remembered(tokenLists, value, parseTokenList);
}

const EMPTY_TOKEN_LIST: TokenList = { valid: true, tokens: [] };
const tokenLists = new Map<string, TokenList>();
const headerNameLists = new Map<string, string[]>();

/** `parse(value)`, remembered: the same lists are read by several checks, in each pass, and servers send the
 * same few values. The results are shared and never changed. */
function remembered<T>(memo: Map<string, T>, value: string, parse: (value: string) => T): T {
  const known = memo.get(value);
  if (known !== undefined) return known;
  const parsed = parse(value);
  if (value.length <= 2048) {
    if (memo.size >= 64) memo.clear();
    memo.set(value, parsed);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------
// Redirect checks, Fetch "HTTP-redirect fetch"

/** HTTP-redirect fetch: the Location must be an HTTP(S) URL, and must not carry user:password once the request
 * is cross-origin (mode "cors" with another origin, or CORS tainting already). */
export const checkRedirectLocation: Check = (c, t) => {
  const location = t.redirect?.location;
  if (!location || urlFacts(location) === null) return null;
  const shown = redactUrl(location);
  if (!isHttpUrl(location)) {
    c.evidence.push({ stage: 'redirect', header: 'location', got: shown, needed: 'http: or https: URL', ok: false });
    return { reason: 'CORSRequestNotHttp', stage: 'redirect', culprit: { kind: 'url', value: shown } };
  }
  if (hasUrlCredentials(location) && (t.corsTainted || !isSameOrigin(requesterOrigin(c.ex) ?? undefined, location))) {
    c.evidence.push({ stage: 'redirect', header: 'location', got: shown, needed: withoutCredentials(location), ok: false });
    const reason = c.facts.separatesRedirectCredentials ? 'CORSRedirectContainsCredentials' : 'CORSDidNotSucceed';
    return { reason, stage: 'redirect', culprit: { kind: 'url', value: shown } };
  }
  return null;
};

// ---------------------------------------------------------------------------------------------------------
// Warning

/** Runs only when everything else passed: Authorization was let through by `Access-Control-Allow-Headers: *`
 * alone. Both engines still allow it and warn (Firefox CORSAllowHeaderFromPreflightDeprecation, Chromium
 * the AuthorizationCoveredByWildcard deprecation issue). */
export const checkAuthorizationCoveredByWildcard: Check = (c) => {
  if (!c.authorizationViaWildcard) return null;
  return { reason: 'CORSAllowHeaderFromPreflightDeprecation', stage: 'preflight', culprit: { kind: 'request-header', name: 'authorization' } };
};

// ---------------------------------------------------------------------------------------------------------
// The order

type Phase = 'request' | 'preflight' | 'redirect' | 'actual' | 'warning';

/** Every check, in the order the engines apply them (docs/CLASSIFIER.md explains each step). */
export const CHECK_ORDER: ReadonlyArray<{ phase: Phase; checks: readonly Check[] }> = [
  { phase: 'request', checks: [checkNetworkError, checkScheme, checkRequestMode, checkLocalNetworkBlock] },
  {
    phase: 'preflight',
    checks: [
      checkPreflightRedirect,
      checkAllowOrigin,
      checkCredentials,
      checkPreflightStatus,
      checkAllowPrivateNetwork,
      checkAllowMethodsSyntax,
      checkAllowMethods,
      checkAllowHeadersSyntax,
      checkAllowHeaders,
    ],
  },
  { phase: 'redirect', checks: [checkAllowOrigin, checkCredentials, checkRedirectLocation] },
  { phase: 'actual', checks: [checkAllowOrigin, checkCredentials] },
  { phase: 'warning', checks: [checkAuthorizationCoveredByWildcard] },
];

/** The request's URL list: the URL asked for, then each redirect target. */
function urlList(ex: Exchange): string[] {
  const urls = [ex.url];
  for (const r of ex.redirects) urls.push(r.location);
  return urls;
}

/** The origin the last hop was sent with: the Origin header seen, else computed. */
function finalOrigin(ex: Exchange): string | null {
  const sent = getHeader(ex.requestHeaders, 'origin');
  if (sent !== null) return sent;
  const urls = urlList(ex);
  return originAtHop(requesterOrigin(ex), urls, urls.length - 1);
}

/** The responses each phase looks at. The same for every pass over one exchange. */
function targets(ex: Exchange): Record<Phase, Target[]> {
  const origin = finalOrigin(ex);
  const pf = ex.preflight;
  const general = [target('actual', origin, undefined)];
  return {
    request: general,
    preflight: pf ? [target('preflight', getHeader(pf.requestHeaders, 'origin') ?? origin, pf.response)] : [],
    redirect: ex.redirects.length === 0 ? [] : redirectTargets(ex),
    actual: ex.response ? [target('actual', origin, ex.response)] : [],
    warning: general,
  };
}

/** Targets are made here only, all of one shape. */
function target(stage: Target['stage'], origin: string | null, response: ObservedResponse | undefined, redirect?: ObservedRedirect, corsTainted?: boolean): Target {
  return { stage, origin, response, redirect, corsTainted };
}

function redirectTargets(ex: Exchange): Target[] {
  const requester = requesterOrigin(ex);
  const urls = urlList(ex);
  return ex.redirects.map((redirect, hop) => {
    // Fetch "HTTP fetch": the CORS check applies once the response tainting is "cors".
    const corsTainted = requester === null || urls.slice(0, hop + 1).some((u) => !isSameOrigin(requester, u));
    const response = corsTainted ? { status: redirect.status, headers: redirect.headers } : undefined;
    return target('redirect', originAtHop(requester, urls, hop), response, redirect, corsTainted);
  });
}

/**
 * Fetch "serializing a request origin": "null" once a redirect went from one origin to another while the
 * request's origin was not the one redirecting (HTTP-redirect fetch taints the origin). `hop` indexes
 * `urls`, the request's URL list.
 */
export function originAtHop(requester: string | null, urls: string[], hop: number): string | null {
  if (requester === null) return null;
  for (let i = 1; i <= hop && i < urls.length; i++) {
    if (!isSameOrigin(urls[i], urls[i - 1]) && !isSameOrigin(requester, urls[i - 1])) return 'null';
  }
  return requester;
}

interface Pass {
  failure: Failure | null;
  warning: Failure | null;
  target: Target | null;
  evidence: Evidence[];
  authorizationViaWildcard: boolean;
}

function runChecks(ex: Exchange, facts: EngineFacts, withCredentials: boolean, byPhase: Record<Phase, Target[]>): Pass {
  const c: CheckContext = { ex, facts, withCredentials, evidence: [], authorizationViaWildcard: false };
  for (const { phase, checks } of CHECK_ORDER) {
    for (const t of byPhase[phase]) {
      for (const check of checks) {
        const found = check(c, t);
        if (found) return passOf(c, phase === 'warning' ? null : found, phase === 'warning' ? found : null, t);
      }
    }
  }
  return passOf(c, null, null, null);
}

function passOf(c: CheckContext, failure: Failure | null, warning: Failure | null, target: Target | null): Pass {
  return { failure, warning, target, evidence: c.evidence, authorizationViaWildcard: c.authorizationViaWildcard };
}

// ---------------------------------------------------------------------------------------------------------
// classify

/** What a response check on the final response can report: the failures a blocked-but-completed simple
 * request can have. */
const RESPONSE_CHECK_REASONS: ReadonlySet<ReasonId> = new Set([
  'CORSMultipleAllowOriginNotAllowed',
  'CORSMissingAllowOrigin',
  'CORSNotSupportingCredentials',
  'CORSInvalidAllowOrigin',
  'CORSAllowOriginNotMatchingOrigin',
  'CORSMissingAllowCredentials',
]);

/** Proof that credentials were included. A Cookie header always is. An Authorization header is, unless
 * the preflight listed it in Access-Control-Request-Headers: then the page set it itself (a bearer token),
 * which says nothing about the credentials mode. */
export function credentialsProof(ex: Exchange): 'cookie' | 'authorization' | null {
  if (hasHeader(ex.requestHeaders, 'cookie')) return 'cookie';
  if (!hasHeader(ex.requestHeaders, 'authorization')) return null;
  return preflightAskedFor(ex, 'authorization') ? null : 'authorization';
}

/** The preflight listed `name` (lower-case) in Access-Control-Request-Headers. */
function preflightAskedFor(ex: Exchange, name: string): boolean {
  return requestedHeaderNames(ex).includes(name);
}

/** The header names the preflight listed in Access-Control-Request-Headers. */
function requestedHeaderNames(ex: Exchange): readonly string[] {
  return headerNames(ex.preflight ? getHeader(ex.preflight.requestHeaders, 'access-control-request-headers') : null);
}

/** splitHeaderNames, remembered per value (see remembered). */
function headerNames(value: string | null): readonly string[] {
  return value === null ? [] : remembered(headerNameLists, value, splitHeaderNames);
}

/** Which CORS rule the exchange broke, or null when it is not a CORS failure (not a cross-origin CORS
 * request, an abort, a non-CORS block, or a success). Never throws; the same input gives the same output. */
export function classify(input: Exchange): Diagnosis | null {
  // The browser's verdict first: it alone can settle the question.
  const facts = engineFacts(engineOf(input));
  const kind = facts.errorKind(errorOf(input));
  if (kind === 'abort' || kind === 'not-cors') return null;
  // The browser says it worked, and this engine reports every CORS failure as an error: only the warning
  // about Authorization let through by `*` is left to find, and only a preflight that asked for it can give it.
  const canOnlyWarn = kind === 'none' && !facts.blockedResponseLooksSuccessful;
  // The header lists are indexed as the exchange is read when the checks will ask about them all.
  const indexes: HeaderIndexes = [];
  const ex = readExchange(input, canOnlyWarn ? undefined : indexes);
  return readingHeadersOnce(indexes, () => (canOnlyWarn && !preflightAskedFor(ex, 'authorization') ? null : judge(ex, facts, kind)));
}

function judge(ex: Exchange, facts: EngineFacts, kind: ErrorKind): Diagnosis | null {
  if (!isCorsCandidate(ex)) return null;
  const proof = credentialsProof(ex);
  const byPhase = targets(ex);
  const first = runChecks(ex, facts, proof !== null, byPhase);

  if (kind === 'none') {
    // The browser says it worked. Only Firefox's blocked simple request is a failure it does not report.
    if (first.failure) {
      const hidden = facts.blockedResponseLooksSuccessful && first.failure.stage === 'actual' && RESPONSE_CHECK_REASONS.has(first.failure.reason);
      return hidden ? diagnose(ex, facts, first, first.failure, proof) : null;
    }
    return first.warning ? diagnose(ex, facts, first, first.warning, proof) : null;
  }

  if (first.failure) return diagnose(ex, facts, first, first.failure, proof);
  if (proof === null) {
    const credentialed = runChecks(ex, facts, true, byPhase);
    if (credentialed.failure) {
      return diagnose(ex, facts, credentialed, credentialed.failure, proof, {
        certainty: 'inferred',
        unseen: 'credentials-mode',
        alternatives: ['CORSDidNotSucceed'],
      });
    }
  }
  return unexplained(ex, facts, first, proof);
}

/** The browser reported a CORS failure and no check explains it with what was observed. */
function unexplained(ex: Exchange, facts: EngineFacts, pass: Pass, proof: 'cookie' | 'authorization' | null): Diagnosis {
  const nothingSent = ex.requestHeaders.length === 0 && !ex.preflight && !ex.response && ex.redirects.length === 0;
  if (nothingSent) {
    const { reason, alternatives, unseen } = facts.unsent;
    return diagnose(ex, facts, pass, { reason, stage: 'actual' }, proof, { certainty: 'inferred', unseen, alternatives });
  }
  const preflightUnseen = ex.preflight !== undefined && !ex.preflight.response;
  const alternatives: ReasonId[] = preflightUnseen
    ? ['CORSMissingAllowOrigin', 'CORSPreflightDidNotSucceed']
    : ex.response
      ? []
      : ['CORSMissingAllowOrigin'];
  const failure: Failure = { reason: 'CORSDidNotSucceed', stage: preflightUnseen ? 'preflight' : 'actual' };
  return diagnose(ex, facts, pass, failure, proof, { certainty: 'inferred', unseen: 'response-headers', alternatives });
}

interface Inference {
  certainty: Certainty;
  unseen: NonNullable<Diagnosis['unseen']>;
  alternatives: ReasonId[];
}

function diagnose(
  ex: Exchange,
  facts: EngineFacts,
  pass: Pass,
  failure: Failure,
  proof: 'cookie' | 'authorization' | null,
  inference?: Inference,
): Diagnosis {
  const stageError = failure.stage === 'preflight' ? (ex.preflight?.error ?? ex.error) : ex.error;
  const unseen = inference?.unseen ?? failure.ambiguity?.unseen;
  const truncated: string[] = [];
  const cut = (value: string, header: string): string => {
    const out = truncateValue(value);
    if (out !== value && !truncated.includes(header)) truncated.push(header);
    return out;
  };
  const diagnosis: Diagnosis = {
    reason: failure.reason,
    engineName: cut(facts.names(failure.reason, failure.stage) || failure.engineError || stageError || '', ':error'),
    stage: failure.stage,
    certainty: inference?.certainty ?? (failure.ambiguity ? 'inferred' : 'certain'),
    alternatives: otherReasons(failure.reason, inference?.alternatives, failure.ambiguity?.alternatives),
    // The pass's evidence is this diagnosis's own: its values are cut in place.
    evidence: pass.evidence,
    findings: findingsFor(ex, pass, failure, proof),
  };
  for (const e of diagnosis.evidence) {
    if (e.got !== null) e.got = cut(e.got, e.header);
    e.needed = cut(e.needed, e.header);
  }
  if (unseen) diagnosis.unseen = unseen;
  const culprit = failure.culprit;
  if (culprit) {
    const header = culprit.kind === 'header' ? (culprit.name ?? culprit.kind) : culprit.kind;
    const shown: Culprit = { kind: culprit.kind };
    if (culprit.name !== undefined) shown.name = cut(culprit.name, header);
    if (culprit.value !== undefined) shown.value = cut(culprit.value, header);
    diagnosis.culprit = shown;
  }
  // Values are stored with the diagnosis: each one over the budget is cut, and said so.
  for (const header of truncated) diagnosis.findings.push({ code: 'header-value-truncated', header });
  return diagnosis;
}

/** The reasons in both lists but `reason`, each once, in order. */
function otherReasons(reason: ReasonId, ...lists: Array<readonly ReasonId[] | undefined>): ReasonId[] {
  const others: ReasonId[] = [];
  for (const list of lists) {
    for (const r of list ?? []) if (r !== reason && !others.includes(r)) others.push(r);
  }
  return others;
}

// ---------------------------------------------------------------------------------------------------------
// Findings

function findingsFor(ex: Exchange, pass: Pass, failure: Failure, proof: 'cookie' | 'authorization' | null): Finding[] {
  const findings: Finding[] = [];
  const stage = failure.stage;
  const response = pass.target?.response ?? (stage === 'preflight' ? ex.preflight?.response : ex.response);
  if (stage === 'network' && failure.engineError) findings.push({ code: 'network-error', error: failure.engineError });
  if (response && (stage === 'preflight' || stage === 'actual')) {
    if (response.status >= 400) findings.push({ code: 'http-error-status', stage, status: response.status });
    if (response.fromCache) findings.push({ code: 'cached-response', stage });
  }
  if (ex.redirects.length > 0 && finalOrigin(ex) === 'null') findings.push({ code: 'null-origin-after-redirect', redirectCount: ex.redirects.length });
  if (proof) findings.push({ code: 'credentials-sent', via: proof });
  if (stage === 'actual' && ex.response && lacksVaryOrigin(ex.response)) findings.push({ code: 'missing-vary-origin' });
  const local = localNetworkAddress(ex);
  if (local) findings.push({ code: 'local-network', address: local });
  if (urlFacts(ex.documentUrl)?.protocol === 'file:') findings.push({ code: 'file-page' });
  if (pass.authorizationViaWildcard) findings.push({ code: 'authorization-via-wildcard' });
  const cause = ex.preflight ? preflightCause(ex.preflight.requestHeaders, ex.requestHeaders, ex.method) : null;
  if (cause) findings.push({ code: 'preflight-reason', cause: cause.cause, value: cause.value });
  return findings;
}

/** ACAO echoes one specific origin but the response does not say it varies by Origin, so a cache may
 * hand it to another origin (Fetch "CORS protocol and HTTP caches"). */
function lacksVaryOrigin(response: ObservedResponse): boolean {
  const acao = lookupHeader(response.headers, 'access-control-allow-origin');
  const value = acao.values[0];
  if (acao.values.length !== 1 || value === undefined || value === '*' || value === 'null' || serializeOrigin(value) === null) return false;
  const vary = headerNames(getHeader(response.headers, 'vary'));
  return !vary.includes('origin') && !vary.includes('*');
}

/** The address the request went to: the IP the browser reported, else the URL's host. */
function targetAddress(ex: Exchange): string {
  return ex.response?.ip ?? ex.preflight?.response?.ip ?? urlFacts(ex.url)?.hostname ?? '';
}

/** The target address when it is more private than the requesting page's (what Local Network Access
 * guards), else null. */
function localNetworkAddress(ex: Exchange): string | null {
  const address = targetAddress(ex);
  const origin = requesterOrigin(ex);
  if (!address || origin === null || origin === 'null') return null;
  const from = urlFacts(origin)?.hostname;
  if (from === undefined) return null;
  return isMorePrivate(addressSpace(from), addressSpace(address)) ? address : null;
}

function withoutCredentials(url: string): string {
  const facts = urlFacts(url);
  if (facts === null) return url;
  if (facts.hrefWithoutCredentials !== undefined) return facts.hrefWithoutCredentials;
  const parsed = parseUrl(url);
  if (parsed === null) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

/** The method the preflight asked about (exactly as sent), else the actual request's, normalised. */
function requestedMethod(ex: Exchange): string {
  return getHeader(ex.preflight?.requestHeaders, 'access-control-request-method') ?? normalizeMethod(ex.method);
}
