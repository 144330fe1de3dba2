/**
 * The stored form of an exchange: the values that decide CORS or its explanation, other headers by name
 * only (request headers the page could have set; response headers but connection-specific ones), secrets
 * replaced by a marker, long values cut. Within the 2 KB value budget classify() gives the same answer on
 * the reduced form as on the original (test/unit/cors/reduce.test.ts holds it to that); a cut value may
 * change it, which is why the diagnosis is made on the full exchange and stored next to the reduced one.
 */
import {
  type Exchange,
  type HeaderList,
  KEPT_REQUEST_HEADERS,
  type ObservedResponse,
  REDACTED,
  SECRET_HEADERS,
} from './exchange.ts';
import { isForbiddenRequestHeader } from './headers.ts';
import { redactUrl, truncateValue } from './redact.ts';
import { sanitizeExchange } from './sanitize.ts';

/** Response headers kept with their values, besides the CORS ones (CORS_RESPONSE_HEADERS). */
export const KEPT_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'vary',
  'content-type',
  'location',
  'content-length',
  'cache-control',
  'age',
  'timing-allow-origin',
  'cross-origin-resource-policy',
  // Which server answered helps pick the fix snippet.
  'server',
  'x-powered-by',
]);

/** The CORS response headers a browser reads. Other `access-control-*` names are kept by name only, like any
 * header: a server can send thousands of distinct ones, and each kept value costs up to 2 KB per record. */
const CORS_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
  'access-control-allow-local-network',
]);

export function isKeptResponseHeader(lowerName: string): boolean {
  return CORS_RESPONSE_HEADERS.has(lowerName) || KEPT_RESPONSE_HEADERS.has(lowerName);
}

/** Entries kept per name (repeated ACAO lines matter as "more than one", not by the thousand). */
const MAX_ENTRIES_PER_NAME = 8;
/** Other header names listed per header list. */
const MAX_OTHER_NAMES = 32;

/** How one header line is stored: its value, the redaction marker, its name only, or not at all. */
type Keep = (lowerName: string) => 'value' | 'name' | 'drop';

function reduceHeaders(list: HeaderList, keep: Keep): HeaderList {
  const out: [string, string][] = [];
  const perName = new Map<string, number>();
  let otherNames = 0;
  for (const [name, value] of list) {
    const seen = perName.get(name) ?? 0;
    if (SECRET_HEADERS.has(name)) {
      if (seen === 0) out.push([name, REDACTED]);
    } else if (keep(name) === 'value') {
      // A Location may carry user:password (a redirect to https://user:pass@host/): the password goes.
      if (seen < MAX_ENTRIES_PER_NAME) out.push([name, name === 'location' ? redactUrl(value) : truncateValue(value)]);
    } else if (keep(name) === 'name' && seen === 0 && otherNames < MAX_OTHER_NAMES) {
      otherNames++;
      out.push([name, '']);
    }
    perName.set(name, seen + 1);
  }
  return out;
}

/** RFC 9110 §7.6.1 connection-specific fields describe the connection, not the resource. */
const CONNECTION_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

const responseHeader: Keep = (name) => (isKeptResponseHeader(name) ? 'value' : CONNECTION_HEADERS.has(name) ? 'drop' : 'name');
/** A header the page cannot set (host, connection, sec-ch-ua…) explains nothing about its request. */
const requestHeader: Keep = (name) => (KEPT_REQUEST_HEADERS.has(name) ? 'value' : isForbiddenRequestHeader(name) ? 'drop' : 'name');
/** Every header of a preflight is the browser's own; only the deciding ones say anything. */
const preflightRequestHeader: Keep = (name) => (KEPT_REQUEST_HEADERS.has(name) ? 'value' : 'drop');

function reduceResponse(response: ObservedResponse): ObservedResponse {
  return { ...response, headers: reduceHeaders(response.headers, responseHeader) };
}

/** The exchange as it may be stored. Never throws. */
export function reduceExchange(input: Exchange): Exchange {
  const ex = sanitizeExchange(input);
  const reduced: Exchange = {
    ...ex,
    url: redactUrl(ex.url),
    requestHeaders: reduceHeaders(ex.requestHeaders, requestHeader),
    redirects: ex.redirects.map((r) => ({
      status: r.status,
      from: redactUrl(r.from),
      location: redactUrl(r.location),
      headers: reduceHeaders(r.headers, responseHeader),
    })),
  };
  if (ex.documentUrl) reduced.documentUrl = redactUrl(ex.documentUrl);
  if (ex.error) reduced.error = truncateValue(ex.error);
  if (ex.response) reduced.response = reduceResponse(ex.response);
  if (ex.preflight) {
    const pf = ex.preflight;
    reduced.preflight = { requestHeaders: reduceHeaders(pf.requestHeaders, preflightRequestHeader) };
    if (pf.response) reduced.preflight.response = reduceResponse(pf.response);
    if (pf.error) reduced.preflight.error = truncateValue(pf.error);
    if (pf.redirectedTo) reduced.preflight.redirectedTo = redactUrl(pf.redirectedTo);
  }
  return reduced;
}
