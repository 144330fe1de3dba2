/**
 * The small, plain events the per-browser adapters make out of webRequest details. The tracker consumes
 * only these, so it runs in Node on recorded sequences (test/fixtures/events/**) exactly as in a browser.
 */
import type { Engine, HeaderList } from '../cors/exchange.ts';

/** What every webRequest event says about its request. Strings are the browser's own (not copies). */
export interface RequestFacts {
  requestId: string;
  /** The URL of this hop (after a redirect, the new URL). */
  url: string;
  method: string;
  tabId: number;
  frameId: number;
  /** webRequest resource type as the browser names it. */
  type: string;
  /** Origin of the requesting document, serialised without a trailing slash ("null" for opaque). */
  initiator?: string;
  /** Firefox only: URL of the requesting document. */
  documentUrl?: string;
  /** Milliseconds since the epoch (the browser's event timestamp). */
  time: number;
}

/** Request headers as they were sent (onSendHeaders); kept headers with values, secrets redacted. */
export interface SendEvent extends RequestFacts {
  kind: 'send';
  headers: HeaderList;
}

/** Response headers arrived (onHeadersReceived). For a 3xx with Location this may be a redirect: the
 * tracker knows once the next hop is sent. */
export interface HeadersEvent extends RequestFacts {
  kind: 'headers';
  status: number;
  headers: HeaderList;
  fromCache?: boolean;
  ip?: string;
}

export interface CompletedEvent extends RequestFacts {
  kind: 'completed';
  status: number;
  fromCache?: boolean;
  ip?: string;
}

export interface ErrorEvent extends RequestFacts {
  kind: 'error';
  error: string;
  fromCache?: boolean;
  ip?: string;
}

/** The top frame of a tab started a navigation (a main_frame request). */
export interface NavigationEvent {
  kind: 'navigate';
  tabId: number;
  url: string;
  time: number;
}

export type RequestEvent = SendEvent | HeadersEvent | CompletedEvent | ErrorEvent;
export type TrackerEvent = RequestEvent | NavigationEvent;

/** Facts about the engine that the tracker needs; adapters provide them, the tracker never branches on
 * a browser name. */
export interface EngineFacts {
  engine: Engine;
  /** A response that fails the CORS check can still end in onCompleted (Firefox: a blocked simple request
   * "completes" with its status). When false, a completed request passed CORS: only warnings are kept. */
  blockedMayComplete: boolean;
  /** Error strings that mean the request was cancelled (page, user or browser), never a CORS failure. */
  cancelErrors: ReadonlySet<string>;
  /** Error strings of harmless internal probes (Chromium's font cache probe), never a failure. */
  probeErrors: ReadonlySet<string>;
  /** Every failure the engine reports through webRequest shows the request being sent or its preflight
   * (measured: a request refused before sending, like mode "same-origin", gets no event at all). So an
   * actual request that ends with neither started before this worker's life: its first events went to a
   * worker that was stopped. It is left out rather than guessed at. */
  unsentFailureMeansMissedEvents: boolean;
}

/** A recorded sequence, as stored in test/fixtures/events/<engine>/<name>.json. */
export interface EventRecording {
  name: string;
  engine: Engine;
  browserVersion: string;
  /** What the page did, in words. */
  scenario: string;
  /** URL of the page that made the requests (origin of the lab's page server is replaced by a stable one). */
  pageUrl: string;
  events: TrackerEvent[];
}
