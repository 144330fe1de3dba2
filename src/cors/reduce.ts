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
import { readExchange } from './sanitize.ts';

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

/** How one header line is stored: its value, its name only, or not at all. */
type Keep = (lowerName: string) => 'value' | 'name' | 'drop';

/** How the lines of one kind of header list are stored, by name as it came: the name lower-cased, and
 * whether to keep the value, replace it with the redaction marker, keep the name only, or drop the line.
 * Worked out once per name string (a bounded memo: pages send the same few dozen names). */
class StoragePolicy {
  readonly #keep: Keep;
  readonly #memo = new Map<string, { name: string; kept: 'value' | 'secret' | 'name' | 'drop' }>();

  constructor(keep: Keep) {
    this.#keep = keep;
  }

  of(rawName: string): { name: string; kept: 'value' | 'secret' | 'name' | 'drop' } {
    const known = this.#memo.get(rawName);
    if (known) return known;
    const name = rawName.toLowerCase();
    const decision = { name, kept: SECRET_HEADERS.has(name) ? ('secret' as const) : this.#keep(name) };
    if (rawName.length <= 128) {
      if (this.#memo.size >= 512) this.#memo.clear();
      this.#memo.set(rawName, decision);
    }
    return decision;
  }
}

/** The list as stored. Names are lower-cased here (the exchange read may keep them as they came). */
function reduceHeaders(list: HeaderList, policy: StoragePolicy): HeaderList {
  const out: [string, string][] = [];
  const seenNames = new NameCounter(list.length);
  let otherNames = 0;
  for (const [rawName, value] of list) {
    const { name, kept } = policy.of(rawName);
    if (kept === 'drop') continue;
    const seen = seenNames.count(name);
    if (kept === 'secret') {
      if (seen === 0) out.push([name, REDACTED]);
    } else if (kept === 'value') {
      // A Location may carry user:password (a redirect to https://user:pass@host/): the password goes.
      if (seen < MAX_ENTRIES_PER_NAME) out.push([name, name === 'location' ? redactUrl(value) : truncateValue(value)]);
    } else if (seen === 0 && otherNames < MAX_OTHER_NAMES) {
      otherNames++;
      out.push([name, '']);
    }
  }
  return out;
}

/** How many times each name came before. Lists are short and rarely repeat a name: up to a few dozen
 * entries the names seen are searched in order, beyond that they are counted in a map. */
class NameCounter {
  readonly #names: string[] = [];
  readonly #counts: Map<string, number> | null;

  constructor(size: number) {
    this.#counts = size > 32 ? new Map() : null;
  }

  /** The times `name` was counted before; counts it once more. */
  count(name: string): number {
    if (this.#counts) {
      const seen = this.#counts.get(name) ?? 0;
      this.#counts.set(name, seen + 1);
      return seen;
    }
    let seen = 0;
    for (const earlier of this.#names) if (earlier === name) seen++;
    this.#names.push(name);
    return seen;
  }
}

/** RFC 9110 §7.6.1 connection-specific fields describe the connection, not the resource. */
const CONNECTION_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

const responseHeaders = new StoragePolicy((name) => (isKeptResponseHeader(name) ? 'value' : CONNECTION_HEADERS.has(name) ? 'drop' : 'name'));
/** A header the page cannot set (host, connection, sec-ch-ua…) explains nothing about its request. */
const requestHeaders = new StoragePolicy((name) => (KEPT_REQUEST_HEADERS.has(name) ? 'value' : isForbiddenRequestHeader(name) ? 'drop' : 'name'));
/** Every header of a preflight is the browser's own; only the deciding ones say anything. */
const preflightRequestHeaders = new StoragePolicy((name) => (KEPT_REQUEST_HEADERS.has(name) ? 'value' : 'drop'));

/** Status, headers, then the optional fields sanitizeExchange keeps: the stored shape of a response. */
function reduceResponse(response: ObservedResponse): ObservedResponse {
  const reduced: ObservedResponse = { status: response.status, headers: reduceHeaders(response.headers, responseHeaders) };
  if (response.fromCache) reduced.fromCache = true;
  if (response.ip) reduced.ip = response.ip;
  return reduced;
}

/** The exchange as it may be stored: a new object, with the fields in the order sanitizeExchange gives
 * them. Never throws. */
export function reduceExchange(input: Exchange): Exchange {
  const ex = readExchange(input);
  const reduced: Exchange = {
    engine: ex.engine,
    tabId: ex.tabId,
    frameId: ex.frameId,
    type: ex.type,
    method: ex.method,
    url: redactUrl(ex.url),
    requestHeaders: reduceHeaders(ex.requestHeaders, requestHeaders),
    redirects: ex.redirects.map((r) => ({
      status: r.status,
      from: redactUrl(r.from),
      location: redactUrl(r.location),
      headers: reduceHeaders(r.headers, responseHeaders),
    })),
    startedAt: ex.startedAt,
    endedAt: ex.endedAt,
  };
  if (ex.initiator !== undefined) reduced.initiator = ex.initiator;
  if (ex.documentUrl) reduced.documentUrl = redactUrl(ex.documentUrl);
  if (ex.preflight) {
    const pf = ex.preflight;
    reduced.preflight = { requestHeaders: reduceHeaders(pf.requestHeaders, preflightRequestHeaders) };
    if (pf.response) reduced.preflight.response = reduceResponse(pf.response);
    if (pf.error) reduced.preflight.error = truncateValue(pf.error);
    if (pf.redirectedTo) reduced.preflight.redirectedTo = redactUrl(pf.redirectedTo);
  }
  if (ex.response) reduced.response = reduceResponse(ex.response);
  if (ex.error) reduced.error = truncateValue(ex.error);
  return reduced;
}
