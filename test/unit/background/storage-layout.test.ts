// The stored form of a record: compact, and decoded back to exactly the record that was stored.
import { describe, expect, it } from 'vitest';
import {
  decodeChunk,
  decodeRecord,
  encodeChunk,
  encodeRecord,
  HEADER_NAMES,
  metaKey,
  parseMeta,
  SHORT_KEYS,
  tabFromItems,
  tabIdOfKey,
  tabsFromItems,
} from '../../../src/background/storage-layout.ts';
import type { Diagnosis } from '../../../src/cors/diagnosis.ts';
import type { Exchange } from '../../../src/cors/exchange.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { diagnosis, exchange } from './fakes.ts';

function record(tabId: number, seq: number, x: Exchange, d: Diagnosis): CorsRecord {
  return { id: `${tabId}:${seq}`, tabId, seq, exchange: x, diagnosis: d };
}

/** Through JSON, as storage.session keeps it. */
const roundTrip = (r: CorsRecord) => decodeRecord(r.tabId, JSON.parse(JSON.stringify(encodeRecord(r))));

const rich: CorsRecord = record(
  42,
  7,
  {
    engine: 'gecko',
    tabId: 42,
    frameId: 3,
    type: 'xmlhttprequest',
    initiator: 'https://app.example',
    documentUrl: 'https://app.example/page',
    method: 'PUT',
    url: 'https://api.example/v1/items?x=1',
    requestHeaders: [
      ['origin', 'https://app.example'],
      ['cookie', '(present, value not recorded)'],
      ['x-custom-thing', ''],
      ['x-custom-thing', 'again'],
      ['user-agent', ''],
    ],
    preflight: {
      requestHeaders: [['access-control-request-method', 'PUT']],
      response: { status: 204, headers: [['access-control-allow-origin', '*'], ['access-control-allow-methods', 'GET, POST']], fromCache: false, ip: '10.0.0.2' },
      error: 'NS_ERROR_DOM_BAD_URI',
      redirectedTo: 'https://elsewhere.example/',
    },
    redirects: [{ status: 307, from: 'https://api.example/old', location: 'https://api.example/v1/items', headers: [['location', '/v1/items'], ['date', '']] }],
    response: { status: 0, headers: [] },
    error: 'NS_ERROR_DOM_BAD_URI',
    startedAt: 1795312280649.22,
    endedAt: 1795312280652.277,
  },
  {
    reason: 'CORSMethodNotFound',
    engineName: 'CORSMethodNotFound',
    stage: 'preflight',
    certainty: 'inferred',
    alternatives: ['CORSNotSupportingCredentials'],
    unseen: 'credentials-mode',
    culprit: { kind: 'method', name: 'PUT', value: 'PUT' },
    evidence: [
      { stage: 'preflight', header: 'access-control-allow-methods', got: 'GET, POST', needed: 'PUT', ok: false },
      { stage: 'preflight', header: ':status', got: null, needed: '2xx', ok: true },
    ],
    findings: [
      { code: 'http-error-status', stage: 'preflight', status: 500 },
      { code: 'credentials-sent', via: 'cookie' },
      { code: 'null-origin-after-redirect', redirectCount: 2 },
      { code: 'local-network', address: '10.0.0.2' },
      { code: 'preflight-reason', cause: 'header', value: 'x-custom-thing' },
      { code: 'header-value-truncated', header: 'access-control-allow-headers' },
      { code: 'network-error', error: 'NS_ERROR_NET_RESET' },
    ],
  },
);

describe('record encoding', () => {
  it('decodes to exactly the record, for a record that uses every field', () => {
    expect(roundTrip(rich)).toEqual(rich);
    const simple = record(5, 1, exchange(5, 1000), diagnosis());
    expect(roundTrip(simple)).toEqual(simple);
  });

  it('keeps empty lists empty and absent fields absent', () => {
    const r = record(5, 2, { ...exchange(5, 1000), redirects: [], response: undefined }, diagnosis());
    const back = roundTrip(r);
    expect(back?.exchange.redirects).toEqual([]);
    expect(back?.diagnosis.findings).toEqual([]);
    expect(back?.diagnosis.evidence).toEqual([]);
    expect(back?.diagnosis.alternatives).toEqual([]);
    expect(back && 'response' in back.exchange).toBe(false);
    expect(back && 'culprit' in back.diagnosis).toBe(false);
  });

  it('keeps property names it has no short key for, and header values exactly (empty, odd, numeric-looking)', () => {
    const x = { ...exchange(5, 1000), somethingNew: { nested: [1, 'two'] } } as Exchange;
    const headers: Array<[string, string]> = [
      ['origin', ''],
      ['0', '1'],
      ['content-type', ' text/plain ;charset=UTF-8'],
      ['x-\u00e9', '\u00ff\u0000'],
    ];
    const r = record(5, 3, { ...x, requestHeaders: headers }, diagnosis());
    expect(roundTrip(r)).toEqual(r);
  });

  it('stores a typical failure in well under 1 KB, a good deal smaller than its JSON', () => {
    const r = record(1234567, 812, exchange(1234567, 1795312280649.22), {
      ...diagnosis(),
      evidence: [{ stage: 'actual', header: 'access-control-allow-origin', got: null, needed: 'http://page.test', ok: false }],
      culprit: { kind: 'header', name: 'access-control-allow-origin' },
    });
    const plain = JSON.stringify(r).length;
    const stored = JSON.stringify(encodeRecord(r)).length;
    expect(stored).toBeLessThan(plain * 0.75);
    expect(JSON.stringify(encodeRecord(r))).not.toContain('exchange');
  });

  it('has one distinct short key per name, and no short key can be taken for a kept long name', () => {
    const shorts = Object.values(SHORT_KEYS);
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const s of shorts) expect(s.startsWith('_')).toBe(false);
    expect(new Set(HEADER_NAMES).size).toBe(HEADER_NAMES.length);
  });

  it('rejects stored values that are not records', () => {
    for (const v of [null, 3, 'x', [], {}, { q: 1 }, { q: 'a', x: {}, d: {} }, { q: 1, x: { u: 5 }, d: { r: 'CORSMissingAllowOrigin' } }]) {
      expect(decodeRecord(1, v)).toBeUndefined();
    }
  });
});

describe('chunks', () => {
  it('are JSON text that decodes to the records, skipping what cannot be read', () => {
    const r1 = record(3, 1, exchange(3, 1), diagnosis());
    const text = encodeChunk([r1, rich]);
    expect(typeof text).toBe('string');
    expect(decodeChunk(3, text)).toEqual([r1, { ...rich, id: '3:7', tabId: 3, exchange: { ...rich.exchange, tabId: 3 } }]);
    expect(decodeChunk(3, JSON.stringify([encodeRecord(r1), { q: 'x' }, 5]))).toEqual([r1]);
    for (const bad of ['{', '"a"', undefined, 7, null]) expect(decodeChunk(3, bad)).toEqual([]);
  });
});

describe('keys and headers', () => {
  it('finds the tab of its keys and of no other', () => {
    expect(tabIdOfKey('tab:12:meta')).toBe(12);
    expect(tabIdOfKey('tab:12:c:3')).toBe(12);
    for (const k of ['tab:12', 'tab::meta', 'inspected', 'settings', 'tab:x:meta', 'tabs:1:meta']) expect(tabIdOfKey(k)).toBeUndefined();
  });

  it('accepts only well-formed headers', () => {
    expect(parseMeta({ nextSeq: 5, dropped: 0, firstChunk: 2, lastChunk: 1 })).toEqual({ nextSeq: 5, dropped: 0, firstChunk: 2, lastChunk: 1 });
    for (const v of [undefined, null, {}, { nextSeq: 1, dropped: -1, firstChunk: 0, lastChunk: 0 }, { nextSeq: 1, dropped: 0, firstChunk: 4, lastChunk: 1 }]) {
      expect(parseMeta(v)).toBeUndefined();
    }
  });

  it('reads tabs back from a storage dump, skipping chunks outside the header range', () => {
    const r1 = record(3, 1, exchange(3, 1), diagnosis());
    const r2 = record(3, 2, exchange(3, 2), diagnosis());
    const items = {
      [metaKey(3)]: { nextSeq: 3, dropped: 4, firstChunk: 1, lastChunk: 2 },
      'tab:3:c:0': encodeChunk([record(3, 99, exchange(3, 0), diagnosis())]),
      'tab:3:c:1': encodeChunk([r1]),
      'tab:3:c:2': encodeChunk([r2]),
      'tab:8:c:0': encodeChunk([r1]),
      settings: {},
    };
    expect(tabFromItems(items, 3)).toEqual({ tabId: 3, records: [r1, r2], dropped: 4, nextSeq: 3 });
    expect(tabFromItems(items, 8)).toBeUndefined();
    expect(tabsFromItems(items).map((t) => t.tabId)).toEqual([3]);
  });
});
