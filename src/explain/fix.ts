/**
 * The fix for one record in machine-readable form, filled in with this request's origin, method and
 * headers. It is exactly what the failing request needs to pass: the headers of every response the
 * browser checks next (a fixed preflight is followed by the actual request, so both are given), no
 * wildcard where credentials are involved, and the status a preflight must have.
 */
import type { Stage } from '../cors/diagnosis.ts';
import type { HeaderList } from '../cors/exchange.ts';
import type { CorsRecord } from '../cors/record.ts';
import {
  failingRedirect,
  finalUrl,
  headerValue,
  isPreflighted,
  isToken,
  networkAccessRequest,
  originAt,
  originAtHop,
  pageOrigin,
  preflightCauses,
  requestedHeaders,
  requestMethod,
  responseAt,
  splitList,
  taintingRedirect,
  usesCredentials,
  withoutUrlCredentials,
} from './request-facts.ts';
import type { Fix } from './types.ts';

/** Seconds a browser may cache the fixed preflight (Chromium caps at 7200, Firefox at 86400). */
export const PREFLIGHT_MAX_AGE = 600;

interface FixFacts {
  origin: string;
  method: string;
  headers: string[];
  credentials: boolean;
}

/** Headers of an actual response that admits this request. Vary keeps caches from serving one origin's
 * answer to another; an existing Vary is extended, not replaced (only its valid entries: RFC 9110 §12.5.5
 * allows `*` and field names, and whatever else the server sent must not reach the configuration). */
function actualHeaders(facts: FixFacts, existingVary: string | undefined): HeaderList {
  const vary = splitList(existingVary).filter((v) => v === '*' || isToken(v));
  const varyValue = vary.some((v) => v.toLowerCase() === 'origin' || v === '*') ? vary.join(', ') : [...vary, 'Origin'].join(', ');
  const headers: [string, string][] = [['Access-Control-Allow-Origin', facts.origin]];
  if (facts.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  headers.push(['Vary', varyValue]);
  return headers;
}

/** Keeps the valid entries the server already allows and adds what this request needs. A `*` is dropped
 * when credentials are involved (it then means a method or header literally named "*"). */
function mergeList(existing: string | undefined, needed: string[], credentials: boolean, caseSensitive: boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const key = (v: string) => (caseSensitive ? v : v.toLowerCase());
  for (const item of [...splitList(existing), ...needed]) {
    if (!isToken(item) && item !== '*') continue;
    // A method listed in the wrong case is the mistake itself (methods compare exactly): replace it.
    if (caseSensitive && !needed.includes(item) && needed.some((n) => n.toLowerCase() === item.toLowerCase())) continue;
    if (item === '*' && credentials) continue;
    if (seen.has(key(item))) continue;
    seen.add(key(item));
    out.push(item);
  }
  return out;
}

/** Headers of a preflight response that admits this request. */
function preflightHeaders(record: CorsRecord, facts: FixFacts): HeaderList {
  const existing = record.exchange.preflight?.response?.headers;
  const headers: [string, string][] = [['Access-Control-Allow-Origin', facts.origin]];
  if (facts.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  const methods = mergeList(headerValue(existing, 'access-control-allow-methods'), [facts.method], facts.credentials, true);
  headers.push(['Access-Control-Allow-Methods', methods.join(', ')]);
  if (facts.headers.length > 0) {
    const allowed = mergeList(headerValue(existing, 'access-control-allow-headers'), facts.headers, facts.credentials, false);
    headers.push(['Access-Control-Allow-Headers', allowed.join(', ')]);
  }
  const network = networkAccessRequest(record.exchange);
  if (network.privateNetwork) headers.push(['Access-Control-Allow-Private-Network', 'true']);
  if (network.localNetwork) headers.push(['Access-Control-Allow-Local-Network', 'true']);
  headers.push(['Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE)]);
  return headers;
}

function factsFor(record: CorsRecord, stage: Stage, credentials = usesCredentials(record)): FixFacts {
  return {
    origin: originAt(record, stage),
    method: requestMethod(record.exchange),
    headers: requestedHeaders(record.exchange),
    credentials,
  };
}

/** The final response the browser checks for the actual request: headers to set, and where. */
function actualPart(record: CorsRecord, facts: FixFacts): NonNullable<Fix['actual']> {
  const { exchange } = record;
  const part: NonNullable<Fix['actual']> = { setHeaders: actualHeaders(facts, headerValue(exchange.response?.headers, 'vary')) };
  if (exchange.redirects.length > 0) part.url = finalUrl(exchange);
  return part;
}

/** A redirect hop failed the CORS check: it needs the headers for the Origin the request carried there,
 * and so does every later response, which the browser has not reached yet (the last hop's Location is the
 * final URL). */
function redirectParts(record: CorsRecord, credentials: boolean, remove: { removeHeaders?: string[] }): Pick<Fix, 'redirects' | 'actual'> {
  const { exchange } = record;
  const failing = failingRedirect(record);
  const facts = factsFor(record, 'actual', credentials);
  if (!failing) return { actual: { ...actualPart(record, facts), ...remove } };
  const redirects = exchange.redirects.slice(failing.index).map((hop, i) => ({
    url: hop.from,
    setHeaders: actualHeaders({ ...facts, origin: originAtHop(exchange, failing.index + i) }, headerValue(hop.headers, 'vary')),
    ...remove,
  }));
  const finalFacts = { ...facts, origin: originAtHop(exchange, exchange.redirects.length) };
  return { redirects, actual: { setHeaders: actualHeaders(finalFacts, undefined), url: finalUrl(exchange) } };
}

/** A client change that avoids the preflight altogether, when one kind of change removes every cause. */
function avoidPreflight(record: CorsRecord): Fix['client'] {
  const causes = preflightCauses(record);
  if (causes.length === 0) return undefined;
  const kinds = new Set(causes.map((c) => c.cause));
  if (kinds.size !== 1) return undefined;
  const [only] = kinds;
  if (only === 'content-type') {
    // An empty Content-Type names nothing: no detail then (absent, not undefined: the export is plain JSON).
    const detail = causes[0]?.value;
    return detail ? { kind: 'simple-content-type', detail } : { kind: 'simple-content-type' };
  }
  if (only === 'method') {
    const method = causes[0]?.value ?? '';
    return { kind: 'use-simple-method', detail: method };
  }
  if (only === 'header') {
    const names = causes.map((c) => c.value);
    // Authorization is how the page proves who it is: dropping it is no fix.
    if (names.includes('authorization')) return undefined;
    return { kind: 'drop-header', detail: names.join(', ') };
  }
  return undefined;
}

/** The response at this stage was an error to fix besides the headers: any 4xx/5xx of the actual request
 * (the page asked for something the server failed to give), or a 5xx on the preflight (a 404/405/403
 * there is only an unhandled OPTIONS, which the 204 in the fix already answers). */
function isServerError(record: CorsRecord, stage: 'preflight' | 'actual'): boolean {
  const finding = record.diagnosis.findings.find((f) => f.code === 'http-error-status' && f.stage === stage);
  const status = (finding?.code === 'http-error-status' ? finding.status : undefined) ?? responseAt(record, stage)?.status ?? 0;
  return stage === 'preflight' ? status >= 500 : status >= 400;
}

/** Reasons about the origin and credentials checks, which apply alike to the preflight, a redirect and
 * the actual response. */
function originCheckFix(record: CorsRecord, options: { credentials?: boolean; removeOrigin?: boolean }): Fix {
  const stage = record.diagnosis.stage;
  const credentials = options.credentials ?? usesCredentials(record);
  const fix: Fix = { credentials };
  const remove = options.removeOrigin ? { removeHeaders: ['Access-Control-Allow-Origin'] } : {};
  if (stage === 'preflight') {
    const facts = factsFor(record, 'preflight', credentials);
    fix.preflight = { status: 204, setHeaders: preflightHeaders(record, facts), ...remove };
    // Whatever doubled the header on the preflight (an app and a proxy both adding it) doubles it next.
    fix.actual = { ...actualPart(record, factsFor(record, 'actual', credentials)), ...remove };
    if (isServerError(record, 'preflight')) fix.other = 'fix-server-error';
  } else if (stage === 'redirect') {
    Object.assign(fix, redirectParts(record, credentials, remove));
  } else {
    fix.actual = { ...actualPart(record, factsFor(record, 'actual', credentials)), ...remove };
    if (isServerError(record, 'actual')) fix.other = 'fix-server-error';
  }
  if (options.credentials) fix.client = { kind: 'omit-credentials' };
  else if (stage !== 'preflight' && taintingRedirect(record.exchange) !== -1) {
    // Origin: null came from a cross-origin redirect: calling the final URL keeps the page's origin.
    fix.client = { kind: 'use-final-url', detail: withoutUrlCredentials(finalUrl(record.exchange)) };
  }
  return fix;
}

/** Reasons about the preflight's own checks (status, methods, headers): fix the preflight, and give the
 * actual response what it needs next. */
function preflightFix(record: CorsRecord): Fix {
  const credentials = usesCredentials(record);
  const facts = factsFor(record, 'preflight', credentials);
  const fix: Fix = {
    credentials,
    preflight: { status: 204, setHeaders: preflightHeaders(record, facts) },
    actual: actualPart(record, factsFor(record, 'actual', credentials)),
  };
  if (isServerError(record, 'preflight')) fix.other = 'fix-server-error';
  const client = avoidPreflight(record);
  if (client) fix.client = client;
  return fix;
}

/** The full header set a request needs, for reasons where the request never reached the server's checks. */
function fullFix(record: CorsRecord, origin = pageOrigin(record.exchange)): Fix {
  const credentials = usesCredentials(record);
  const facts = { ...factsFor(record, 'actual', credentials), origin };
  const fix: Fix = { credentials, actual: { setHeaders: actualHeaders(facts, headerValue(record.exchange.response?.headers, 'vary')) } };
  if (isPreflighted(record)) fix.preflight = { status: 204, setHeaders: preflightHeaders(record, facts) };
  return fix;
}

/** A redirect to a URL with user:password: the redirect goes (or loses the credentials), and the final
 * URL answers with the headers the request needs. */
function urlCredentialsFix(record: CorsRecord): Fix {
  const target = withoutUrlCredentials(finalUrl(record.exchange));
  const fix = fullFix(record);
  if (fix.actual) fix.actual.url = target;
  return { ...fix, redirect: { avoid: true, finalUrl: target }, other: 'remove-url-credentials', client: { kind: 'use-final-url', detail: target } };
}

/** The machine-readable fix for this record. */
export function buildFix(record: CorsRecord): Fix {
  const { exchange, diagnosis } = record;
  switch (diagnosis.reason) {
    case 'CORSMissingAllowOrigin':
    case 'CORSAllowOriginNotMatchingOrigin':
    case 'CORSInvalidAllowOrigin':
      return originCheckFix(record, {});
    case 'CORSMultipleAllowOriginNotAllowed':
      return originCheckFix(record, { removeOrigin: true });
    case 'CORSNotSupportingCredentials':
    case 'CORSMissingAllowCredentials':
      return originCheckFix(record, { credentials: true });
    case 'CORSPreflightDidNotSucceed':
    case 'CORSMethodNotFound':
    case 'CORSInvalidAllowMethod':
    case 'CORSInvalidAllowHeader':
    case 'CORSMissingAllowHeaderFromPreflight':
      return preflightFix(record);
    case 'CORSAllowHeaderFromPreflightDeprecation': {
      // The request passed; only the preflight's list needs Authorization by name.
      const credentials = usesCredentials(record);
      const facts = factsFor(record, 'preflight', credentials);
      if (!facts.headers.includes('authorization')) facts.headers = [...facts.headers, 'authorization'];
      return { credentials, preflight: { status: 204, setHeaders: preflightHeaders(record, facts) } };
    }
    case 'CORSExternalRedirectNotAllowed': {
      const target = finalUrl(exchange);
      if (exchange.preflight?.redirectedTo || diagnosis.stage === 'preflight') {
        // The OPTIONS request must be answered where it was sent, without a redirect.
        const fix = preflightFix(record);
        fix.redirect = { avoid: true, finalUrl: target };
        fix.client = { kind: 'use-final-url', detail: target };
        return fix;
      }
      const fix = fullFix(record);
      if (fix.actual) fix.actual.url = target;
      fix.redirect = { avoid: true, finalUrl: target };
      fix.client = { kind: 'use-final-url', detail: target };
      return fix;
    }
    case 'CORSRedirectContainsCredentials':
      return urlCredentialsFix(record);
    case 'CORSLocalNetworkAccess':
      return { ...fullFix(record, originAt(record, diagnosis.stage === 'preflight' ? 'preflight' : 'actual')), other: 'local-network-permission' };
    case 'CORSDisallowedByMode':
      return { ...fullFix(record), other: 'change-request-mode', client: { kind: 'use-cors-mode' } };
    case 'CORSDidNotSucceed':
      // Firefox names a redirect to user:password@ this way (the classifier puts it at the redirect).
      return diagnosis.stage === 'redirect' ? urlCredentialsFix(record) : { other: 'fix-network' };
    case 'CORSRequestNotHttp':
      return { other: 'serve-over-http', client: { kind: 'serve-over-http' } };
    case 'CORSDisabled':
    case 'CORSOriginHeaderNotAdded':
      return { other: 'browser-setting' };
    default:
      // An id this build does not know (a newer classifier): the headers that admit the request.
      return fullFix(record, originAt(record, diagnosis.stage));
  }
}

/** Whether a fix says anything at all. */
export function isEmptyFix(fix: Fix): boolean {
  return !fix.preflight && !fix.actual && !fix.redirects?.length && !fix.redirect && !fix.client && !fix.other;
}

function headerLines(headers: HeaderList): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}

/** The fix's headers as HTTP header lines, one block per response (redirect hops by URL, when any). */
export function fixHeaderLines(fix: Fix): { preflight?: string; actual?: string; redirects?: { url: string; lines: string }[] } {
  const out: { preflight?: string; actual?: string; redirects?: { url: string; lines: string }[] } = {};
  if (fix.preflight && fix.preflight.setHeaders.length > 0) out.preflight = headerLines(fix.preflight.setHeaders);
  if (fix.actual && fix.actual.setHeaders.length > 0) out.actual = headerLines(fix.actual.setHeaders);
  if (fix.redirects && fix.redirects.length > 0) out.redirects = fix.redirects.map((r) => ({ url: r.url, lines: headerLines(r.setHeaders) }));
  return out;
}
