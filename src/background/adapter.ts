/**
 * The edge between webRequest and the tracker: registers the few listeners CORS needs and turns each
 * browser detail object into a small plain event (events.ts). Per-browser differences come in as a
 * BrowserProfile (adapter-chrome.ts, adapter-firefox.ts); nothing else in the background knows them.
 *
 * Cost matters more than anything here (DESIGN.md §8: listening dominates): four request listeners, one
 * navigation listener filtered to main_frame, CORS-relevant `types` only, and handlers that copy a few
 * strings and the headers that matter, nothing more.
 */
import type { HeaderList } from '../cors/exchange.ts';
import { copiedHeaderValue, isKeptRequestHeader, isKeptResponseHeader } from '../cors/tracking-predicates.ts';
import type { EngineFacts, RequestFacts, TrackerEvent } from './events.ts';

/** The fields of webRequest details we read, across both browsers. */
export interface WebRequestDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  frameId: number;
  type: string;
  timeStamp: number;
  /** Chromium: origin of the requesting document. */
  initiator?: string;
  /** Firefox: URL of the resource that triggered the request, and of the document. */
  originUrl?: string;
  documentUrl?: string;
  /** Chromium: "prerender" for a prerendered page. */
  documentLifecycle?: string;
  requestHeaders?: RawHeader[];
  responseHeaders?: RawHeader[];
  statusCode?: number;
  fromCache?: boolean;
  ip?: string;
  error?: string;
}

export interface RawHeader {
  name: string;
  value?: string;
  /** Chromium: the value's bytes, when they are not UTF-8 (a latin-1 header, 0xFF…). */
  binaryValue?: number[];
}

type Listener = (details: WebRequestDetails) => void;

interface WebRequestEvent {
  addListener(listener: Listener, filter: { urls: string[]; types?: string[]; tabId?: number }, extraInfoSpec?: string[]): void;
  removeListener(listener: Listener): void;
}

/** The slice of the webRequest namespace the adapter uses (same shape in both browsers). */
export interface WebRequestApi {
  onBeforeRequest: WebRequestEvent;
  onSendHeaders: WebRequestEvent;
  onHeadersReceived: WebRequestEvent;
  onCompleted: WebRequestEvent;
  onErrorOccurred: WebRequestEvent;
}

/** What differs between browsers, as data and two tiny functions. */
export interface BrowserProfile {
  facts: EngineFacts;
  /** Resource types that can be CORS requests (never main_frame, sub_frame, ping, csp_report, websocket). */
  types: string[];
  /** extraInfoSpec for onSendHeaders / onHeadersReceived. */
  sendHeadersSpec: string[];
  headersReceivedSpec: string[];
  /** Origin of the requesting document, serialised. */
  initiatorOf(details: WebRequestDetails): string | undefined;
  /** Events the tracker must not see (e.g. a prerendered page's requests). */
  skip(details: WebRequestDetails): boolean;
}

export type EventSink = (event: TrackerEvent) => void;

/** Set by the debug hook (debug.ts) to record every normalised event; undefined in normal use. */
export interface RecordingHolder {
  events: TrackerEvent[] | undefined;
}

const ALL_URLS = ['<all_urls>'];

export class WebRequestAdapter {
  readonly #api: WebRequestApi;
  readonly #profile: BrowserProfile;
  readonly #sink: EventSink;
  readonly #recording: RecordingHolder;
  #listening = false;

  constructor(api: WebRequestApi, profile: BrowserProfile, sink: EventSink, recording: RecordingHolder) {
    this.#api = api;
    this.#profile = profile;
    this.#sink = sink;
    this.#recording = recording;
  }

  /** Registers the listeners. Must run synchronously at the worker's top level so that the browser
   * wakes a stopped worker for them. */
  listen(filter: { tabId?: number } = {}): void {
    if (this.#listening) return;
    this.#listening = true;
    const api = this.#api;
    const p = this.#profile;
    const requests = { urls: ALL_URLS, types: p.types, ...filter };
    api.onSendHeaders.addListener(this.#onSendHeaders, requests, p.sendHeadersSpec);
    api.onHeadersReceived.addListener(this.#onHeadersReceived, requests, p.headersReceivedSpec);
    api.onCompleted.addListener(this.#onCompleted, requests);
    api.onErrorOccurred.addListener(this.#onErrorOccurred, requests);
    api.onBeforeRequest.addListener(this.#onNavigation, { urls: ALL_URLS, types: ['main_frame'], ...filter });
  }

  stop(): void {
    if (!this.#listening) return;
    this.#listening = false;
    const api = this.#api;
    api.onSendHeaders.removeListener(this.#onSendHeaders);
    api.onHeadersReceived.removeListener(this.#onHeadersReceived);
    api.onCompleted.removeListener(this.#onCompleted);
    api.onErrorOccurred.removeListener(this.#onErrorOccurred);
    api.onBeforeRequest.removeListener(this.#onNavigation);
  }

  #emit(event: TrackerEvent): void {
    this.#recording.events?.push(event);
    this.#sink(event);
  }

  #base(d: WebRequestDetails): RequestFacts {
    const base: RequestFacts = {
      requestId: d.requestId,
      url: d.url,
      method: d.method,
      tabId: d.tabId,
      frameId: d.frameId,
      type: d.type,
      time: d.timeStamp,
    };
    const initiator = this.#profile.initiatorOf(d);
    if (initiator !== undefined) base.initiator = initiator;
    if (d.documentUrl !== undefined) base.documentUrl = d.documentUrl;
    return base;
  }

  readonly #onSendHeaders = (d: WebRequestDetails): void => {
    if (this.#profile.skip(d)) return;
    const ev = this.#base(d) as TrackerEvent & { kind: 'send' };
    ev.kind = 'send';
    ev.headers = copyHeaders(d.requestHeaders, isKeptRequestHeader);
    this.#emit(ev);
  };

  readonly #onHeadersReceived = (d: WebRequestDetails): void => {
    if (this.#profile.skip(d)) return;
    const ev = this.#base(d) as TrackerEvent & { kind: 'headers' };
    ev.kind = 'headers';
    ev.status = d.statusCode ?? 0;
    ev.headers = copyHeaders(d.responseHeaders, isKeptResponseHeader);
    if (d.fromCache) ev.fromCache = true;
    if (d.ip) ev.ip = d.ip;
    this.#emit(ev);
  };

  readonly #onCompleted = (d: WebRequestDetails): void => {
    if (this.#profile.skip(d)) return;
    const ev = this.#base(d) as TrackerEvent & { kind: 'completed' };
    ev.kind = 'completed';
    ev.status = d.statusCode ?? 0;
    if (d.fromCache) ev.fromCache = true;
    if (d.ip) ev.ip = d.ip;
    this.#emit(ev);
  };

  readonly #onErrorOccurred = (d: WebRequestDetails): void => {
    if (this.#profile.skip(d)) return;
    const ev = this.#base(d) as TrackerEvent & { kind: 'error' };
    ev.kind = 'error';
    ev.error = d.error ?? '';
    if (d.fromCache) ev.fromCache = true;
    if (d.ip) ev.ip = d.ip;
    this.#emit(ev);
  };

  readonly #onNavigation = (d: WebRequestDetails): void => {
    if (d.tabId < 0 || this.#profile.skip(d)) return;
    this.#emit({ kind: 'navigate', tabId: d.tabId, url: d.url, time: d.timeStamp });
  };
}

/** Lower-cased names; values only for the headers that matter, secrets replaced by a marker. */
export function copyHeaders(raw: RawHeader[] | undefined, kept: (lowerName: string) => boolean): HeaderList {
  const out: [string, string][] = [];
  if (raw === undefined) return out;
  for (const h of raw) {
    const name = h.name.toLowerCase();
    out.push([name, copiedHeaderValue(name, h.value ?? latin1(h.binaryValue), kept)]);
  }
  return out;
}

/** Header bytes as the network stack compares them: one character per byte (latin-1). */
function latin1(bytes: number[] | undefined): string {
  if (bytes === undefined) return '';
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b & 0xff);
  return out;
}
