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

// ---------------------------------------------------------------------------------------------------------
// The check that lets a well-formed exchange through as it is

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Absent, or a string sanitizing would keep (it drops empty ones). */
function isOptionalText(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value !== '');
}

/** Every entry a [string, string] pair. Names may be in any case: every lookup ignores it, and reduce
 * lower-cases what it stores. */
function isHeaderList(value: unknown): value is HeaderList {
  if (!Array.isArray(value)) return false;
  for (const entry of value) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return false;
  }
  return true;
}

function isCleanResponse(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isObject(value) || !isFiniteNumber(value.status) || !isHeaderList(value.headers)) return false;
  return (value.fromCache === undefined || typeof value.fromCache === 'boolean') && isOptionalText(value.ip);
}

function isCleanPreflight(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isObject(value) || !isHeaderList(value.requestHeaders) || !isCleanResponse(value.response)) return false;
  return isOptionalText(value.error) && isOptionalText(value.redirectedTo);
}

function isCleanRedirects(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const r of value) {
    if (!isObject(r) || !isFiniteNumber(r.status) || typeof r.from !== 'string' || typeof r.location !== 'string' || !isHeaderList(r.headers)) return false;
  }
  return true;
}

/**
 * True when sanitizeExchange would give back the same exchange, but for the case of header names and for
 * fields it does not know: every field has its type, optional strings are absent rather than empty, the
 * initiator is already a serialised origin.
 */
export function isSanitized(input: unknown): input is Exchange {
  if (!isObject(input)) return false;
  const x = input;
  return (
    (x.engine === 'chromium' || x.engine === 'gecko') &&
    isFiniteNumber(x.tabId) &&
    isFiniteNumber(x.frameId) &&
    isFiniteNumber(x.startedAt) &&
    isFiniteNumber(x.endedAt) &&
    typeof x.type === 'string' &&
    typeof x.method === 'string' &&
    typeof x.url === 'string' &&
    (x.initiator === undefined || (typeof x.initiator === 'string' && serializeOrigin(x.initiator) === x.initiator)) &&
    isOptionalText(x.documentUrl) &&
    isOptionalText(x.error) &&
    isHeaderList(x.requestHeaders) &&
    isCleanRedirects(x.redirects) &&
    isCleanPreflight(x.preflight) &&
    isCleanResponse(x.response)
  );
}

// ---------------------------------------------------------------------------------------------------------
// The copy

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

// ---------------------------------------------------------------------------------------------------------
// The exchange as the classifier reads it

/**
 * `input` as a well-formed exchange in one fixed shape: every field present (optional ones may be
 * undefined) in the same order, so that the code reading it always meets the same kind of object. Header
 * lists are shared with `input` when it is already well-formed (isSanitized), and copied by
 * sanitizeExchange when it is not. Read-only: nothing here may be changed or handed out.
 */
export function readExchange(input: unknown): Exchange {
  return inOneShape(isSanitized(input) ? input : sanitizeExchange(input));
}

const NO_REDIRECTS: ObservedRedirect[] = [];

function inOneShape(ex: Exchange): Exchange {
  return {
    engine: ex.engine,
    tabId: ex.tabId,
    frameId: ex.frameId,
    type: ex.type,
    initiator: ex.initiator,
    documentUrl: ex.documentUrl,
    method: ex.method,
    url: ex.url,
    requestHeaders: ex.requestHeaders,
    preflight: ex.preflight === undefined ? undefined : preflightInOneShape(ex.preflight),
    redirects: ex.redirects.length === 0 ? NO_REDIRECTS : ex.redirects.map(redirectInOneShape),
    response: ex.response === undefined ? undefined : responseInOneShape(ex.response),
    error: ex.error,
    startedAt: ex.startedAt,
    endedAt: ex.endedAt,
  };
}

function preflightInOneShape(pf: ObservedPreflight): ObservedPreflight {
  return {
    requestHeaders: pf.requestHeaders,
    response: pf.response === undefined ? undefined : responseInOneShape(pf.response),
    error: pf.error,
    redirectedTo: pf.redirectedTo,
  };
}

function responseInOneShape(r: ObservedResponse): ObservedResponse {
  return { status: r.status, headers: r.headers, fromCache: r.fromCache === true, ip: r.ip };
}

function redirectInOneShape(r: ObservedRedirect): ObservedRedirect {
  return { status: r.status, from: r.from, location: r.location, headers: r.headers };
}
