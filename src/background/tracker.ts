/**
 * Assembles webRequest events (events.ts) into logical requests: the actual request, its preflight (a
 * separate request with its own id), its redirects, its response and its error; then asks the classifier
 * whether it failed CORS. Pure: no browser API, so it runs on recorded sequences in Node.
 *
 * What it relies on (DESIGN.md §4):
 * - A preflight has its own requestId but the actual's url, tabId, frameId and initiator; it is an OPTIONS
 *   request carrying Access-Control-Request-Method, whose value is the actual's method.
 * - Chromium: a rejected preflight ends in onCompleted(status); the actual then ends in onErrorOccurred
 *   without ever being sent. A blocked response ends in onErrorOccurred(net::ERR_FAILED).
 * - Firefox: a blocked simple request ends in onCompleted(200), so completions are classified too.
 * - A redirect shows as response headers with a 3xx and a Location, followed by the next hop being sent
 *   under the same requestId.
 *
 * Memory stays bounded: a request is forgotten at its last event, requests that are not CORS candidates
 * are reduced to a marker, and a sweep drops what never finished (orphan preflights, lost events).
 */
import type { CandidateInput } from '../cors/candidate.ts';
import type { Diagnosis } from '../cors/diagnosis.ts';
import type { Exchange, HeaderList, ObservedPreflight, ObservedRedirect, ObservedResponse } from '../cors/exchange.ts';
import { getHeader } from '../cors/headers.ts';
import { fetchMetadataRulesOutCors, isPreflightRequest } from '../cors/tracking-predicates.ts';
import type { CompletedEvent, EngineFacts, ErrorEvent, HeadersEvent, RequestEvent, RequestFacts, SendEvent, TrackerEvent } from './events.ts';

/** What the tracker asks of src/cors. Injected so the tracker stays a plain class. */
export interface CorsLogic {
  /** Can this request be subject to the CORS protocol (cross-origin, CORS mode as far as the headers tell)?
   * `requestHeaders` is absent when the request was never sent (Chromium's rejected preflight). */
  isCandidate(request: CandidateInput): boolean;
  classify(exchange: Exchange): Diagnosis | null;
  /** Redacts secrets and trims headers before storage. */
  reduce(exchange: Exchange): Exchange;
  /** A warning-level reason: the request still succeeded. */
  isWarning(diagnosis: Diagnosis): boolean;
}

export type FailureSink = (exchange: Exchange, diagnosis: Diagnosis) => void;

/** How long things may wait for their other half before the sweep drops them (ms). */
export const LIMITS = {
  /** A request still in flight (long polls and streams can be long). */
  flight: 10 * 60_000,
  /** A finished preflight waiting for its actual request. */
  preflight: 60_000,
  /** An actual request that ended while its preflight was still in flight. */
  waiting: 10_000,
  /** Minimum time between sweeps. */
  sweepEvery: 5_000,
} as const;

interface PendingRedirect {
  status: number;
  location: string;
  headers: HeaderList;
}

/** One requestId in flight. */
interface Flight {
  first: RequestFacts;
  /** URL of the current hop. */
  url: string;
  candidate: boolean;
  preflight: boolean;
  requestHeaders?: HeaderList;
  redirects: ObservedRedirect[];
  response?: ObservedResponse;
  /** A 3xx with Location: a redirect if the next hop is sent, else the final response. */
  pendingRedirect?: PendingRedirect;
  /** For an actual request: its preflight, once matched. */
  preflightOf?: PreflightEntry;
  /** Its sending was not seen (a stopped worker had it): known from the response on. */
  unsent?: boolean;
  lastTime: number;
}

/** A preflight, from its first event until its actual request claims it. */
interface PreflightEntry {
  key: string;
  /** Access-Control-Request-Method: the actual request's method. */
  forMethod: string;
  startedAt: number;
  observed: ObservedPreflight;
  ended: boolean;
  endedAt: number;
  /** An actual request that ended first and waits for this preflight to end. */
  waiting?: Waiting;
}

interface Waiting {
  flight: Flight;
  end: End;
}

interface End {
  time: number;
  status?: number;
  error?: string;
  fromCache?: boolean;
  ip?: string;
}

export class Tracker {
  readonly #facts: EngineFacts;
  readonly #logic: CorsLogic;
  readonly #emit: FailureSink;
  readonly #flights = new Map<string, Flight>();
  /** Preflights by url/tab/frame/initiator, oldest first. */
  readonly #preflights = new Map<string, PreflightEntry[]>();
  #lastSweep = 0;

  constructor(facts: EngineFacts, logic: CorsLogic, emit: FailureSink) {
    this.#facts = facts;
    this.#logic = logic;
    this.#emit = emit;
  }

  /** Requests and preflights currently remembered (for tests and the memory bound). */
  get size(): { flights: number; preflights: number } {
    let preflights = 0;
    for (const list of this.#preflights.values()) preflights += list.length;
    return { flights: this.#flights.size, preflights };
  }

  handle(event: TrackerEvent): void {
    switch (event.kind) {
      case 'send':
        this.#onSend(event);
        break;
      case 'headers':
        this.#onHeaders(event);
        break;
      case 'completed':
      case 'error':
        this.#onEnd(event);
        break;
      case 'navigate':
        return; // the store's business
    }
    if (event.time - this.#lastSweep >= LIMITS.sweepEvery) this.sweep(event.time);
  }

  #onSend(ev: SendEvent): void {
    const flight = this.#flights.get(ev.requestId);
    if (flight === undefined) {
      this.#startFlight(ev);
      return;
    }
    // A next hop under the same id: the 3xx we saw was a redirect.
    flight.lastTime = ev.time;
    const redirect = flight.pendingRedirect;
    if (redirect !== undefined) {
      flight.redirects.push({ status: redirect.status, from: flight.url, location: ev.url, headers: redirect.headers });
      flight.pendingRedirect = undefined;
    }
    flight.url = ev.url;
    flight.requestHeaders = ev.headers;
    flight.response = undefined;
    if (flight.preflight) return;
    this.#claimPreflight(flight, ev);
    if (!flight.candidate) flight.candidate = this.#isCandidate(flight, ev.headers);
  }

  #startFlight(ev: SendEvent): void {
    const preflight = isPreflightRequest(ev.method, ev.headers);
    const flight: Flight = { first: ev, url: ev.url, candidate: preflight, preflight, requestHeaders: ev.headers, redirects: [], lastTime: ev.time };
    this.#flights.set(ev.requestId, flight);
    if (preflight) {
      const entry: PreflightEntry = {
        key: matchKey(ev, ev.url),
        forMethod: getHeader(ev.headers, 'access-control-request-method') ?? '',
        startedAt: ev.time,
        observed: { requestHeaders: ev.headers },
        ended: false,
        endedAt: 0,
      };
      flight.preflightOf = entry;
      const list = this.#preflights.get(entry.key);
      if (list === undefined) this.#preflights.set(entry.key, [entry]);
      else list.push(entry);
    } else {
      this.#claimPreflight(flight, ev);
      flight.candidate = this.#isCandidate(flight, ev.headers);
    }
  }

  /** Most requests (images, scripts, same-origin calls) are ruled out by their Fetch Metadata alone. */
  #isCandidate(flight: Flight, sent: HeaderList): boolean {
    if (flight.preflightOf === undefined && fetchMetadataRulesOutCors(sent)) return false;
    return this.#logic.isCandidate(candidateInput(flight));
  }

  #onHeaders(ev: HeadersEvent): void {
    let flight = this.#flights.get(ev.requestId);
    if (flight === undefined) {
      // The request was sent while the previous worker lived (it was stopped): the response is still
      // evidence. An OPTIONS request cannot be told from a preflight without its headers: left out.
      if (ev.method === 'OPTIONS') return;
      flight = { first: ev, url: ev.url, candidate: false, preflight: false, unsent: true, redirects: [], lastTime: ev.time };
      flight.candidate = this.#logic.isCandidate(candidateInput(flight));
      this.#flights.set(ev.requestId, flight);
    }
    flight.lastTime = ev.time;
    const location = ev.status >= 300 && ev.status < 400 ? (getHeader(ev.headers, 'location') ?? undefined) : undefined;
    if (location !== undefined) {
      flight.pendingRedirect = { status: ev.status, location: resolveUrl(location, flight.url), headers: ev.headers };
    }
    if (!flight.candidate) return;
    const response: ObservedResponse = { status: ev.status, headers: ev.headers };
    if (ev.fromCache) response.fromCache = true;
    if (ev.ip !== undefined) response.ip = ev.ip;
    flight.response = response;
  }

  #onEnd(ev: CompletedEvent | ErrorEvent): void {
    const end: End = { time: ev.time };
    if (ev.kind === 'error') end.error = ev.error;
    else end.status = ev.status;
    if (ev.fromCache) end.fromCache = true;
    if (ev.ip !== undefined) end.ip = ev.ip;

    let flight = this.#flights.get(ev.requestId);
    if (flight !== undefined) {
      this.#flights.delete(ev.requestId);
    } else {
      // Never sent: Chromium ends the actual request of a rejected preflight this way (and a request
      // refused before it leaves the browser, e.g. mode "same-origin"). Completions need a start.
      if (ev.kind !== 'error') return;
      flight = { first: ev, url: ev.url, candidate: false, preflight: false, redirects: [], lastTime: ev.time };
      const preflight = this.#findPreflight(flight, ev.url, ev.method, true);
      // Neither sent nor preflighted: this worker missed the request's beginning (see EngineFacts).
      if (preflight === undefined && this.#facts.unsentFailureMeansMissedEvents) return;
      const input = candidateInput(flight);
      if (preflight !== undefined) input.preflight = preflight.observed;
      flight.candidate = this.#logic.isCandidate(input);
    }
    if (flight.preflight) {
      this.#endPreflight(flight, end);
      return;
    }
    if (!flight.candidate) return;
    if (end.error !== undefined && (this.#facts.cancelErrors.has(end.error) || this.#facts.probeErrors.has(end.error))) return;
    const preflight = flight.preflightOf ?? this.#findPreflight(flight, flight.url, flight.first.method, true);
    if (preflight !== undefined) {
      flight.preflightOf = preflight;
      if (!preflight.ended && end.error !== undefined) {
        // The actual request failed before its preflight ended (the order Firefox may use): wait for the
        // preflight. It stays listed, so its end event and the sweep find it; nothing else can claim it.
        preflight.waiting = { flight, end };
        return;
      }
      this.#removePreflight(preflight);
    }
    this.#finish(flight, end);
  }

  #endPreflight(flight: Flight, end: End): void {
    const entry = flight.preflightOf;
    if (entry === undefined) return;
    entry.ended = true;
    entry.endedAt = end.time;
    const observed = entry.observed;
    if (flight.response !== undefined) observed.response = flight.response;
    if (flight.pendingRedirect !== undefined) observed.redirectedTo = flight.pendingRedirect.location;
    if (end.error !== undefined) observed.error = end.error;
    const waiting = entry.waiting;
    if (waiting !== undefined) {
      entry.waiting = undefined;
      this.#removePreflight(entry);
      this.#finish(waiting.flight, waiting.end);
    }
  }

  /** Attaches the oldest unclaimed preflight for this hop, when one has already ended. */
  #claimPreflight(flight: Flight, ev: RequestFacts): void {
    const entry = this.#findPreflight(flight, ev.url, ev.method, false);
    if (entry === undefined) return;
    flight.preflightOf = entry;
    this.#removePreflight(entry);
  }

  #findPreflight(flight: Flight, url: string, method: string, evenInFlight: boolean): PreflightEntry | undefined {
    const list = this.#preflights.get(matchKey(flight.first, url));
    if (list === undefined) return undefined;
    for (const entry of list) {
      if (entry.forMethod === method && entry.waiting === undefined && (entry.ended || evenInFlight)) return entry;
    }
    return undefined;
  }

  #removePreflight(entry: PreflightEntry): void {
    const list = this.#preflights.get(entry.key);
    if (list === undefined) return;
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#preflights.delete(entry.key);
  }

  #finish(flight: Flight, end: End): void {
    const completed = end.error === undefined;
    // Seen from the response on only: a completion says nothing without the request's mode.
    if (completed && flight.unsent) return;
    // A completion the browser let through is a failure only where blocked responses can complete;
    // elsewhere only a preflighted request can still carry a warning.
    if (completed && !this.#facts.blockedMayComplete && flight.preflightOf === undefined) return;
    const exchange = this.#exchange(flight, end);
    const diagnosis = this.#logic.classify(exchange);
    if (diagnosis === null) return;
    if (completed && !this.#facts.blockedMayComplete && !this.#logic.isWarning(diagnosis)) return;
    this.#emit(this.#logic.reduce(exchange), diagnosis);
  }

  #exchange(flight: Flight, end: End): Exchange {
    const first = flight.first;
    const preflight = flight.preflightOf;
    const redirects = flight.redirects;
    let response = flight.response;
    const pending = flight.pendingRedirect;
    if (pending !== undefined) {
      if (end.error !== undefined) {
        // The browser stopped at the redirect (a CORS check on the 3xx, or credentials in the Location).
        redirects.push({ status: pending.status, from: flight.url, location: pending.location, headers: pending.headers });
        response = undefined;
      }
    }
    if (response !== undefined && end.fromCache && !response.fromCache) response = { ...response, fromCache: true };
    const exchange: Exchange = {
      engine: this.#facts.engine,
      tabId: first.tabId,
      frameId: first.frameId,
      type: first.type,
      method: first.method,
      url: first.url,
      requestHeaders: flight.requestHeaders ?? [],
      redirects,
      startedAt: preflight !== undefined ? Math.min(preflight.startedAt, first.time) : first.time,
      endedAt: end.time,
    };
    if (first.initiator !== undefined) exchange.initiator = first.initiator;
    if (first.documentUrl !== undefined) exchange.documentUrl = first.documentUrl;
    if (preflight !== undefined) exchange.preflight = preflight.observed;
    if (response !== undefined) exchange.response = response;
    if (end.error !== undefined) exchange.error = end.error;
    return exchange;
  }

  /** Drops what waited too long: flights whose end never came, unclaimed preflights, and actual requests
   * whose preflight never ended (those are finished without it). */
  sweep(now: number): void {
    this.#lastSweep = now;
    for (const [id, flight] of this.#flights) {
      if (now - flight.lastTime > LIMITS.flight) this.#flights.delete(id);
    }
    for (const list of [...this.#preflights.values()]) {
      for (const entry of [...list]) {
        if (entry.waiting !== undefined) {
          if (now - entry.waiting.end.time > LIMITS.waiting) {
            const { flight, end } = entry.waiting;
            entry.waiting = undefined;
            this.#removePreflight(entry);
            this.#finish(flight, end);
          }
        } else if (entry.ended ? now - entry.endedAt > LIMITS.preflight : now - entry.startedAt > LIMITS.flight) {
          this.#removePreflight(entry);
        }
      }
    }
  }
}

function candidateInput(flight: Flight): CandidateInput {
  const first = flight.first;
  const input: CandidateInput = { url: flight.url, method: first.method, type: first.type, redirects: flight.redirects };
  if (first.initiator !== undefined) input.initiator = first.initiator;
  if (first.documentUrl !== undefined) input.documentUrl = first.documentUrl;
  if (flight.requestHeaders !== undefined) input.requestHeaders = flight.requestHeaders;
  if (flight.preflightOf !== undefined) input.preflight = flight.preflightOf.observed;
  return input;
}

function matchKey(ev: RequestFacts, url: string): string {
  return `${ev.tabId} ${ev.frameId} ${ev.initiator ?? ''} ${url}`;
}

function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

export type { RequestEvent };
