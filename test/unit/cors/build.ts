/** Builders for exchanges in classifier tests: a page on PAGE calling API, as the tracker records it. */
import type { Engine, Exchange, HeaderList, ObservedPreflight, ObservedResponse } from '../../../src/cors/exchange.ts';

export const PAGE = 'http://127.0.0.1:5173';
export const API = 'https://api.test';
export const URL_ = `${API}/data`;

/** The engine's error for a request it blocked for CORS. */
export const BLOCKED: Record<Engine, string> = { chromium: 'net::ERR_FAILED', gecko: 'NS_ERROR_DOM_BAD_URI' };

/** A CORS-mode GET from PAGE to URL_, request headers as the browser sent them; override anything. */
export function ex(over: Partial<Exchange> = {}): Exchange {
  return {
    engine: 'chromium',
    tabId: 1,
    frameId: 0,
    type: 'xmlhttprequest',
    initiator: PAGE,
    method: 'GET',
    url: URL_,
    requestHeaders: [
      ['origin', PAGE],
      ['sec-fetch-mode', 'cors'],
      ['accept', '*/*'],
    ],
    redirects: [],
    startedAt: 0,
    endedAt: 1,
    ...over,
  };
}

export function res(status: number, headers: HeaderList = [], extra: Partial<ObservedResponse> = {}): ObservedResponse {
  return { status, headers, ...extra };
}

/** A preflight for `method` (and `acrh`), answered with `status` and `headers` unless `response` is false. */
export function pre(o: {
  method?: string;
  acrh?: string;
  status?: number;
  headers?: HeaderList;
  origin?: string;
  error?: string;
  redirectedTo?: string;
  noResponse?: boolean;
  extraRequest?: HeaderList;
}): ObservedPreflight {
  const requestHeaders: [string, string][] = [
    ['origin', o.origin ?? PAGE],
    ['access-control-request-method', o.method ?? 'PUT'],
    ['sec-fetch-mode', 'cors'],
  ];
  if (o.acrh !== undefined) requestHeaders.push(['access-control-request-headers', o.acrh]);
  const preflight: ObservedPreflight = { requestHeaders: [...requestHeaders, ...(o.extraRequest ?? [])] };
  if (!o.noResponse) preflight.response = res(o.status ?? 204, o.headers ?? []);
  if (o.error) preflight.error = o.error;
  if (o.redirectedTo) preflight.redirectedTo = o.redirectedTo;
  return preflight;
}

/** ACAO for PAGE, the usual good answer. */
export const ACAO_OK: [string, string] = ['access-control-allow-origin', PAGE];
