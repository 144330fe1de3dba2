/**
 * An Exchange as the classifier may trust it. Records come from webRequest events, from storage and from
 * users' exported files, so every field is checked once here and the checks can then read plain data.
 */
import type { Engine, Exchange, HeaderList, ObservedPreflight, ObservedRedirect, ObservedResponse } from './exchange.ts';
import { serializeOrigin } from './headers.ts';

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Entries that are [string, string|number] pairs; names lower-cased. Anything else is dropped. */
export function sanitizeHeaders(value: unknown): HeaderList {
  if (!Array.isArray(value)) return [];
  const out: [string, string][] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const v = entry[1];
    if (typeof v === 'string') out.push([entry[0].toLowerCase(), v]);
    else if (typeof v === 'number') out.push([entry[0].toLowerCase(), String(v)]);
  }
  return out;
}

function sanitizeResponse(value: unknown): ObservedResponse | undefined {
  if (!isObject(value)) return undefined;
  const response: ObservedResponse = { status: num(value.status, 0), headers: sanitizeHeaders(value.headers) };
  if (value.fromCache === true) response.fromCache = true;
  const ip = str(value.ip);
  if (ip) response.ip = ip;
  return response;
}

function sanitizePreflight(value: unknown): ObservedPreflight | undefined {
  if (!isObject(value)) return undefined;
  const preflight: ObservedPreflight = { requestHeaders: sanitizeHeaders(value.requestHeaders) };
  const response = sanitizeResponse(value.response);
  if (response) preflight.response = response;
  const error = str(value.error);
  if (error) preflight.error = error;
  const redirectedTo = str(value.redirectedTo);
  if (redirectedTo) preflight.redirectedTo = redirectedTo;
  return preflight;
}

function sanitizeRedirects(value: unknown): ObservedRedirect[] {
  if (!Array.isArray(value)) return [];
  const out: ObservedRedirect[] = [];
  for (const r of value) {
    if (!isObject(r)) continue;
    out.push({ status: num(r.status, 0), from: str(r.from) ?? '', location: str(r.location) ?? '', headers: sanitizeHeaders(r.headers) });
  }
  return out;
}

/** A well-formed copy of `input`; never throws. An initiator given as a full URL is reduced to its origin. */
export function sanitizeExchange(input: unknown): Exchange {
  const x: Loose = isObject(input) ? input : {};
  const engine: Engine = x.engine === 'gecko' ? 'gecko' : 'chromium';
  const ex: Exchange = {
    engine,
    tabId: num(x.tabId, -1),
    frameId: num(x.frameId, 0),
    type: str(x.type) ?? 'other',
    method: str(x.method) ?? 'GET',
    url: str(x.url) ?? '',
    requestHeaders: sanitizeHeaders(x.requestHeaders),
    redirects: sanitizeRedirects(x.redirects),
    startedAt: num(x.startedAt, 0),
    endedAt: num(x.endedAt, 0),
  };
  const rawInitiator = str(x.initiator);
  const initiator = serializeOrigin(rawInitiator);
  if (initiator !== null) ex.initiator = initiator;
  // Chromium names a file:// page's initiator "file://"; its origin is opaque, so keep the fact that the
  // page was a file as its URL when none was given.
  const documentUrl = str(x.documentUrl) ?? (rawInitiator?.startsWith('file:') ? rawInitiator : undefined);
  if (documentUrl) ex.documentUrl = documentUrl;
  const preflight = sanitizePreflight(x.preflight);
  if (preflight) ex.preflight = preflight;
  const response = sanitizeResponse(x.response);
  if (response) ex.response = response;
  const error = str(x.error);
  if (error) ex.error = error;
  return ex;
}
