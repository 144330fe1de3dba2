/**
 * What one recorded request asked for, read from its exchange: the origin it carried, its method, the
 * request headers it needed allowed, whether credentials were involved, and why it was preflighted.
 * Every fix, snippet, curl command and sentence is filled in from these facts.
 */
import { originAtHop as originAfterRedirects } from '../cors/classify.ts';
import type { Finding, Stage } from '../cors/diagnosis.ts';
import type { Exchange, HeaderList, ObservedRedirect, ObservedResponse } from '../cors/exchange.ts';
import { REDACTED } from '../cors/exchange.ts';
import {
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  isSafelistedContentType,
  isToken,
  serializeOrigin,
} from '../cors/headers.ts';
import type { CorsRecord } from '../cors/record.ts';

/** All values of a header (names in a HeaderList are lower-case). */
export function headerValues(headers: HeaderList | undefined, name: string): string[] {
  if (!headers) return [];
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === lower) out.push(v);
  return out;
}

/** The header's value, repeated lines joined by ", " as a browser would merge them; undefined when absent. */
export function headerValue(headers: HeaderList | undefined, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(', ');
}

export function hasHeader(headers: HeaderList | undefined, name: string): boolean {
  return headerValues(headers, name).length > 0;
}

/** A value that was recorded (not redacted, not kept by name only). */
export function isRecordedValue(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== REDACTED;
}

/** Fetch §2.2 list parsing, good enough for Access-Control-* lists: split on commas, trim, drop empties. */
export function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** RFC 9110 token (the classifier's rule). */
export { isToken };

/** The serialised origin of a URL; "null" for opaque origins or unparsable input. */
export function originOf(url: string | undefined): string {
  return serializeOrigin(url) ?? 'null';
}

/** A URL without user:password, for display and for the fix. */
export function withoutUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** The origin of the page that made the request. */
export function pageOrigin(exchange: Exchange): string {
  if (exchange.initiator) return exchange.initiator;
  const sent = headerValue(exchange.preflight?.requestHeaders, 'origin');
  if (sent) return sent;
  return originOf(exchange.documentUrl);
}

/** Fetch §4.4 HTTP-redirect fetch: a hop taints the origin when it leaves an origin that is neither the
 * page's nor the new URL's. From then on the request's Origin is "null". Returns the index of the first
 * tainting hop, or -1. */
export function taintingRedirect(exchange: Exchange): number {
  const urls = [exchange.url, ...exchange.redirects.map((hop) => hop.location)];
  const page = pageOrigin(exchange);
  for (let hop = 1; hop < urls.length; hop++) if (originAfterRedirects(page, urls, hop) === 'null') return hop - 1;
  return -1;
}

/** The Origin the request carried when it was checked at `hopIndex` (the final response when omitted). */
export function originAtHop(exchange: Exchange, hopIndex = exchange.redirects.length): string {
  const tainting = taintingRedirect(exchange);
  if (tainting !== -1 && tainting < hopIndex) return 'null';
  if (hopIndex === 0) {
    const sent = headerValue(exchange.preflight?.requestHeaders, 'origin');
    if (sent) return sent;
  }
  return pageOrigin(exchange);
}

/** The Origin the failing request carried: the recorded header of the last hop, else derived. */
export function requestOrigin(exchange: Exchange): string {
  if (taintingRedirect(exchange) !== -1) return 'null';
  const sent = headerValue(exchange.requestHeaders, 'origin') ?? headerValue(exchange.preflight?.requestHeaders, 'origin');
  if (sent !== undefined && sent !== '') return sent;
  return pageOrigin(exchange);
}

/** The method the page used, as the preflight announced it (case preserved: methods compare exactly). */
export function requestMethod(exchange: Exchange): string {
  return headerValue(exchange.preflight?.requestHeaders, 'access-control-request-method') ?? exchange.method;
}

/** Fetch §2.2.2 CORS-safelisted methods. */
export function isSimpleMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/** Fetch: a Content-Type that keeps a request simple (the classifier's parser). */
export const isSimpleContentType = isSafelistedContentType;

/** Headers a browser adds on its own beyond Fetch's forbidden names: never the page's doing. */
const BROWSER_ADDED_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'pragma',
  'priority',
  'purpose',
  'upgrade-insecure-requests',
  'user-agent',
  'x-client-data',
]);

/** Headers the browser or the network stack sets itself: never in Access-Control-Request-Headers. */
function isBrowserManagedHeader(name: string): boolean {
  return (
    isForbiddenRequestHeader(name) || name.startsWith('access-control-request-') || BROWSER_ADDED_HEADERS.has(name)
  );
}

/** Fetch CORS-safelisted request-header, judged on what was recorded: an empty recorded Content-Type or
 * Range (a value the store did not keep) is taken as safelisted. */
function isSafelistedRequestHeader(name: string, value: string): boolean {
  if (value === '' && (name === 'content-type' || name === 'range')) return true;
  return isCorsSafelistedRequestHeader(name, value);
}

/** The request headers the page set that need the server's permission, lower-case, in request order:
 * Access-Control-Request-Headers when a preflight was seen, else derived from the request's headers. */
export function requestedHeaders(exchange: Exchange): string[] {
  const announced = headerValue(exchange.preflight?.requestHeaders, 'access-control-request-headers');
  if (announced !== undefined) return dedupe(splitList(announced).map((h) => h.toLowerCase()));
  const names: string[] = [];
  for (const [rawName, value] of exchange.requestHeaders) {
    const name = rawName.toLowerCase();
    if (isBrowserManagedHeader(name)) continue;
    // A recorded Authorization could come from the browser's HTTP auth cache; only a preflight proves the
    // page set it, so it is counted only when nothing else says otherwise.
    if (isSafelistedRequestHeader(name, value)) continue;
    names.push(name);
  }
  return dedupe(names);
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}

/** The request's Content-Type as recorded. */
export function requestContentType(exchange: Exchange): string | undefined {
  const value = headerValue(exchange.requestHeaders, 'content-type');
  return isRecordedValue(value) ? value : undefined;
}

export type PreflightCause =
  | { cause: 'method'; value: string }
  | { cause: 'header'; value: string }
  | { cause: 'content-type'; value: string }
  | { cause: 'local-network'; value: string };

/** Why the request needed a preflight: every cause the preflight announced (the classifier's finding
 * names only the first), else the classifier's finding. */
export function preflightCauses(record: CorsRecord): PreflightCause[] {
  const exchange = record.exchange;
  const causes: PreflightCause[] = [];
  const method = requestMethod(exchange);
  if (!isSimpleMethod(method)) causes.push({ cause: 'method', value: method });
  for (const name of requestedHeaders(exchange)) {
    if (name === 'content-type') causes.push({ cause: 'content-type', value: requestContentType(exchange) ?? '' });
    else causes.push({ cause: 'header', value: name });
  }
  if (causes.length > 0) return causes;
  for (const finding of record.diagnosis.findings) {
    if (finding.code === 'preflight-reason') causes.push({ cause: finding.cause, value: finding.value });
  }
  if (causes.length > 0) return causes;
  const pna =
    headerValue(exchange.preflight?.requestHeaders, 'access-control-request-local-network') ??
    headerValue(exchange.preflight?.requestHeaders, 'access-control-request-private-network');
  if (pna !== undefined) causes.push({ cause: 'local-network', value: pna });
  return causes;
}

/** Whether the request needs (or had) a preflight. */
export function isPreflighted(record: CorsRecord): boolean {
  return record.exchange.preflight !== undefined || record.diagnosis.stage === 'preflight' || preflightCauses(record).length > 0;
}

const CREDENTIAL_REASONS = new Set(['CORSNotSupportingCredentials', 'CORSMissingAllowCredentials']);

/** Whether this request was (or most likely was) made with credentials. A Cookie proves it; so do the
 * credential reasons, credential evidence, and a server that already sends Access-Control-Allow-Credentials. */
export function usesCredentials(record: CorsRecord): boolean {
  const { exchange, diagnosis } = record;
  if (CREDENTIAL_REASONS.has(diagnosis.reason)) return true;
  if (diagnosis.findings.some((f) => f.code === 'credentials-sent')) return true;
  if (hasHeader(exchange.requestHeaders, 'cookie')) return true;
  if (exchange.preflight && hasHeader(exchange.requestHeaders, 'authorization') && !requestedHeaders(exchange).includes('authorization')) {
    // The preflight did not announce it, so the browser added it (HTTP authentication): a credential.
    return true;
  }
  if (diagnosis.evidence.some((e) => e.header === 'access-control-allow-credentials')) return true;
  const responses = [exchange.preflight?.response, exchange.response, ...exchange.redirects];
  return responses.some((r) => r !== undefined && headerValue(r.headers, 'access-control-allow-credentials') === 'true');
}

/** The URL the request ended at (after redirects), or where the preflight was redirected to. */
export function finalUrl(exchange: Exchange): string {
  if (exchange.preflight?.redirectedTo) return exchange.preflight.redirectedTo;
  const last = exchange.redirects[exchange.redirects.length - 1];
  return last ? last.location : exchange.url;
}

/** The redirect hop whose response failed the CORS check at stage "redirect": the first one whose
 * Access-Control-Allow-Origin does not admit the origin the request carried at that hop. */
export function failingRedirect(record: CorsRecord): { hop: ObservedRedirect; index: number } | undefined {
  const { exchange } = record;
  const credentials = usesCredentials(record);
  for (let index = 0; index < exchange.redirects.length; index++) {
    const hop = exchange.redirects[index]!;
    const acao = headerValues(hop.headers, 'access-control-allow-origin');
    const origin = originAtHop(exchange, index);
    const passes = acao.length === 1 && (acao[0] === origin || (acao[0] === '*' && !credentials));
    if (!passes) return { hop, index };
  }
  const index = exchange.redirects.length - 1;
  const hop = exchange.redirects[index];
  return hop ? { hop, index } : undefined;
}

/** The response that was checked at a stage. */
export function responseAt(record: CorsRecord, stage: Stage): ObservedResponse | undefined {
  const { exchange } = record;
  switch (stage) {
    case 'preflight':
      return exchange.preflight?.response;
    case 'actual':
      return exchange.response;
    case 'redirect': {
      const hop = failingRedirect(record)?.hop;
      return hop ? { status: hop.status, headers: hop.headers } : undefined;
    }
    default:
      return undefined;
  }
}

/** The URL whose response was checked at a stage. */
export function urlAt(record: CorsRecord, stage: Stage): string {
  const { exchange } = record;
  if (stage === 'redirect') return failingRedirect(record)?.hop.from ?? exchange.url;
  if (stage === 'actual' && exchange.redirects.length > 0) return finalUrl(exchange);
  return exchange.url;
}

/** The Origin the request carried at a stage. */
export function originAt(record: CorsRecord, stage: Stage): string {
  const { exchange } = record;
  if (stage === 'redirect') {
    const failing = failingRedirect(record);
    return failing ? originAtHop(exchange, failing.index) : requestOrigin(exchange);
  }
  if (stage === 'preflight') return originAtHop(exchange, 0);
  return requestOrigin(exchange);
}

/** The network error behind a failure, from findings or the exchange. */
export function networkError(record: CorsRecord): string | undefined {
  for (const finding of record.diagnosis.findings) if (finding.code === 'network-error') return finding.error;
  return record.exchange.preflight?.error ?? record.exchange.error;
}

export function findingOf<C extends Finding['code']>(record: CorsRecord, code: C): Extract<Finding, { code: C }> | undefined {
  return record.diagnosis.findings.find((f): f is Extract<Finding, { code: C }> => f.code === code);
}

/** The address a local-network request went to. */
export function localAddress(record: CorsRecord): string {
  const finding = findingOf(record, 'local-network');
  if (finding) return finding.address;
  const ip = record.exchange.response?.ip ?? record.exchange.preflight?.response?.ip;
  if (ip) return ip;
  try {
    return new URL(record.exchange.url).host;
  } catch {
    return record.exchange.url;
  }
}

/** Whether the preflight asked for local/private network permission, and with which header. */
export function networkAccessRequest(exchange: Exchange): { privateNetwork: boolean; localNetwork: boolean } {
  const headers = exchange.preflight?.requestHeaders;
  return {
    privateNetwork: headerValue(headers, 'access-control-request-private-network') !== undefined,
    localNetwork: headerValue(headers, 'access-control-request-local-network') !== undefined,
  };
}
