/**
 * The stored form of an exchange: the values that decide CORS or its explanation, every other header by
 * name only, secrets replaced by a marker, long values cut. classify() gives the same answer on the
 * reduced form as on the original (test/unit/cors/reduce.test.ts holds it to that).
 */
import {
  type Exchange,
  type HeaderList,
  KEPT_REQUEST_HEADERS,
  type ObservedResponse,
  REDACTED,
  SECRET_HEADERS,
} from './exchange.ts';
import { parseUrl } from './headers.ts';
import { sanitizeExchange } from './sanitize.ts';

/** Response headers kept with their values, besides every `access-control-*` header. */
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

export function isKeptResponseHeader(lowerName: string): boolean {
  return lowerName.startsWith('access-control-') || KEPT_RESPONSE_HEADERS.has(lowerName);
}

/** Longest value kept, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 2048;
/** Entries kept per name (repeated ACAO lines matter as "more than one", not by the thousand). */
const MAX_ENTRIES_PER_NAME = 8;
/** Other header names listed per header list. */
const MAX_OTHER_NAMES = 32;

function utf8Size(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** `value` cut to at most `max` UTF-8 bytes (never inside a character), with a marker naming how many
 * bytes were dropped. */
export function truncateValue(value: string, max = MAX_VALUE_BYTES): string {
  if (value.length * 3 <= max) return value;
  let total = 0;
  let kept = 0;
  let index = 0;
  for (const ch of value) {
    const size = utf8Size(ch.codePointAt(0) ?? 0);
    if (total === kept && kept + size <= max) {
      kept += size;
      index += ch.length;
    }
    total += size;
  }
  return total <= max ? value : `${value.slice(0, index)}…[truncated ${total - kept} bytes]`;
}

/** A URL with its password replaced (the username stays, so "this URL carries credentials" stays true). */
export function redactUrl(url: string): string {
  const parsed = parseUrl(url);
  if (parsed === null || parsed.password === '') return truncateValue(url);
  parsed.password = 'redacted';
  return truncateValue(parsed.href);
}

function reduceHeaders(list: HeaderList, kept: (lowerName: string) => boolean): HeaderList {
  const out: [string, string][] = [];
  const perName = new Map<string, number>();
  let otherNames = 0;
  for (const [name, value] of list) {
    const seen = perName.get(name) ?? 0;
    if (SECRET_HEADERS.has(name)) {
      if (seen === 0) out.push([name, REDACTED]);
    } else if (kept(name)) {
      if (seen < MAX_ENTRIES_PER_NAME) out.push([name, truncateValue(value)]);
    } else if (seen === 0 && otherNames < MAX_OTHER_NAMES) {
      otherNames++;
      out.push([name, '']);
    }
    perName.set(name, seen + 1);
  }
  return out;
}

function reduceResponse(response: ObservedResponse): ObservedResponse {
  return { ...response, headers: reduceHeaders(response.headers, isKeptResponseHeader) };
}

const keptRequestHeader = (name: string): boolean => KEPT_REQUEST_HEADERS.has(name);

/** The exchange as it may be stored. Never throws. */
export function reduceExchange(input: Exchange): Exchange {
  const ex = sanitizeExchange(input);
  const reduced: Exchange = {
    ...ex,
    url: redactUrl(ex.url),
    requestHeaders: reduceHeaders(ex.requestHeaders, keptRequestHeader),
    redirects: ex.redirects.map((r) => ({
      status: r.status,
      from: redactUrl(r.from),
      location: redactUrl(r.location),
      headers: reduceHeaders(r.headers, isKeptResponseHeader),
    })),
  };
  if (ex.documentUrl) reduced.documentUrl = redactUrl(ex.documentUrl);
  if (ex.error) reduced.error = truncateValue(ex.error);
  if (ex.response) reduced.response = reduceResponse(ex.response);
  if (ex.preflight) {
    const pf = ex.preflight;
    reduced.preflight = { requestHeaders: reduceHeaders(pf.requestHeaders, keptRequestHeader) };
    if (pf.response) reduced.preflight.response = reduceResponse(pf.response);
    if (pf.error) reduced.preflight.error = truncateValue(pf.error);
    if (pf.redirectedTo) reduced.preflight.redirectedTo = redactUrl(pf.redirectedTo);
  }
  return reduced;
}
