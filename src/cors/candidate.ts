/**
 * Is this exchange a cross-origin request made in CORS mode, the only kind CORS can fail? The tracker asks
 * this for every request; the classifier asks it first. Cheap and allocation-light; never throws.
 */
import type { Exchange } from './exchange.ts';
import { getHeader, hasHeader, isSameOrigin, normalizeMethod, serializeOrigin } from './headers.ts';
import { urlFacts } from './url-facts.ts';

/** Fetch "request mode", as far as the observed request shows it. */
export type RequestMode = 'cors' | 'no-cors' | 'same-origin' | 'navigate' | 'websocket' | 'unknown';

/** What isCorsCandidate reads; a partial exchange (as the tracker holds mid-flight) is fine. */
export type CandidateInput = Pick<Exchange, 'url'> &
  Partial<Pick<Exchange, 'type' | 'method' | 'initiator' | 'documentUrl' | 'requestHeaders' | 'preflight' | 'redirects'>>;

const MODES: ReadonlySet<string> = new Set(['cors', 'no-cors', 'same-origin', 'navigate', 'websocket']);

/** webRequest types that are navigations or beacons: never CORS. */
const NEVER_CORS_TYPES: ReadonlySet<string> = new Set([
  'main_frame',
  'sub_frame',
  'outermost_frame',
  'ping',
  'beacon',
  'csp_report',
  'speculative',
  'object',
]);

/** Types whose requests use CORS mode by default: fetch() and XHR, fonts, web app manifests. */
const CORS_BY_DEFAULT_TYPES: ReadonlySet<string> = new Set(['xmlhttprequest', 'font', 'web_manifest']);

/**
 * The request's mode. In order of trust: a preflight (only CORS mode sends one); `Sec-Fetch-Mode` (sent
 * to potentially trustworthy URLs); the type; the `Origin` header (a CORS-mode GET/HEAD always carries
 * it, a no-cors one never does); and, when no request header was observed at all, the type's default.
 */
export function requestMode(ex: CandidateInput): RequestMode {
  if (ex.preflight) return 'cors';
  const headers = Array.isArray(ex.requestHeaders) ? ex.requestHeaders : [];
  const secFetchMode = getHeader(headers, 'sec-fetch-mode')?.toLowerCase();
  if (secFetchMode) return MODES.has(secFetchMode) ? (secFetchMode as RequestMode) : 'unknown';
  const type = typeof ex.type === 'string' ? ex.type : 'other';
  if (type === 'websocket') return 'websocket';
  if (type === 'main_frame' || type === 'sub_frame' || type === 'outermost_frame') return 'navigate';
  if (NEVER_CORS_TYPES.has(type)) return 'no-cors';
  if (hasHeader(headers, 'origin')) {
    const method = normalizeMethod(typeof ex.method === 'string' ? ex.method : 'GET');
    if (method === 'GET' || method === 'HEAD') return 'cors';
    // A no-cors POST (a form, a beacon) also carries Origin; fetch() and XHR default to CORS mode.
    return CORS_BY_DEFAULT_TYPES.has(type) ? 'cors' : 'no-cors';
  }
  if (headers.length === 0) return CORS_BY_DEFAULT_TYPES.has(type) ? 'cors' : 'unknown';
  return 'no-cors';
}

/** The serialised origin of whoever made the request: the initiator, else the document's origin, else the
 * Origin the browser sent (unless that is already "null" from a redirect). Null when nothing tells. */
export function requesterOrigin(ex: CandidateInput): string | null {
  const fromInitiator = serializeOrigin(ex.initiator);
  if (fromInitiator !== null) return fromInitiator;
  const fromDocument = serializeOrigin(ex.documentUrl);
  if (fromDocument !== null) return fromDocument;
  const preflightOrigin = ex.preflight ? getHeader(ex.preflight.requestHeaders, 'origin') : null;
  if (preflightOrigin) return preflightOrigin;
  const origin = getHeader(Array.isArray(ex.requestHeaders) ? ex.requestHeaders : [], 'origin');
  return origin && !(origin === 'null' && Array.isArray(ex.redirects) && ex.redirects.length > 0) ? origin : null;
}

/** Fetch "main fetch": CORS applies once any URL of the request is not same origin with its origin.
 * A preflight is only ever sent cross-origin, so it settles the question when the origin is unknown. */
export function isCrossOrigin(ex: CandidateInput): boolean {
  const origin = requesterOrigin(ex);
  if (origin === null) return ex.preflight !== undefined;
  if (!isSameOrigin(origin, ex.url)) return true;
  return Array.isArray(ex.redirects) && ex.redirects.some((r) => !isSameOrigin(origin, r?.location));
}

/**
 * True for a cross-origin request in CORS mode, and for a cross-origin request in "same-origin" mode
 * (Fetch refuses it; Chromium calls that DisallowedByMode). False for navigations, no-cors loads,
 * same-origin requests, data: URLs (main fetch hands them to scheme fetch without CORS) and unparsable URLs.
 */
export function isCorsCandidate(ex: CandidateInput): boolean {
  const url = urlFacts(ex.url);
  if (url === null || url.protocol === 'data:') return false;
  const mode = requestMode(ex);
  if (mode !== 'cors' && mode !== 'same-origin') return false;
  return isCrossOrigin(ex);
}
