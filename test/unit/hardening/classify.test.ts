/**
 * The classifier and the reduction before storage on hostile and malformed input. test/unit/cors/
 * robustness.test.ts covers plain random exchanges with fixed seeds; this adds hostile values (markup,
 * controls, lone surrogates, 100 KB strings, thousands of lines), values of the wrong type, differential
 * checks (the classifier's fast path for clean input against its sanitizing path) and bounds on what is
 * stored. `HARDENING_RUNS=100000` runs classify that many times (npm run bench:fuzz).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCorsCandidate } from '../../../src/cors/candidate.ts';
import { classify } from '../../../src/cors/classify.ts';
import type { Diagnosis } from '../../../src/cors/diagnosis.ts';
import { type Exchange, type HeaderList, REDACTED, SECRET_HEADERS } from '../../../src/cors/exchange.ts';
import { isReasonId } from '../../../src/cors/reasons.ts';
import { MAX_VALUE_BYTES } from '../../../src/cors/redact.ts';
import { reduceExchange } from '../../../src/cors/reduce.ts';
import { sanitizeExchange } from '../../../src/cors/sanitize.ts';
import { exchange, malformedExchange, SECRET_NAMES } from './arbitraries.ts';
import { params, runs, TIMEOUT } from './runs.ts';

/** A cut value is at most the budget plus the marker that names how much was cut. */
const VALUE_LIMIT = MAX_VALUE_BYTES + '…[truncated 9999999 bytes]'.length * 3;
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function expectWellFormed(d: Diagnosis): void {
  expect(isReasonId(d.reason)).toBe(true);
  expect(typeof d.engineName).toBe('string');
  expect(['preflight', 'actual', 'redirect', 'network']).toContain(d.stage);
  expect(['certain', 'inferred']).toContain(d.certainty);
  expect(d.alternatives.every(isReasonId)).toBe(true);
  expect(d.alternatives).not.toContain(d.reason);
  expect(Array.isArray(d.evidence) && Array.isArray(d.findings)).toBe(true);
  // What is stored beside the record is bounded however big the server's values were.
  for (const e of d.evidence) if (e.got !== null) expect(bytes(e.got)).toBeLessThanOrEqual(VALUE_LIMIT);
  if (d.culprit?.value !== undefined) expect(bytes(d.culprit.value)).toBeLessThanOrEqual(VALUE_LIMIT);
  expect(() => JSON.stringify(d)).not.toThrow();
}

function headerLists(x: Exchange): HeaderList[] {
  const lists: HeaderList[] = [x.requestHeaders];
  if (x.response) lists.push(x.response.headers);
  if (x.preflight) {
    lists.push(x.preflight.requestHeaders);
    if (x.preflight.response) lists.push(x.preflight.response.headers);
  }
  for (const r of x.redirects) lists.push(r.headers);
  return lists;
}

describe('classify on hostile input', () => {
  it(
    'never throws and answers null or a well-formed, bounded diagnosis',
    () => {
      let diagnosed = 0;
      fc.assert(
        fc.property(exchange, (x) => {
          const d = classify(x);
          if (d === null) return;
          diagnosed++;
          expectWellFormed(d);
          if (!isCorsCandidate(x)) throw new Error('diagnosed a request that is not a CORS candidate');
        }),
        params(runs(1_500)),
      );
      // The generator reaches the checks: a fair share of cases get a diagnosis.
      expect(diagnosed).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'never throws on values of the wrong type, and reads them as their sanitized form',
    () => {
      fc.assert(
        fc.property(malformedExchange, (x) => {
          const d = classify(x as Exchange);
          if (d !== null) expectWellFormed(d);
          // The fast path for clean input and the sanitizing path must agree.
          expect(classify(sanitizeExchange(x as Exchange))).toEqual(d);
        }),
        params(runs(1_000, 0.2)),
      );
    },
    TIMEOUT,
  );

  it(
    'agrees with itself on the sanitized copy (fast path vs sanitizing path) and is deterministic',
    () => {
      fc.assert(
        fc.property(exchange, (x) => {
          const d = classify(x);
          expect(classify(x)).toEqual(d);
          expect(classify(sanitizeExchange(x))).toEqual(d);
          // Header names in another case are the same headers.
          const shouted = { ...x, requestHeaders: x.requestHeaders.map(([n, v]) => [n.toUpperCase(), v] as const) };
          if (x.requestHeaders.every(([n]) => n === n.toLowerCase() && n.toUpperCase().toLowerCase() === n)) {
            expect(classify(shouted)).toEqual(d);
          }
        }),
        params(runs(600, 0.2)),
      );
    },
    TIMEOUT,
  );
});

describe('reduceExchange (what is stored) on hostile input', () => {
  it(
    'never throws, never changes its input, keeps no secret value and bounds every value',
    () => {
      fc.assert(
        fc.property(exchange, (x) => {
          const before = JSON.stringify(x);
          const r = reduceExchange(x);
          expect(JSON.stringify(x)).toBe(before);
          for (const list of headerLists(r)) {
            const perName = new Map<string, number>();
            for (const [name, value] of list) {
              expect(name).toBe(name.toLowerCase());
              if (SECRET_HEADERS.has(name)) expect(value).toBe(REDACTED);
              expect(bytes(value)).toBeLessThanOrEqual(VALUE_LIMIT);
              perName.set(name, (perName.get(name) ?? 0) + 1);
            }
            for (const n of perName.values()) expect(n).toBeLessThanOrEqual(8);
          }
          for (const u of [r.url, r.documentUrl ?? '', r.preflight?.redirectedTo ?? '', ...r.redirects.flatMap((h) => [h.from, h.location])]) {
            expect(bytes(u)).toBeLessThanOrEqual(VALUE_LIMIT);
          }
        }),
        params(runs(300, 0.05)),
      );
    },
    TIMEOUT,
  );

  it(
    'a secret header value never survives, whatever the case of its name or where it is',
    () => {
      const secret = fc.stringMatching(/^[A-Za-z0-9]{16,32}$/).map((s) => `SECRET${s}`);
      fc.assert(
        fc.property(exchange, secret, fc.constantFrom(...SECRET_NAMES), fc.constantFrom('lower', 'upper', 'mixed'), (x, value, name, kase) => {
          const n = kase === 'lower' ? name : kase === 'upper' ? name.toUpperCase() : name.replace(/^./, (c) => c.toUpperCase());
          const line = [n, value] as const;
          const withSecret: Exchange = {
            ...x,
            requestHeaders: [...x.requestHeaders, line],
            response: { status: 200, headers: [line, ...(x.response?.headers ?? [])] },
            preflight: { requestHeaders: [line], response: { status: 204, headers: [line] } },
            redirects: [{ status: 302, from: x.url, location: x.url, headers: [line] }],
          };
          expect(JSON.stringify(reduceExchange(withSecret))).not.toContain(value);
        }),
        params(runs(400, 0.05)),
      );
    },
    TIMEOUT,
  );

  it(
    'stays bounded for thousands of header lines: the stored size does not grow with them',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom('x-junk-', 'access-control-junk-', 'access-control-allow-origin'),
          fc.integer({ min: 500, max: 4_000 }),
          fc.integer({ min: 1, max: 3_000 }),
          (prefix, lines, valueLength) => {
            const many: HeaderList = Array.from({ length: lines }, (_, i) => [prefix.endsWith('-') ? `${prefix}${i}` : prefix, 'v'.repeat(valueLength)]);
            const x: Exchange = {
              engine: 'chromium',
              tabId: 1,
              frameId: 0,
              type: 'xmlhttprequest',
              initiator: 'http://page.test',
              method: 'GET',
              url: 'http://api.test/x',
              requestHeaders: [['origin', 'http://page.test']],
              redirects: [],
              response: { status: 200, headers: many },
              preflight: { requestHeaders: [], response: { status: 204, headers: many } },
              error: 'net::ERR_FAILED',
              startedAt: 0,
              endedAt: 1,
            };
            // Two lists of up to 4 000 lines: at most a few dozen entries each, however many names.
            expect(bytes(JSON.stringify(reduceExchange(x)))).toBeLessThan(300_000);
            expect(reduceExchange(x).response?.headers.length).toBeLessThanOrEqual(64);
          },
        ),
        params(runs(40, 0.0005)),
      );
    },
    TIMEOUT,
  );

  it(
    'never throws on values of the wrong type; the result is a well-typed exchange',
    () => {
      fc.assert(
        fc.property(malformedExchange, (x) => {
          const r = reduceExchange(x as Exchange);
          expect(['chromium', 'gecko']).toContain(r.engine);
          expect(typeof r.url).toBe('string');
          expect(typeof r.method).toBe('string');
          expect(Number.isFinite(r.startedAt) && Number.isFinite(r.endedAt)).toBe(true);
          for (const list of headerLists(r)) for (const [n, v] of list) expect(typeof n === 'string' && typeof v === 'string').toBe(true);
          // Storage keeps plain data only: it survives a JSON round trip (-0 aside, which JSON writes as 0).
          const json = JSON.stringify(r);
          expect(JSON.stringify(JSON.parse(json))).toBe(json);
        }),
        params(runs(800, 0.1)),
      );
    },
    TIMEOUT,
  );
});

describe('sanitizeExchange on malformed input', () => {
  it(
    'never throws, is idempotent, and never picks up prototype pollution',
    () => {
      fc.assert(
        fc.property(malformedExchange, (x) => {
          const once = sanitizeExchange(x as Exchange);
          expect(sanitizeExchange(once)).toEqual(once);
          expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
          expect(Object.getPrototypeOf(once)).toBe(Object.prototype);
        }),
        params(runs(800, 0.1)),
      );
    },
    TIMEOUT,
  );
});
