/**
 * Small CORS facts the background's tracker needs while events stream in: which request is a preflight,
 * and which header values are worth copying out of a webRequest event. Pure; no browser API.
 */
import { type HeaderList, KEPT_REQUEST_HEADERS, REDACTED, SECRET_HEADERS } from './exchange.ts';
import { getHeader } from './headers.ts';
import { isKeptResponseHeader, redactUrl } from './index.ts';

/** Fetch §4.8 CORS-preflight fetch: an OPTIONS request carrying Access-Control-Request-Method. A page's
 * own OPTIONS request never carries that header (it is a forbidden request header). */
export function isPreflightRequest(method: string, headers: HeaderList | undefined): boolean {
  return method === 'OPTIONS' && headers !== undefined && getHeader(headers, 'access-control-request-method') !== null;
}

/**
 * A cheap first test, before the full candidate test (which parses URLs): the browser's own Fetch
 * Metadata already says this hop is not a cross-origin CORS request. `Sec-Fetch-Mode` other than cors /
 * same-origin means no CORS check; `Sec-Fetch-Site: same-origin` means the request and every redirect so far
 * stayed on the page's origin. Absent headers (sent only to potentially trustworthy URLs) prove nothing.
 */
export function fetchMetadataRulesOutCors(headers: HeaderList): boolean {
  for (const [name, value] of headers) {
    if (name === 'sec-fetch-mode') {
      if (value !== 'cors' && value !== 'same-origin') return true;
    } else if (name === 'sec-fetch-site') {
      if (value === 'same-origin') return true;
    }
  }
  return false;
}


/** Response headers kept with values are the ones reduce.ts keeps (one list for both). */
export { isKeptResponseHeader };

/** How one header line is copied: its value, a redaction marker, or its name with an empty value. A
 * Location may carry user:password@ (a redirect the browser refuses, or follows in Firefox): its password
 * is replaced, the username kept, so "this URL has credentials" stays true. */
export function copiedHeaderValue(lowerName: string, value: string, kept: (lowerName: string) => boolean): string {
  if (SECRET_HEADERS.has(lowerName)) return REDACTED;
  if (!kept(lowerName)) return '';
  return lowerName === 'location' && value.includes('@') ? redactUrl(value) : value;
}

export function isKeptRequestHeader(lowerName: string): boolean {
  return KEPT_REQUEST_HEADERS.has(lowerName);
}
