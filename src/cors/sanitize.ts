/**
 * An Exchange as the classifier may trust it. Records come from webRequest events, from storage and from
 * users' exported files, so every field is checked once here and the checks can then read plain data.
 */
import type { Engine, Exchange, HeaderList, ObservedPreflight, ObservedRedirect, ObservedResponse } from './exchange.ts';
import { type HeaderIndexes, indexHeaderList, isHeaderList } from './header-lookup.ts';
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
 * The exchange as the classifier reads it: well-formed, and in one fixed shape (every field present,
 * optional ones possibly undefined, always in the same order), so that the code reading it always meets
 * the same kind of object. When `input` already is what sanitizeExchange would make of it (but for the
 * case of header names, which every lookup ignores, and for fields it does not know), it is read as it is:
 * no header is copied, and when `indexes` is given each header list is indexed on the way. Otherwise the
 * sanitized copy is read. Read-only: nothing in it may be changed or handed out.
 */
export function readExchange(input: unknown, indexes?: HeaderIndexes): Exchange {
  const clean = readClean(input, indexes);
  if (clean) return clean;
  if (indexes) indexes.length = 0;
  return inOneShape(sanitizeExchange(input));
}

/** The engine sanitizeExchange would give `input`. */
export function engineOf(input: unknown): Engine {
  return isObject(input) && input.engine === 'gecko' ? 'gecko' : 'chromium';
}

/** The error sanitizeExchange would keep of `input` ('' stands for none, as it does for the engines). */
export function errorOf(input: unknown): string | undefined {
  return isObject(input) ? str(input.error) : undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Absent, or a string sanitizing would keep (it drops empty ones). */
function isOptionalText(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && value !== '');
}

/** Every entry a [string, string] pair, in any case; indexed into `indexes` when given. */
function isCleanHeaderList(value: unknown, indexes: HeaderIndexes | undefined): value is HeaderList {
  if (indexes === undefined) return isHeaderList(value);
  const index = indexHeaderList(value);
  if (index === null) return false;
  indexes.push(value, index);
  return true;
}

/** `input` in one shape, or null when sanitizing would change it. */
function readClean(input: unknown, indexes: HeaderIndexes | undefined): Exchange | null {
  if (!isObject(input)) return null;
  const { engine, tabId, frameId, type, initiator, documentUrl, method, url, requestHeaders, error, startedAt, endedAt } = input;
  if (engine !== 'chromium' && engine !== 'gecko') return null;
  if (!isFiniteNumber(tabId) || !isFiniteNumber(frameId) || !isFiniteNumber(startedAt) || !isFiniteNumber(endedAt)) return null;
  if (typeof type !== 'string' || typeof method !== 'string' || typeof url !== 'string') return null;
  if (initiator !== undefined && (typeof initiator !== 'string' || serializeOrigin(initiator) !== initiator)) return null;
  if (!isOptionalText(documentUrl) || !isOptionalText(error)) return null;
  if (!isCleanHeaderList(requestHeaders, indexes)) return null;
  const preflight = readCleanPreflight(input.preflight, indexes);
  const response = readCleanResponse(input.response, indexes);
  const redirects = readCleanRedirects(input.redirects, indexes);
  if (preflight === null || response === null || redirects === null) return null;
  return { engine, tabId, frameId, type, initiator, documentUrl, method, url, requestHeaders, preflight, redirects, response, error, startedAt, endedAt };
}

/** Undefined when absent, null when sanitizing would change it. */
function readCleanPreflight(value: unknown, indexes: HeaderIndexes | undefined): ObservedPreflight | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value) || !isCleanHeaderList(value.requestHeaders, indexes)) return null;
  const response = readCleanResponse(value.response, indexes);
  const { error, redirectedTo } = value;
  if (response === null || !isOptionalText(error) || !isOptionalText(redirectedTo)) return null;
  return { requestHeaders: value.requestHeaders, response, error, redirectedTo };
}

function readCleanResponse(value: unknown, indexes: HeaderIndexes | undefined): ObservedResponse | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value) || !isFiniteNumber(value.status) || !isCleanHeaderList(value.headers, indexes)) return null;
  const { fromCache, ip } = value;
  if ((fromCache !== undefined && typeof fromCache !== 'boolean') || !isOptionalText(ip)) return null;
  return { status: value.status, headers: value.headers, fromCache: fromCache === true, ip };
}

const NO_REDIRECTS: ObservedRedirect[] = [];

function readCleanRedirects(value: unknown, indexes: HeaderIndexes | undefined): ObservedRedirect[] | null {
  if (!Array.isArray(value)) return null;
  if (value.length === 0) return NO_REDIRECTS;
  const redirects: ObservedRedirect[] = [];
  for (const r of value) {
    if (!isObject(r) || !isFiniteNumber(r.status) || typeof r.from !== 'string' || typeof r.location !== 'string') return null;
    if (!isCleanHeaderList(r.headers, indexes)) return null;
    redirects.push({ status: r.status, from: r.from, location: r.location, headers: r.headers });
  }
  return redirects;
}

/** A sanitized exchange in the one shape readClean gives. */
function inOneShape(ex: Exchange): Exchange {
  const pf = ex.preflight;
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
    preflight: pf && { requestHeaders: pf.requestHeaders, response: pf.response && responseInOneShape(pf.response), error: pf.error, redirectedTo: pf.redirectedTo },
    redirects: ex.redirects.length === 0 ? NO_REDIRECTS : ex.redirects.map((r) => ({ status: r.status, from: r.from, location: r.location, headers: r.headers })),
    response: ex.response && responseInOneShape(ex.response),
    error: ex.error,
    startedAt: ex.startedAt,
    endedAt: ex.endedAt,
  };
}

function responseInOneShape(r: ObservedResponse): ObservedResponse {
  return { status: r.status, headers: r.headers, fromCache: r.fromCache === true, ip: r.ip };
}
