/**
 * What the extension observed of one logical request: the actual request, its preflight, redirects,
 * the response and the browser's error. Pure data; built by src/background's tracker, read by the
 * classifier. Nothing here names a browser API.
 */

/** Header lines in arrival order. Names are lower-cased; repeated lines stay separate entries when the
 * browser kept them apart (Chromium), or arrive as one entry joined by ", " when it merged them (Firefox). */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** The engine that observed the exchange. Used only to pick the engine's own *names* and behaviour facts
 * (see policy.ts); the checks themselves receive facts, never engine names. */
export type Engine = 'chromium' | 'gecko';

export interface ObservedResponse {
  /** HTTP status code; 0 when unknown. */
  status: number;
  headers: HeaderList;
  fromCache?: boolean;
  /** Remote IP the browser connected to, when the browser reported it. */
  ip?: string;
}

export interface ObservedPreflight {
  /** Request headers sent on the OPTIONS request (Origin, Access-Control-Request-Method/-Headers…). */
  requestHeaders: HeaderList;
  /** The response to the OPTIONS request, when one arrived. */
  response?: ObservedResponse;
  /** Browser error string on the OPTIONS request itself (net::ERR_…, NS_ERROR_…). */
  error?: string;
  /** The preflight was answered with a redirect to this URL (always fatal to a preflight). */
  redirectedTo?: string;
}

export interface ObservedRedirect {
  status: number;
  /** URL that answered with the redirect. */
  from: string;
  /** Absolute URL the browser was sent to. */
  location: string;
  /** Response headers of the redirect response. */
  headers: HeaderList;
}

export interface Exchange {
  engine: Engine;
  tabId: number;
  frameId: number;
  /** webRequest resource type: xmlhttprequest, script, font, image, stylesheet, media, other… */
  type: string;
  /** Origin of the document that made the request, serialised (no trailing slash), or "null". */
  initiator?: string;
  /** URL of the page (top frame) when known — for findings such as a file:// page. */
  documentUrl?: string;
  method: string;
  /** The URL the page asked for (before any redirect). */
  url: string;
  /** Request headers of the actual request as sent (of the last hop when redirected). */
  requestHeaders: HeaderList;
  preflight?: ObservedPreflight;
  redirects: ObservedRedirect[];
  /** The final response of the actual request (after redirects), when headers arrived. */
  response?: ObservedResponse;
  /** The browser's error string for the actual request (net::ERR_FAILED, NS_ERROR_DOM_BAD_URI, …),
   * absent when the request completed. */
  error?: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  endedAt: number;
}

/** Request headers that decide CORS and are kept; everything else is kept by name only. */
export const KEPT_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
  'access-control-request-local-network',
  'content-type',
  'sec-fetch-mode',
  'sec-fetch-site',
  'sec-fetch-dest',
  'referer',
  'accept',
  'accept-language',
  'content-language',
  'range',
]);

/** Request headers whose values are never kept: only their presence. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'cookie',
  'authorization',
  'proxy-authorization',
  'set-cookie',
  'set-cookie2',
]);

/** The value stored in place of a secret header's value. */
export const REDACTED = '(present, value not recorded)';
