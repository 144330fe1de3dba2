// Section 1: the classifier's throughput and the tracker's cost per request, in Node, on one core.
// Input: the event sequences recorded from the lab in Chromium (test/fixtures/events/chromium), replayed
// through the real tracker; the exchanges it hands to classify() are the realistic mix.
import { readdirSync, readFileSync } from 'node:fs';
import { median, spread } from './stats.mjs';

const FIXTURES = new URL('../test/fixtures/events/chromium/', import.meta.url);

/** @returns {Array<{ name: string, events: any[] }>} */
export function loadFixtures() {
  return readdirSync(FIXTURES)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(new URL(n, FIXTURES), 'utf8')));
}

/**
 * Replays every fixture and keeps each exchange the tracker classifies.
 * `everyResponse`: classify completions too (what the tracker does where a blocked request can look
 * successful, Firefox): the mix then holds passing CORS exchanges as well as failures.
 * @param {any} m the bundled entries @param {any[]} fixtures @param {boolean} everyResponse
 */
export function collectExchanges(m, fixtures, everyResponse) {
  /** @type {any[]} */
  const exchanges = [];
  const logic = {
    ...m.corsLogic,
    classify: (/** @type {any} */ ex) => {
      exchanges.push(structuredClone(ex));
      return m.corsLogic.classify(ex);
    },
  };
  const facts = everyResponse ? { ...m.chromeProfile.facts, blockedMayComplete: true } : m.chromeProfile.facts;
  for (const fixture of fixtures) {
    const tracker = new m.Tracker(facts, logic, () => undefined);
    for (const event of fixture.events) tracker.handle(event);
  }
  return exchanges;
}

/**
 * Runs `work(iterations)` in batches of about `batchMs` for `totalMs` after a warm-up; returns the
 * operations per second of each batch.
 * @param {(n: number) => number} work returns the operations done
 * @param {{ totalMs?: number, batchMs?: number, warmMs?: number }} [o]
 */
export function timeBatches(work, { totalMs = 2000, batchMs = 100, warmMs = 400 } = {}) {
  let n = 1;
  const warmEnd = performance.now() + warmMs;
  // Warm up and size a batch.
  while (performance.now() < warmEnd) {
    const t = performance.now();
    work(n);
    const dt = performance.now() - t;
    if (dt < batchMs / 4) n *= 2;
  }
  const rates = [];
  const end = performance.now() + totalMs;
  while (performance.now() < end) {
    const t = performance.now();
    const ops = work(n);
    const dt = performance.now() - t;
    rates.push((ops / dt) * 1000);
  }
  return rates;
}

/** @param {number[]} rates */
function summary(rates) {
  return { median: median(rates), ...spread(rates), batches: rates.length };
}

let sink = 0;

/** @param {any} m @param {{ totalMs?: number }} [o] */
export function classifierThroughput(m, o = {}) {
  const fixtures = loadFixtures();
  const failuresOnly = collectExchanges(m, fixtures, false);
  const everyResponse = collectExchanges(m, fixtures, true);
  const classifyAll = (/** @type {any[]} */ list) => (/** @type {number} */ n) => {
    let ops = 0;
    for (let r = 0; r < n; r++) {
      for (const ex of list) {
        const d = m.classify(ex);
        sink += d === null ? 1 : d.reason.length;
        ops++;
      }
    }
    return ops;
  };
  const reduceAll = (/** @type {any[]} */ list) => (/** @type {number} */ n) => {
    let ops = 0;
    for (let r = 0; r < n; r++) {
      for (const ex of list) {
        sink += m.reduceExchange(ex).requestHeaders.length;
        ops++;
      }
    }
    return ops;
  };
  const failing = everyResponse.filter((ex) => m.classify(ex)?.reason && ex.error !== undefined).length;
  return {
    mix: {
      exchanges: everyResponse.length,
      failing,
      fixtures: fixtures.length,
      failuresOnlyExchanges: failuresOnly.length,
    },
    classifyMixed: summary(timeBatches(classifyAll(everyResponse), o)),
    classifyFailures: summary(timeBatches(classifyAll(failuresOnly), o)),
    reduce: summary(timeBatches(reduceAll(failuresOnly), o)),
    sink,
  };
}

/**
 * N requests' worth of normalised events: the fixtures' sequences repeated, each copy in its own tab with
 * its own request ids, so that copies never match each other's preflights.
 * @param {any[]} fixtures @param {number} copies
 */
export function eventStream(fixtures, copies) {
  const base = fixtures.flatMap((f) => f.events.filter((/** @type {any} */ e) => e.kind !== 'navigate'));
  const t0 = Math.min(...base.map((e) => e.time));
  /** @type {any[]} */
  const events = [];
  const ids = new Set();
  for (let k = 0; k < copies; k++) {
    for (const e of base) {
      // Fixture times are ~seconds apart; squeeze each copy into its own millisecond window range.
      const copy = { ...e, requestId: `${k}:${e.requestId}`, tabId: 1000 + k, time: t0 + k * 50 + (e.time - t0) / 1000 };
      ids.add(copy.requestId);
      events.push(copy);
    }
  }
  return { events, requests: ids.size };
}

/** @param {any} m @param {{ totalMs?: number }} [o] */
export function trackerCost(m, o = {}) {
  const fixtures = loadFixtures();
  const { events, requests } = eventStream(fixtures, 100);
  const stubLogic = { ...m.corsLogic, classify: () => null };
  let emitted = 0;
  const run = (/** @type {any} */ logic) => (/** @type {number} */ n) => {
    for (let r = 0; r < n; r++) {
      const tracker = new m.Tracker(m.chromeProfile.facts, logic, () => emitted++);
      for (const e of events) tracker.handle(e);
      sink += tracker.size.flights;
    }
    return n * requests;
  };
  const full = timeBatches(run(m.corsLogic), o);
  const assembly = timeBatches(run(stubLogic), o);

  // The adapter's share: webRequest details (as the browser gives them) → normalised events.
  const raw = events.slice(0, 20_000).map(toDetails);
  const adapt = (/** @type {number} */ n) => {
    for (let r = 0; r < n; r++) {
      for (const d of raw) {
        if (d.requestHeaders) sink += m.copyHeaders(d.requestHeaders, () => true).length;
        if (d.responseHeaders) sink += m.copyHeaders(d.responseHeaders, () => true).length;
      }
    }
    return n * raw.length;
  };
  const adapter = timeBatches(adapt, o);
  const eventsPerRequest = events.length / requests;
  return {
    requests,
    events: events.length,
    eventsPerRequest,
    emittedPerRun: emitted > 0 ? undefined : 0,
    fullUsPerRequest: 1e6 / median(full),
    assemblyUsPerRequest: 1e6 / median(assembly),
    adapterHeaderCopyUsPerEvent: 1e6 / median(adapter),
    requestsPerSecond: median(full),
  };
}

/** A normalised event back into the shape of webRequest details (header names in their usual case). */
function toDetails(/** @type {any} */ e) {
  const headers = e.headers?.map((/** @type {[string, string]} */ [name, value]) => ({ name: name.replace(/(^|-)([a-z])/g, (_, a, b) => a + b.toUpperCase()), value }));
  return e.kind === 'send' ? { ...e, requestHeaders: headers } : e.kind === 'headers' ? { ...e, responseHeaders: headers } : e;
}
