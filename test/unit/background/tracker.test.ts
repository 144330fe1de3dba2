// The tracker on hand-written event sequences: the orders and edge cases the recordings do not cover
// (Firefox's order, lost events, orphans, the sweep), with the real classifier behind it.
import { describe, expect, it } from 'vitest';
import { chromeProfile } from '../../../src/background/adapter-chrome.ts';
import { firefoxProfile } from '../../../src/background/adapter-firefox.ts';
import { corsLogic } from '../../../src/background/cors-logic.ts';
import type { EngineFacts, RequestFacts, TrackerEvent } from '../../../src/background/events.ts';
import { LIMITS, Tracker } from '../../../src/background/tracker.ts';
import type { Diagnosis } from '../../../src/cors/diagnosis.ts';
import type { Exchange, HeaderList } from '../../../src/cors/exchange.ts';

const PAGE = 'http://app.test';
const API = 'http://api.test/items';

function harness(facts: EngineFacts = chromeProfile.facts) {
  const emitted: Array<{ exchange: Exchange; diagnosis: Diagnosis }> = [];
  let classified = 0;
  const tracker = new Tracker(
    facts,
    {
      ...corsLogic,
      classify: (ex) => {
        classified++;
        return corsLogic.classify(ex);
      },
    },
    (exchange, diagnosis) => emitted.push({ exchange, diagnosis }),
  );
  return {
    tracker,
    emitted,
    get classified() {
      return classified;
    },
    feed: (...events: TrackerEvent[]) => {
      for (const e of events) tracker.handle(e);
    },
  };
}

let clock = 1_000_000;
function base(requestId: string, method: string, url = API, extra: Partial<RequestFacts> = {}): RequestFacts {
  clock += 10;
  return { requestId, url, method, tabId: 3, frameId: 0, type: 'xmlhttprequest', initiator: PAGE, time: clock, ...extra };
}
const send = (id: string, method: string, headers: HeaderList, url = API, extra: Partial<RequestFacts> = {}): TrackerEvent => ({
  ...base(id, method, url, extra),
  kind: 'send',
  headers,
});
const headers = (id: string, method: string, status: number, h: HeaderList, url = API): TrackerEvent => ({
  ...base(id, method, url),
  kind: 'headers',
  status,
  headers: h,
});
const completed = (id: string, method: string, status: number, url = API): TrackerEvent => ({ ...base(id, method, url), kind: 'completed', status });
const error = (id: string, method: string, err: string, url = API, extra: Partial<RequestFacts> = {}): TrackerEvent => ({
  ...base(id, method, url, extra),
  kind: 'error',
  error: err,
});

const corsGet: HeaderList = [
  ['origin', PAGE],
  ['sec-fetch-mode', 'cors'],
];
const preflightPut: HeaderList = [
  ['access-control-request-method', 'PUT'],
  ['origin', PAGE],
  ['sec-fetch-mode', 'cors'],
];
const okPreflight: HeaderList = [
  ['access-control-allow-origin', PAGE],
  ['access-control-allow-methods', 'PUT'],
];

describe('Tracker', () => {
  it('Firefox order: the actual request fails before its preflight ends, and waits for it', () => {
    const h = harness(firefoxProfile.facts);
    h.feed(
      send('10', 'OPTIONS', preflightPut),
      headers('10', 'OPTIONS', 200, [['content-type', 'text/plain']]),
      error('9', 'PUT', 'NS_ERROR_DOM_BAD_URI'),
    );
    expect(h.emitted).toEqual([]);
    h.feed(error('10', 'OPTIONS', 'NS_ERROR_DOM_BAD_URI'));
    expect(h.emitted).toHaveLength(1);
    const { exchange, diagnosis } = h.emitted[0]!;
    expect(exchange.method).toBe('PUT');
    expect(exchange.preflight?.response?.status).toBe(200);
    expect(exchange.preflight?.error).toBe('NS_ERROR_DOM_BAD_URI');
    expect(diagnosis.reason).toBe('CORSMissingAllowOrigin');
    expect(diagnosis.stage).toBe('preflight');
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('Firefox: a blocked simple request that "completes" with 200 is classified and recorded', () => {
    const h = harness(firefoxProfile.facts);
    h.feed(send('1', 'GET', [['origin', PAGE]]), headers('1', 'GET', 200, [['content-type', 'application/json']]), completed('1', 'GET', 200));
    expect(h.emitted.map((e) => e.diagnosis.reason)).toEqual(['CORSMissingAllowOrigin']);
  });

  it('Chromium: a completed request without a preflight is not even classified (it passed)', () => {
    const h = harness();
    h.feed(send('1', 'GET', corsGet), headers('1', 'GET', 200, []), completed('1', 'GET', 200));
    expect(h.classified).toBe(0);
    expect(h.emitted).toEqual([]);
  });

  it('a request whose beginning the worker missed (error only, no preflight) is left out', () => {
    const h = harness();
    h.feed(error('77', 'GET', 'net::ERR_FAILED'));
    expect(h.classified).toBe(0);
    expect(h.emitted).toEqual([]);
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('a response seen without its request (the worker restarted in between) still explains a failure', () => {
    const h = harness();
    h.feed(headers('78', 'GET', 200, [['content-type', 'application/json']]), error('78', 'GET', 'net::ERR_FAILED'));
    expect(h.emitted.map((e) => [e.diagnosis.reason, e.exchange.requestHeaders.length, e.exchange.response?.status])).toEqual([
      ['CORSMissingAllowOrigin', 0, 200],
    ]);
    // The same request with a matching ACAO: the error is not CORS's doing, nothing is guessed.
    const ok = harness();
    ok.feed(headers('79', 'GET', 200, [['access-control-allow-origin', PAGE]]), completed('79', 'GET', 200));
    expect(ok.emitted).toEqual([]);
  });

  it('without its request, a completion (its mode unknown) or an OPTIONS (maybe a preflight) is left out', () => {
    const h = harness(firefoxProfile.facts);
    h.feed(headers('80', 'GET', 200, []), completed('80', 'GET', 200));
    h.feed(headers('81', 'OPTIONS', 200, []), error('81', 'OPTIONS', 'NS_ERROR_DOM_BAD_URI'));
    expect(h.emitted).toEqual([]);
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('aborts and the font cache probe record nothing', () => {
    const h = harness();
    h.feed(send('1', 'GET', corsGet), error('1', 'GET', 'net::ERR_ABORTED'));
    h.feed(send('2', 'GET', corsGet, API, { type: 'font' }), error('2', 'GET', 'net::ERR_CACHE_MISS', API, { type: 'font' }));
    expect(h.emitted).toEqual([]);
    const f = harness(firefoxProfile.facts);
    f.feed(send('1', 'GET', corsGet), error('1', 'GET', 'NS_BINDING_ABORTED'));
    expect(f.emitted).toEqual([]);
  });

  it('requests that are not CORS candidates are forgotten at once and never classified', () => {
    const h = harness(firefoxProfile.facts);
    h.feed(
      send('1', 'GET', [['sec-fetch-mode', 'no-cors']], API, { type: 'image' }),
      send('2', 'GET', [['sec-fetch-mode', 'cors']], `${PAGE}/same-origin`),
      headers('1', 'GET', 200, []),
      headers('2', 'GET', 200, [], `${PAGE}/same-origin`),
      completed('1', 'GET', 200),
      completed('2', 'GET', 200, `${PAGE}/same-origin`),
    );
    expect(h.classified).toBe(0);
    expect(h.emitted).toEqual([]);
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('a same-origin request redirected to another origin becomes a CORS request on its second hop', () => {
    const h = harness();
    const start = `${PAGE}/start`;
    h.feed(
      send('5', 'GET', [['sec-fetch-mode', 'cors']], start),
      headers('5', 'GET', 302, [['location', API]], start),
      send('5', 'GET', [['origin', 'null'], ['sec-fetch-mode', 'cors']], API),
      headers('5', 'GET', 200, []),
      error('5', 'GET', 'net::ERR_FAILED'),
    );
    expect(h.emitted).toHaveLength(1);
    const { exchange } = h.emitted[0]!;
    expect(exchange.url).toBe(start);
    expect(exchange.redirects.map((r) => [r.status, r.from, r.location])).toEqual([[302, start, API]]);
  });

  it('a 3xx that ends the request (redirect: "manual") is the response, not a redirect', () => {
    const h = harness(firefoxProfile.facts);
    h.feed(
      send('6', 'GET', corsGet),
      headers('6', 'GET', 302, [
        ['location', '/elsewhere'],
        ['access-control-allow-origin', PAGE],
      ]),
      completed('6', 'GET', 302),
    );
    expect(h.emitted).toEqual([]);
  });

  it('a preflight on its own is never a record, and an orphan is swept', () => {
    const h = harness();
    h.feed(send('20', 'OPTIONS', preflightPut), headers('20', 'OPTIONS', 204, okPreflight), completed('20', 'OPTIONS', 204));
    expect(h.emitted).toEqual([]);
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 1 });
    h.tracker.sweep(clock + LIMITS.preflight + 1);
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('the sweep finishes an actual request whose preflight never ended, and drops stale requests', () => {
    const h = harness(firefoxProfile.facts);
    h.feed(send('30', 'OPTIONS', preflightPut), error('29', 'PUT', 'NS_ERROR_DOM_BAD_URI'));
    h.feed(send('31', 'GET', corsGet));
    expect(h.emitted).toEqual([]);
    expect(h.tracker.size).toEqual({ flights: 2, preflights: 1 });
    h.tracker.sweep(clock + LIMITS.waiting + 1);
    // The waiting PUT is finished with what was seen; the preflight and the GET are still young.
    expect(h.emitted.map((e) => e.exchange.method)).toEqual(['PUT']);
    expect(h.tracker.size).toEqual({ flights: 2, preflights: 0 });
    h.tracker.sweep(clock + LIMITS.flight + 1);
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('sweeps on its own as time passes in the events', () => {
    const h = harness();
    h.feed(send('40', 'GET', corsGet));
    clock += LIMITS.flight + LIMITS.sweepEvery + 1;
    h.feed(send('41', 'GET', corsGet), error('41', 'GET', 'net::ERR_ABORTED'));
    expect(h.tracker.size).toEqual({ flights: 0, preflights: 0 });
  });

  it('a preflight is matched by method: a PUT does not take a DELETE’s preflight', () => {
    const h = harness();
    const preflightDelete: HeaderList = [['access-control-request-method', 'DELETE'], ...preflightPut.slice(1)];
    h.feed(send('50', 'OPTIONS', preflightDelete), headers('50', 'OPTIONS', 204, []), completed('50', 'OPTIONS', 204));
    h.feed(send('51', 'OPTIONS', preflightPut), headers('51', 'OPTIONS', 204, okPreflight), completed('51', 'OPTIONS', 204));
    h.feed(error('49', 'PUT', 'net::ERR_FAILED'));
    h.feed(error('48', 'DELETE', 'net::ERR_FAILED'));
    expect(h.emitted.map((e) => [e.exchange.method, e.exchange.preflight?.requestHeaders[0]?.[1]])).toEqual([
      ['PUT', 'PUT'],
      ['DELETE', 'DELETE'],
    ]);
  });

  it('preflights are matched per tab and frame', () => {
    const h = harness();
    h.feed(send('60', 'OPTIONS', preflightPut, API, { tabId: 8 }), headers('60', 'OPTIONS', 404, []), completed('60', 'OPTIONS', 404));
    // Same URL in another tab: no preflight there, so nothing to explain.
    h.feed(error('59', 'PUT', 'net::ERR_FAILED'));
    expect(h.emitted).toEqual([]);
    h.feed(error('58', 'PUT', 'net::ERR_FAILED', API, { tabId: 8 }));
    expect(h.emitted.map((e) => e.exchange.tabId)).toEqual([8]);
  });

  it('stores the reduced exchange: secret values never leave the tracker', () => {
    const h = harness();
    h.feed(
      send('70', 'GET', [...corsGet, ['cookie', 'sid=abc123secret'], ['authorization', 'Bearer xyz789secret']]),
      headers('70', 'GET', 200, [['set-cookie', 'sid=def456secret']]),
      error('70', 'GET', 'net::ERR_FAILED'),
    );
    expect(h.emitted).toHaveLength(1);
    expect(JSON.stringify(h.emitted[0]?.exchange)).not.toMatch(/secret/);
  });
});
