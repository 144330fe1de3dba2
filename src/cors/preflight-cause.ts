/**
 * Why the browser sent a preflight at all: the first thing the page could change to avoid it.
 */
import type { HeaderList } from './exchange.ts';
import { getHeader, isCorsSafelistedMethod, normalizeMethod, splitHeaderNames } from './headers.ts';

export interface PreflightCause {
  cause: 'method' | 'header' | 'content-type';
  /** The method, the header name, or the Content-Type value the page sent. */
  value: string;
}

/**
 * Fetch "main fetch" sends a preflight when the method is not CORS-safelisted or some header
 * is CORS-unsafe. The preflight itself lists both (Access-Control-Request-Method/-Headers), so they are
 * read from it. A non-safelisted method comes first; then a header other than Content-Type (changing the
 * Content-Type would not avoid the preflight while it is there); then Content-Type, with the value sent.
 * Null when neither explains it (a preflight forced by an upload listener or a streamed body).
 */
export function preflightCause(
  preflightRequestHeaders: HeaderList | undefined,
  actualRequestHeaders: HeaderList | undefined,
  actualMethod?: string,
): PreflightCause | null {
  const method = getHeader(preflightRequestHeaders, 'access-control-request-method') ?? (actualMethod ? normalizeMethod(actualMethod) : null);
  if (method !== null && method !== '' && !isCorsSafelistedMethod(method)) return { cause: 'method', value: method };
  const names = splitHeaderNames(getHeader(preflightRequestHeaders, 'access-control-request-headers'));
  const header = names.find((name) => name !== 'content-type');
  if (header !== undefined) return { cause: 'header', value: header };
  if (names.includes('content-type')) {
    return { cause: 'content-type', value: getHeader(actualRequestHeaders, 'content-type') ?? '' };
  }
  return null;
}
