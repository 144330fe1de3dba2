/**
 * The tracker fed random and malformed webRequest event sequences, with the real classifier behind it.
 * Realistic requests (preflights, redirects, every way of ending) are interleaved at random, with events
 * lost, repeated or moved; plus pure chaos (any kind of event, any id, any order, any time). Properties:
 * it never throws; in Chromium a request that completed is never recorded (only warnings can be, and only
 * for preflighted requests); no request is recorded twice; its maps are empty once every request has ended
 * and the sweep has run (and with nothing lost, no request is left in flight even before the sweep).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chromeProfile } from '../../../src/background/adapter-chrome.ts';
import { firefoxProfile } from '../../../src/background/adapter-firefox.ts';
import { corsLogic } from '../../../src/background/cors-logic.ts';
import type { EngineFacts, RequestFacts, TrackerEvent } from '../../../src/background/events.ts';
import { LIMITS, Tracker } from '../../../src/background/tracker.ts';
import type { Diagnosis } from '../../../src/cors/diagnosis.ts';
import type { Exchange, HeaderList } from '../../../src/cors/exchange.ts';
import { isWarningReason } from '../../../src/cors/reasons.ts';
import { hostileString, PAGE } from './arbitraries.ts';
import { params, runs, TIMEOUT } from './runs.ts';

const API = 'http://api.test';
const OTHER = 'http://other.test';

interface Harness {
  tracker: Tracker;
  emitted: Array<{ exchange: Exchange; diagnosis: Diagnosis }>;
}

function harness(facts: EngineFacts): Harness {
  const emitted: Harness['emitted'] = [];
  const tracker = new Tracker(facts, corsLogic, (exchange, diagnosis) => emitted.push({ exchange, diagnosis }));
  return { tracker, emitted };
}

// ---------------------------------------------------------------------------------------------------------
// Realistic requests

const responseHeaders: fc.Arbitrary<HeaderList> = fc
  .record(
    {
      acao: fc.constantFrom(PAGE, '*', OTHER, `${PAGE}/`, 'null', `${PAGE}, ${PAGE}`),
      acac: fc.constantFrom('true', 'True', 'false'),
      acam: fc.constantFrom('GET, POST, PUT, DELETE', 'PUT', 'put', '*', 'GET,,'),
      acah: fc.constantFrom('x-token', '*', 'content-type', 'x-token, authorization', '<script>'),
      vary: fc.constant('Origin'),
      extra: hostileString,
    },
    { requiredKeys: [] },
  )
  .map((r) => {
    const out: [string, string][] = [];
    if (r.acao !== undefined) out.push(['access-control-allow-origin', r.acao]);
    if (r.acac !== undefined) out.push(['access-control-allow-credentials', r.acac]);
    if (r.acam !== undefined) out.push(['access-control-allow-methods', r.acam]);
    if (r.acah !== undefined) out.push(['access-control-allow-headers', r.acah]);
    if (r.vary !== undefined) out.push(['vary', r.vary]);
    if (r.extra !== undefined) out.push(['x-extra', r.extra]);
    return out;
  });

const ending = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('completed' as const), status: fc.constantFrom(200, 204, 304, 404, 500) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('error' as const),
      error: fc.constantFrom(
        'net::ERR_FAILED',
        'net::ERR_ABORTED',
        'net::ERR_CACHE_MISS',
        'net::ERR_CONNECTION_REFUSED',
        'NS_ERROR_DOM_BAD_URI',
        'NS_BINDING_ABORTED',
        'NS_ERROR_NET_RESET',
      ),
    }),
  },
);
type Ending = { kind: 'completed'; status: number } | { kind: 'error'; error: string };

const requestSpec = fc.record({
  tabId: fc.integer({ min: 1, max: 3 }),
  frameId: fc.constantFrom(0, 0, 1),
  type: fc.constantFrom('xmlhttprequest', 'xmlhttprequest', 'font', 'image', 'script', 'other'),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  mode: fc.constantFrom('cors', 'cors', 'cors', 'no-cors', 'same-origin', 'absent'),
  credentials: fc.boolean(),
  sameOrigin: fc.boolean(),
  preflight: fc.option(
    fc.record({ status: fc.constantFrom(200, 204, 404, 500), headers: responseHeaders, end: ending, redirect: fc.boolean(), withResponse: fc.boolean() }),
    { freq: 2 },
  ),
  actualSent: fc.boolean(),
  redirect: fc.option(fc.record({ status: fc.constantFrom(301, 302, 307, 308), crossOrigin: fc.boolean(), headers: responseHeaders }), { freq: 4 }),
  response: fc.option(fc.record({ status: fc.constantFrom(200, 204, 404, 500), headers: responseHeaders }), { freq: 5 }),
  end: ending,
  firefoxOrder: fc.boolean(),
});
type RequestSpec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never;

/** The events of one request in the order an engine sends them (times filled in later). */
function eventsOf(spec: RequestSpec, k: number): TrackerEvent[] {
  const url = spec.sameOrigin ? `${PAGE}/r${k}` : `${API}/r${k}`;
  const facts = (requestId: string, hopUrl: string, method: string): RequestFacts => ({
    requestId,
    url: hopUrl,
    method,
    tabId: spec.tabId,
    frameId: spec.frameId,
    type: spec.type,
    initiator: PAGE,
    time: 0,
  });
  const sent: [string, string][] = [['origin', PAGE]];
  if (spec.mode !== 'absent') sent.push(['sec-fetch-mode', spec.mode]);
  if (spec.credentials) sent.push(['cookie', '(present, value not recorded)']);
  if (spec.method === 'PUT') sent.push(['content-type', 'application/json']);
  const end = (requestId: string, hopUrl: string, method: string, e: Ending): TrackerEvent =>
    e.kind === 'completed' ? { ...facts(requestId, hopUrl, method), kind: 'completed', status: e.status } : { ...facts(requestId, hopUrl, method), kind: 'error', error: e.error };

  const preflight: TrackerEvent[] = [];
  if (spec.preflight) {
    const p = spec.preflight;
    const id = `p${k}`;
    preflight.push({
      ...facts(id, url, 'OPTIONS'),
      kind: 'send',
      headers: [['access-control-request-method', spec.method], ['origin', PAGE], ['sec-fetch-mode', 'cors']],
    });
    if (p.withResponse) {
      const headers: HeaderList = p.redirect ? [...p.headers, ['location', `${OTHER}/moved`]] : p.headers;
      preflight.push({ ...facts(id, url, 'OPTIONS'), kind: 'headers', status: p.redirect ? 307 : p.status, headers });
    }
    preflight.push(end(id, url, 'OPTIONS', p.end));
  }

  const actual: TrackerEvent[] = [];
  const id = `a${k}`;
  let hop = url;
  if (spec.actualSent || !spec.preflight) {
    actual.push({ ...facts(id, hop, spec.method), kind: 'send', headers: sent });
    if (spec.redirect) {
      const next = `${spec.redirect.crossOrigin ? OTHER : API}/moved${k}`;
      actual.push({ ...facts(id, hop, spec.method), kind: 'headers', status: spec.redirect.status, headers: [...spec.redirect.headers, ['location', next]] });
      hop = next;
      actual.push({ ...facts(id, hop, spec.method), kind: 'send', headers: spec.redirect.crossOrigin ? [['origin', 'null'], ...sent.slice(1)] : sent });
    }
    if (spec.response) actual.push({ ...facts(id, hop, spec.method), kind: 'headers', status: spec.response.status, headers: spec.response.headers });
  }
  actual.push(end(id, hop, spec.method, spec.end));
  // Chromium: the preflight runs to its end before the actual is sent. Firefox may send the actual first
  // and end it before its preflight ends.
  if (!spec.firefoxOrder || preflight.length === 0) return [...preflight, ...actual];
  const [pSend, ...pRest] = preflight;
  return [pSend!, ...actual, ...pRest];
}

/** Interleaves per-request event lists (order inside each kept) by a list of picks. */
function interleave(lists: TrackerEvent[][], picks: number[]): TrackerEvent[] {
  const queues = lists.map((l) => [...l]);
  const out: TrackerEvent[] = [];
  let p = 0;
  while (queues.some((q) => q.length > 0)) {
    const live = queues.filter((q) => q.length > 0);
    const q = live[(picks[p++ % Math.max(1, picks.length)] ?? 0) % live.length]!;
    out.push(q.shift()!);
  }
  return out;
}

const mutation = fc.record({ at: fc.nat(), what: fc.constantFrom('drop', 'repeat', 'move') });

/** Times: mostly a few ms apart, now and then a jump past the sweep's limits. */
const steps = fc.array(fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 50 }) }, { weight: 1, arbitrary: fc.constantFrom(LIMITS.sweepEvery, LIMITS.waiting + 1, LIMITS.preflight + 1) }), {
  minLength: 1,
  maxLength: 64,
});

function timed(events: TrackerEvent[], gaps: number[], start = 1_700_000_000_000): TrackerEvent[] {
  let t = start;
  return events.map((e, i) => {
    t += gaps[i % gaps.length] ?? 1;
    return { ...e, time: t };
  });
}

function mutate(events: TrackerEvent[], mutations: Array<{ at: number; what: string }>): TrackerEvent[] {
  const out = [...events];
  for (const m of mutations) {
    if (out.length === 0) break;
    const i = m.at % out.length;
    const e = out[i]!;
    if (m.what === 'drop') out.splice(i, 1);
    else if (m.what === 'repeat') out.splice(i, 0, e);
    else {
      out.splice(i, 1);
      out.splice((m.at * 7) % (out.length + 1), 0, e);
    }
  }
  return out;
}

const scenario = fc.record({
  specs: fc.array(requestSpec, { minLength: 1, maxLength: 25 }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
  gaps: steps,
  mutations: fc.array(mutation, { maxLength: 6 }),
});

const endsOf = (events: TrackerEvent[]) => {
  /** The last ending seen per actual request (by its first URL's number). */
  const last = new Map<string, TrackerEvent['kind']>();
  for (const e of events) if ((e.kind === 'completed' || e.kind === 'error') && e.requestId.startsWith('a')) last.set(e.requestId.slice(1), e.kind);
  return last;
};
/** The request a URL belongs to: its first hop is /r<k>, its redirect target /moved<k>. */
const numberOf = (url: string): string | undefined => /\/(?:r|moved)(\d+)$/.exec(url)?.[1];

function finalSweepTime(events: TrackerEvent[]): number {
  let max = 0;
  for (const e of events) if (Number.isFinite(e.time)) max = Math.max(max, e.time);
  return max + LIMITS.flight + LIMITS.preflight + LIMITS.waiting + 1;
}

describe.each([
  ['Chromium', chromeProfile.facts],
  ['Firefox', firefoxProfile.facts],
] as const)('the tracker in %s on random request sequences', (name, facts) => {
  it(
    'never throws, records each request at most once, and forgets everything once requests end and the sweep ran',
    () => {
      let recorded = 0;
      fc.assert(
        fc.property(scenario, ({ specs, picks, gaps, mutations }) => {
          const clean = timed(interleave(specs.map(eventsOf), picks), gaps);
          const events = mutate(clean, mutations);
          const h = harness(facts);
          for (const e of events) h.tracker.handle(e);
          if (mutations.length === 0) {
            // Nothing lost: every request ended, so none is still in flight.
            expect(h.tracker.size.flights).toBe(0);
          }
          h.tracker.sweep(finalSweepTime(events));
          expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });

          const perRequest = new Map<string, number>();
          for (const { exchange } of h.emitted) {
            const n = numberOf(exchange.url) ?? '?';
            perRequest.set(n, (perRequest.get(n) ?? 0) + 1);
          }
          if (!mutations.some((m) => m.what === 'repeat')) for (const count of perRequest.values()) expect(count).toBe(1);
          recorded += h.emitted.length;

          if (name === 'Chromium') {
            const last = endsOf(events);
            for (const { exchange, diagnosis } of h.emitted) {
              // A request Chromium completed passed CORS: at most a warning is kept, and only with a preflight.
              if (exchange.error === undefined) {
                expect(isWarningReason(diagnosis.reason)).toBe(true);
                expect(exchange.preflight).toBeDefined();
              }
              if (mutations.length === 0 && last.get(numberOf(exchange.url) ?? '') === 'completed') expect(isWarningReason(diagnosis.reason)).toBe(true);
            }
          }
        }),
        params(runs(400, 0.2)),
      );
      // The sequences reach the classifier and produce records.
      expect(recorded).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------------------
// Chaos: any event, any id, any order, any time

const chaosEvent: fc.Arbitrary<TrackerEvent> = fc
  .record({
    kind: fc.constantFrom('send', 'headers', 'completed', 'error', 'navigate'),
    requestId: fc.oneof(fc.constantFrom('1', '2', '3', '4'), hostileString),
    url: fc.oneof(fc.constantFrom(`${API}/x`, `${PAGE}/x`, 'data:,x', 'blob:http://api.test/1', 'file:///x', 'chrome-extension://x/y', ''), hostileString),
    method: fc.oneof(fc.constantFrom('GET', 'OPTIONS', 'PUT'), hostileString),
    tabId: fc.integer({ min: -1, max: 3 }),
    frameId: fc.integer({ min: -1, max: 2 }),
    type: fc.constantFrom('xmlhttprequest', 'font', 'main_frame', 'other', ''),
    initiator: fc.option(fc.oneof(fc.constantFrom(PAGE, 'null', API), hostileString), { nil: undefined }),
    time: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0, max: 2_000_000 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0, 2 ** 53) }),
    headers: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('origin', 'access-control-request-method', 'access-control-allow-origin', 'sec-fetch-mode', 'location'), hostileString),
        fc.oneof(fc.constantFrom(PAGE, 'GET', 'PUT', '*', 'cors', '/next', 'http://[', 'http://u:p@api.test/'), hostileString),
      ),
      { maxLength: 6 },
    ),
    status: fc.oneof(fc.constantFrom(200, 204, 302, 404), fc.integer({ min: -5, max: 1_000 })),
    error: fc.oneof(fc.constantFrom('net::ERR_FAILED', 'net::ERR_ABORTED', 'NS_ERROR_DOM_BAD_URI', 'NS_BINDING_ABORTED'), hostileString),
    fromCache: fc.boolean(),
  })
  .map((r) => {
    const base = { requestId: r.requestId, url: r.url, method: r.method, tabId: r.tabId, frameId: r.frameId, type: r.type, time: r.time, ...(r.initiator === undefined ? {} : { initiator: r.initiator }) };
    switch (r.kind) {
      case 'send':
        return { ...base, kind: 'send', headers: r.headers };
      case 'headers':
        return { ...base, kind: 'headers', status: r.status, headers: r.headers, fromCache: r.fromCache };
      case 'completed':
        return { ...base, kind: 'completed', status: r.status };
      case 'error':
        return { ...base, kind: 'error', error: r.error };
      default:
        return { kind: 'navigate', tabId: r.tabId, url: r.url, time: r.time };
    }
  });

describe.each([
  ['Chromium', chromeProfile.facts],
  ['Firefox', firefoxProfile.facts],
] as const)('the tracker in %s on chaos', (name, facts) => {
  it(
    'never throws; a completed request is never a failure in Chromium; the sweep empties it',
    () => {
      fc.assert(
        fc.property(fc.array(chaosEvent, { maxLength: 80 }), (events) => {
          const h = harness(facts);
          for (const e of events) h.tracker.handle(e);
          h.tracker.sweep(finalSweepTime(events));
          expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
          for (const { exchange, diagnosis } of h.emitted) {
            expect(typeof diagnosis.reason).toBe('string');
            expect(() => JSON.stringify(exchange)).not.toThrow();
            if (name === 'Chromium' && exchange.error === undefined) expect(isWarningReason(diagnosis.reason)).toBe(true);
          }
        }),
        params(runs(600, 0.2)),
      );
    },
    TIMEOUT,
  );
});
