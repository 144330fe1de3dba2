/**
 * Fetch-standard building blocks: header lookup, token lists, origins, methods and the request-header
 * safelist. Pure functions over strings; none of them throws, whatever the input.
 * References name sections of https://fetch.spec.whatwg.org/ (docs/CLASSIFIER.md lists their anchors).
 */
import type { HeaderList } from './exchange.ts';
import { trimHttpWhitespace } from './header-lookup.ts';
import { urlFacts } from './url-facts.ts';

// ---------------------------------------------------------------------------------------------------------
// Header lookup (header-lookup.ts)

export { getHeader, type HeaderLookup, hasHeader, lookupHeader, trimHttpWhitespace } from './header-lookup.ts';

// ---------------------------------------------------------------------------------------------------------
// Tokens and lists

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 §5.6.2 token: one or more tchar. */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** The result of reading an `Access-Control-Allow-Methods` / `-Headers` value. */
export type TokenList =
  | { valid: true; tokens: string[] }
  /** `tokens` holds the valid items, for evidence; `invalidToken` is the first item that is not a token. */
  | { valid: false; tokens: string[]; invalidToken: string };

/** Fetch "extracting header list values" for a `#token` header (Allow-Methods, Allow-Headers).
 * Empty elements are skipped (RFC 9110 §5.6.1; Chromium and Firefox skip them too); any element that is
 * not a token makes the whole list invalid. An absent header is an empty, valid list. */
export function parseTokenList(value: string | null): TokenList {
  const tokens: string[] = [];
  let invalidToken: string | undefined;
  if (value !== null) {
    for (const raw of value.split(',')) {
      const item = trimHttpWhitespace(raw);
      if (item === '') continue;
      if (isToken(item)) tokens.push(item);
      else invalidToken ??= item;
    }
  }
  return invalidToken === undefined ? { valid: true, tokens } : { valid: false, tokens, invalidToken };
}

/** A comma-separated list as the browser writes it (Access-Control-Request-Headers): items trimmed and
 * lower-cased, empty items dropped. */
export function splitHeaderNames(value: string | null): string[] {
  if (value === null) return [];
  const names: string[] = [];
  for (const raw of value.split(',')) {
    const item = trimHttpWhitespace(raw).toLowerCase();
    if (item !== '') names.push(item);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------------
// URLs and origins

/** The URL, or null when it does not parse. A fresh object each time: the caller may change it. */
export function parseUrl(url: string | undefined): URL | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * HTML "serialization of an origin" for a URL: `scheme://host[:port]`, default port dropped, no trailing
 * slash, host lower-cased (and IDNA-encoded) by the URL parser; "null" for an opaque origin (data:, file:,
 * about:, javascript:, …). Extension schemes with a host (chrome-extension://id) keep a tuple origin, as
 * browsers register them as standard schemes. Returns null (not "null") when `url` does not parse.
 * An already-serialised origin goes through unchanged, "null" included.
 */
export function serializeOrigin(url: string | undefined): string | null {
  if (url === 'null') return 'null';
  return urlFacts(url)?.origin ?? null;
}

/** Fetch "CORS check" compares `Access-Control-Allow-Origin` with the serialised origin byte for byte. */
export function originsEqual(a: string, b: string): boolean {
  return a === b;
}

/** HTML "same origin" for two URLs or serialised origins. An opaque origin is never same origin with
 * another value (each one is unique), and an unparsable input is same origin with nothing. */
export function isSameOrigin(a: string | undefined, b: string | undefined): boolean {
  const x = serializeOrigin(a);
  return x !== null && x !== 'null' && x === serializeOrigin(b);
}

/** Fetch "HTTP(S) scheme". */
export function isHttpUrl(url: string | undefined): boolean {
  const protocol = urlFacts(url)?.protocol;
  return protocol === 'http:' || protocol === 'https:';
}

/** URL "includes credentials": a non-empty username or password. */
export function hasUrlCredentials(url: string | undefined): boolean {
  return urlFacts(url)?.hasCredentials === true;
}

/** The scheme without its colon ("file", "data"), or null when `url` does not parse. */
export function urlScheme(url: string | undefined): string | null {
  const facts = urlFacts(url);
  return facts === null ? null : facts.protocol.slice(0, -1);
}

// ---------------------------------------------------------------------------------------------------------
// Methods

export const CORS_SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/** Fetch "CORS-safelisted method": exactly GET, HEAD or POST (byte-case-sensitive; a method is
 * normalised before this question is asked). */
export function isCorsSafelistedMethod(method: string): boolean {
  return CORS_SAFELISTED_METHODS.has(method);
}

const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** Fetch "normalize" (a method): only these six are upper-cased; `patch` stays `patch`. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

/** Fetch "forbidden method". */
export function isForbiddenMethod(method: string): boolean {
  const upper = method.toUpperCase();
  return upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK';
}

// ---------------------------------------------------------------------------------------------------------
// Request headers

const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

const METHOD_OVERRIDE_HEADERS = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/** Fetch "forbidden request-header": a page cannot set it; the browser adds it itself. */
export function isForbiddenRequestHeader(name: string, value = ''): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_REQUEST_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (METHOD_OVERRIDE_HEADERS.has(lower)) return value.split(',').some((m) => isForbiddenMethod(trimHttpWhitespace(m)));
  return false;
}

/** Fetch "CORS-unsafe request-header byte". */
function hasCorsUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
    if ('"():<>?@[\\]{}'.includes(value[i] as string)) return true;
  }
  return false;
}

const LANGUAGE_VALUE = /^[0-9A-Za-z *,\-.;=]*$/;
const SAFELISTED_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** MIME Sniffing "parse a MIME type", reduced to what the safelist needs: the essence, lower-cased, or
 * null when the type/subtype are not tokens. */
export function mimeEssence(value: string): string | null {
  const semicolon = value.indexOf(';');
  const head = trimHttpWhitespace(semicolon === -1 ? value : value.slice(0, semicolon));
  const slash = head.indexOf('/');
  if (slash === -1) return null;
  const type = head.slice(0, slash);
  const subtype = trimHttpWhitespace(head.slice(slash + 1));
  if (!isToken(type) || !isToken(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}

/** The three MIME types a cross-origin request may send without a preflight. */
export function isSafelistedContentType(value: string): boolean {
  if (hasCorsUnsafeByte(value)) return false;
  const essence = mimeEssence(value);
  return essence !== null && SAFELISTED_CONTENT_TYPES.has(essence);
}

/** Fetch "parse a single range header value" (whitespace not allowed); safelisted only with a start. */
function isSafelistedRange(value: string): boolean {
  const match = /^bytes=(\d+)-(\d*)$/i.exec(value);
  if (!match) return false;
  const start = Number(match[1]);
  const end = match[2] === '' ? null : Number(match[2]);
  return end === null || start <= end;
}

/** Fetch "CORS-safelisted request-header": a (name, value) a page may send cross-origin without a
 * preflight. Values over 128 bytes never are. */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (name.toLowerCase()) {
    case 'accept':
      return !hasCorsUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return LANGUAGE_VALUE.test(value);
    case 'content-type':
      return isSafelistedContentType(value);
    case 'range':
      return isSafelistedRange(value);
    default:
      return false;
  }
}

/**
 * Fetch "CORS-unsafe request-header names": the header names that make a request need a preflight,
 * sorted, lower-case, without duplicates. Safelisted headers become unsafe together when their values add
 * up to more than 1024 bytes. Forbidden headers are skipped: the browser adds them, the page cannot.
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderList | undefined): string[] {
  const unsafe = new Set<string>();
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const entry of Array.isArray(headers) ? headers : []) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') continue;
    const name = entry[0].toLowerCase();
    const value = trimHttpWhitespace(entry[1]);
    if (isForbiddenRequestHeader(name, value)) continue;
    if (isCorsSafelistedRequestHeader(name, value)) {
      potentiallyUnsafe.push(name);
      safelistValueSize += value.length;
    } else {
      unsafe.add(name);
    }
  }
  if (safelistValueSize > 1024) for (const name of potentiallyUnsafe) unsafe.add(name);
  return [...unsafe].sort();
}

/** Fetch "CORS non-wildcard request-header name": `*` in Allow-Headers does not cover it. */
export function isCorsNonWildcardRequestHeaderName(name: string): boolean {
  return name.toLowerCase() === 'authorization';
}
