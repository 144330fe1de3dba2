import fc from 'fast-check';
import { classify, originAtHop } from '../../../src/cors/classify.ts';
import { type Exchange, type HeaderList, REDACTED } from '../../../src/cors/exchange.ts';
import { REASON_IDS } from '../../../src/cors/reasons.ts';
import type { CorsRecord } from '../../../src/cors/record.ts';
import { buildFix, fixHeaderLines, isEmptyFix, PREFLIGHT_MAX_AGE, verdictText } from '../../../src/explain/index.ts';
import type { Fix } from '../../../src/explain/types.ts';
import { API, classified, EXCHANGES, exchange, PAGE, preflight, representative, response, type ScenarioName, scenario, THIRD } from './fixtures.ts';

const get = (headers: HeaderList | undefined, name: string) =>
  headers?.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
const one = (headers: HeaderList | undefined, name: string) => {
  const values = get(headers, name) ?? [];
  expect(values.length).toBeLessThanOrEqual(1);
  return values[0];
};

describe('buildFix, reason by reason', () => {
  it('missing ACAO on a simple GET: the page origin and Vary on the response, nothing else', () => {
    expect(buildFix(scenario('missingAllowOriginGet'))).toEqual({
      credentials: false,
      actual: {
        setHeaders: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Vary', 'Origin'],
        ],
      },
    });
  });

  it('missing ACAO on a 500: the headers, and the server error noted', () => {
    const fix = buildFix(scenario('missingAllowOrigin500'));
    expect(one(fix.actual?.setHeaders, 'access-control-allow-origin')).toBe(PAGE);
    expect(fix.other).toBe('fix-server-error');
  });

  it('preflight answered 404: OPTIONS answers 204 with method, headers and max-age; the response gets ACAO', () => {
    const fix = buildFix(scenario('missingAllowOriginPreflight404'));
    expect(fix.preflight).toEqual({
      status: 204,
      setHeaders: [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE)],
      ],
    });
    expect(one(fix.actual?.setHeaders, 'access-control-allow-origin')).toBe(PAGE);
    expect(fix.client).toBeUndefined();
    // A 404 on OPTIONS is only an unhandled preflight: the 204 above answers it.
    expect(fix.other).toBeUndefined();
  });

  it('origin mismatch: the exact page origin', () => {
    for (const name of ['allowOriginMismatch', 'allowOriginTrailingSlash', 'invalidAllowOrigin'] as const) {
      expect(one(buildFix(scenario(name)).actual?.setHeaders, 'access-control-allow-origin')).toBe(PAGE);
    }
  });

  it('Origin: null after a cross-origin redirect: null on the final URL, or call the final URL', () => {
    const fix = buildFix(scenario('nullOriginAfterRedirect'));
    expect(one(fix.actual?.setHeaders, 'access-control-allow-origin')).toBe('null');
    expect(fix.actual?.url).toBe(`${THIRD}/s/x/target?n=1`);
    expect(fix.client).toEqual({ kind: 'use-final-url', detail: `${THIRD}/s/x/target?n=1` });
  });

  it('more than one ACAO: remove, then one value', () => {
    const fix = buildFix(scenario('multipleAllowOrigin'));
    expect(fix.actual?.removeHeaders).toEqual(['Access-Control-Allow-Origin']);
    expect(get(fix.actual?.setHeaders, 'access-control-allow-origin')).toEqual([PAGE]);
  });

  it('credentials: exact origin and Access-Control-Allow-Credentials: true, never *', () => {
    for (const name of ['credentialsWithWildcard', 'credentialsMissingAllowCredentials'] as const) {
      const fix = buildFix(scenario(name));
      expect(fix.credentials).toBe(true);
      expect(one(fix.actual?.setHeaders, 'access-control-allow-origin')).toBe(PAGE);
      expect(one(fix.actual?.setHeaders, 'access-control-allow-credentials')).toBe('true');
      expect(fix.client?.kind).toBe('omit-credentials');
    }
  });

  it('credentialed preflight: ACAC on the preflight and on the response', () => {
    const fix = buildFix(scenario('preflightMissingAllowCredentials'));
    expect(one(fix.preflight?.setHeaders, 'access-control-allow-credentials')).toBe('true');
    expect(one(fix.preflight?.setHeaders, 'access-control-allow-methods')).toBe('DELETE');
    expect(one(fix.actual?.setHeaders, 'access-control-allow-credentials')).toBe('true');
  });

  it('methods: adds the method, keeps valid ones, drops malformed and wrong-case entries', () => {
    expect(one(buildFix(scenario('methodNotAllowed')).preflight?.setHeaders, 'access-control-allow-methods')).toBe('GET, POST, PUT');
    expect(one(buildFix(scenario('methodCaseMismatch')).preflight?.setHeaders, 'access-control-allow-methods')).toBe('get, post, PATCH');
    expect(one(buildFix(scenario('invalidAllowMethod')).preflight?.setHeaders, 'access-control-allow-methods')).toBe('GET, PUT');
  });

  it('headers: adds the requested header, keeps valid ones; no * with credentials', () => {
    expect(one(buildFix(scenario('headerNotAllowed')).preflight?.setHeaders, 'access-control-allow-headers')).toBe('content-type, x-token');
    expect(one(buildFix(scenario('invalidAllowHeader')).preflight?.setHeaders, 'access-control-allow-headers')).toBe('content-type, x-token');
    const withCredentials = buildFix(scenario('headerWildcardWithCredentials'));
    expect(one(withCredentials.preflight?.setHeaders, 'access-control-allow-headers')).toBe('x-token');
    expect(one(withCredentials.preflight?.setHeaders, 'access-control-allow-credentials')).toBe('true');
    expect(buildFix(scenario('headerNotAllowed')).client).toEqual({ kind: 'drop-header', detail: 'x-token' });
  });

  it('preflight status: 204, the server error noted, Authorization allowed by name', () => {
    const five = buildFix(scenario('preflightStatus500'));
    expect(five.preflight?.status).toBe(204);
    expect(five.other).toBe('fix-server-error');
    const auth = buildFix(scenario('preflightStatus403'));
    expect(one(auth.preflight?.setHeaders, 'access-control-allow-headers')).toBe('authorization');
    expect(auth.client).toBeUndefined();
  });

  it('preflight redirect: answer OPTIONS in place, or call the final URL', () => {
    const fix = buildFix(scenario('preflightRedirect'));
    expect(fix.preflight?.status).toBe(204);
    expect(fix.redirect).toEqual({ avoid: true, finalUrl: `${API}/s/x/item/?n=1` });
    expect(fix.client).toEqual({ kind: 'use-final-url', detail: `${API}/s/x/item/?n=1` });
  });

  it('redirect to a URL with credentials: remove them; the final URL carries none', () => {
    const fix = buildFix(scenario('redirectContainsCredentials'));
    expect(fix.other).toBe('remove-url-credentials');
    expect(fix.redirect?.finalUrl).toBe(`${API}/s/x/target?n=1`);
    expect(JSON.stringify(fix)).not.toContain('user');
  });

  it('the same redirect in Firefox (CORSDidNotSucceed at the redirect): the same fix, and a verdict that names the redirect', () => {
    const chromium = scenario('redirectContainsCredentials');
    const gecko = classified({ ...EXCHANGES.redirectContainsCredentials(), engine: 'gecko', error: 'NS_ERROR_NET_ON_RECEIVING_FROM' });
    expect([gecko.diagnosis.reason, gecko.diagnosis.stage]).toEqual(['CORSDidNotSucceed', 'redirect']);
    expect(buildFix(gecko)).toEqual(buildFix(chromium));
    for (const locale of ['en', 'ja', 'fr'] as const) {
      const verdict = verdictText(gecko, locale);
      expect(verdict).toContain(`${API}/s/x/target?n=1`);
      expect(verdict).not.toContain('NS_ERROR');
    }
    // A network failure stays one.
    const refused = classified(exchange({ engine: 'gecko', error: 'NS_ERROR_CONNECTION_REFUSED' }));
    expect(buildFix(refused)).toEqual({ other: 'fix-network' });
  });

  it('a redirect hop without ACAO: the hop and the final response, each with its Origin', () => {
    const record = classified(
      exchange({
        url: `${API}/s/x/start?n=1`,
        redirects: [{ status: 302, from: `${API}/s/x/start?n=1`, location: `${THIRD}/s/x/t?n=1`, headers: [['vary', 'Accept-Encoding']] }],
        error: 'net::ERR_FAILED',
      }),
    );
    const fix = buildFix(record);
    expect(fix.redirects).toEqual([
      {
        url: `${API}/s/x/start?n=1`,
        setHeaders: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Vary', 'Accept-Encoding, Origin'],
        ],
      },
    ]);
    // API → THIRD, from an origin that is not the page's: the final request says Origin: null.
    expect(fix.actual).toEqual({
      setHeaders: [
        ['Access-Control-Allow-Origin', 'null'],
        ['Vary', 'Origin'],
      ],
      url: `${THIRD}/s/x/t?n=1`,
    });
  });

  it('local network: the permission, plus the headers; a PNA preflight gets its answer', () => {
    expect(buildFix(scenario('localNetworkAccess')).other).toBe('local-network-permission');
    const record = classified(
      exchange({
        initiator: 'https://public.example',
        requestHeaders: [['origin', 'https://public.example']],
        preflight: preflight({
          method: 'GET',
          origin: 'https://public.example',
          headers: [['access-control-allow-origin', 'https://public.example']],
          extra: [['access-control-request-private-network', 'true']],
        }),
        error: 'net::ERR_FAILED',
      }),
    );
    const fix = buildFix(record);
    expect(one(fix.preflight?.setHeaders, 'access-control-allow-private-network')).toBe('true');
    expect(one(fix.preflight?.setHeaders, 'access-control-allow-origin')).toBe('https://public.example');
  });

  it('same-origin mode: change the mode; the server then needs the headers', () => {
    const fix = buildFix(scenario('disallowedByMode'));
    expect(fix.other).toBe('change-request-mode');
    expect(fix.client?.kind).toBe('use-cors-mode');
    expect(one(fix.actual?.setHeaders, 'access-control-allow-origin')).toBe(PAGE);
  });

  it('Authorization only through *: list it by name', () => {
    const fix = buildFix(scenario('authorizationViaWildcard'));
    expect(get(fix.preflight?.setHeaders, 'access-control-allow-headers')?.[0]?.split(', ')).toContain('authorization');
    expect(fix.actual).toBeUndefined();
  });

  it('network, browser settings, file pages: no headers, a step', () => {
    expect(buildFix(scenario('connectionRefused'))).toEqual({ other: 'fix-network' });
    expect(buildFix(representative('CORSDisabled'))).toEqual({ other: 'browser-setting' });
    expect(buildFix(representative('CORSOriginHeaderNotAdded'))).toEqual({ other: 'browser-setting' });
    expect(buildFix(representative('CORSRequestNotHttp'))).toEqual({ other: 'serve-over-http', client: { kind: 'serve-over-http' } });
  });

  it('every reason has a non-empty fix', () => {
    for (const id of REASON_IDS) expect(isEmptyFix(buildFix(representative(id)))).toBe(false);
  });

  it('never answers a credentialed request with *', () => {
    for (const name of Object.keys(EXCHANGES) as ScenarioName[]) {
      const fix = buildFix(scenario(name));
      for (const part of [fix.preflight, fix.actual, ...(fix.redirects ?? [])]) {
        expect(one(part?.setHeaders, 'access-control-allow-origin')).not.toBe('*');
      }
    }
  });
});

describe('fixHeaderLines', () => {
  it('writes one header per line, per response', () => {
    const lines = fixHeaderLines(buildFix(scenario('missingAllowOriginPreflight404')));
    expect(lines.actual).toBe(`Access-Control-Allow-Origin: ${PAGE}\nVary: Origin`);
    expect(lines.preflight?.split('\n')).toEqual([
      `Access-Control-Allow-Origin: ${PAGE}`,
      'Access-Control-Allow-Methods: PUT',
      'Access-Control-Allow-Headers: content-type',
      `Access-Control-Max-Age: ${PREFLIGHT_MAX_AGE}`,
    ]);
    expect(fixHeaderLines({ other: 'fix-network' })).toEqual({});
  });
});

// ── Replaying the fix through the classifier ────────────────────────────────────────────────────────

function setHeaders(headers: HeaderList, set: HeaderList, remove: string[] = []): HeaderList {
  const drop = new Set([...remove, ...set.map(([n]) => n)].map((n) => n.toLowerCase()));
  return [...headers.filter(([n]) => !drop.has(n.toLowerCase())), ...set.map(([n, v]) => [n.toLowerCase(), v] as const)];
}

const pathOf = (url: string) => url.split('?')[0];

/** The exchange as it would be observed once the server applies the fix (what a lab harness does). */
function applyFix(ex: Exchange, fix: Fix): Exchange {
  const out: Exchange = { ...ex, redirects: ex.redirects.map((r) => ({ ...r })) };
  if (fix.preflight && ex.preflight) {
    const base = ex.preflight.response?.headers ?? [];
    out.preflight = {
      requestHeaders: ex.preflight.requestHeaders,
      response: { status: fix.preflight.status, headers: setHeaders(base, fix.preflight.setHeaders, [...(fix.preflight.removeHeaders ?? []), 'location']) },
    };
  }
  for (const hop of fix.redirects ?? []) {
    const target = out.redirects.find((r) => pathOf(r.from) === pathOf(hop.url));
    if (target) target.headers = setHeaders(target.headers, hop.setHeaders, hop.removeHeaders);
  }
  if (ex.redirects.length > 0) {
    // Past the redirects, the request carries the Origin the browser computes for the last hop.
    const urls = [ex.url, ...ex.redirects.map((r) => r.location)];
    const origin = originAtHop(ex.initiator ?? null, urls, urls.length - 1) ?? 'null';
    out.requestHeaders = setHeaders(ex.requestHeaders, [['origin', origin]]);
  }
  if (fix.actual) {
    const base = ex.response ?? { status: 200, headers: [] };
    out.response = { ...base, headers: setHeaders(base.headers, fix.actual.setHeaders, fix.actual.removeHeaders) };
  }
  return out;
}

/** After the fix no check may fail. The browser still "says" net::ERR_FAILED, so classify() either finds a
 * failing check, or reports that nothing explains the error (CORSDidNotSucceed, response-headers unseen).
 * A fix without credentials may leave one thing: the classifier's "what if credentials had been sent"
 * inference, which a request without credentials never meets. */
function expectPasses(record: CorsRecord, fix: Fix) {
  const after = classify(applyFix(record.exchange, fix));
  const nothingFails = after?.reason === 'CORSDidNotSucceed' && after.unseen === 'response-headers';
  const onlyIfCredentials = fix.credentials !== true && after?.certainty === 'inferred' && after.unseen === 'credentials-mode';
  expect(nothingFails || onlyIfCredentials ? 'passes' : `${after?.reason} (${after?.stage}, ${after?.certainty})`).toBe('passes');
}

describe('a fixed exchange passes every CORS check', () => {
  const headerFixes: ScenarioName[] = [
    'missingAllowOriginGet',
    'missingAllowOrigin500',
    'missingAllowOriginPreflight404',
    'allowOriginMismatch',
    'allowOriginTrailingSlash',
    'nullOriginAfterRedirect',
    'multipleAllowOrigin',
    'credentialsWithWildcard',
    'credentialsMissingAllowCredentials',
    'preflightMissingAllowCredentials',
    'methodNotAllowed',
    'methodCaseMismatch',
    'invalidAllowMethod',
    'invalidAllowHeader',
    'headerNotAllowed',
    'headerWildcardWithCredentials',
    'preflightStatus500',
    'preflightStatus403',
    'preflightRedirect',
    'invalidAllowOrigin',
  ];
  it.each(headerFixes)('%s', (name) => {
    const record = scenario(name);
    expectPasses(record, buildFix(record));
  });

  it('a redirect hop without ACAO', () => {
    const record = classified(
      exchange({
        url: `${API}/s/x/start?n=1`,
        redirects: [{ status: 302, from: `${API}/s/x/start?n=1`, location: `${THIRD}/s/x/t?n=1`, headers: [] }],
        error: 'net::ERR_FAILED',
      }),
    );
    expectPasses(record, buildFix(record));
  });

  it('holds for any origin, method and request headers (with and without a cookie)', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('http://127.0.0.1:3000', 'https://app.example', 'http://[::1]:8080', 'https://xn--bcher-kva.example'),
        fc.constantFrom('PUT', 'PATCH', 'DELETE', 'POST', 'GET', 'purge'),
        fc.uniqueArray(token.filter((t) => !['origin', 'cookie', 'host', 'referer', 'connection'].includes(t) && !t.startsWith('sec-') && !t.startsWith('proxy-')), { maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom(204, 404, 500),
        (origin, method, names, cookie, status) => {
          const requested = names.filter((n) => !['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(n));
          if (requested.length === 0 && ['GET', 'POST'].includes(method)) requested.push('x-token');
          const ex = exchange({
            initiator: origin,
            method,
            requestHeaders: [['origin', origin], ...(cookie ? ([['cookie', REDACTED]] as const) : [])],
            preflight: preflight({
              method,
              origin,
              ...(requested.length > 0 ? { acrh: requested.join(',') } : {}),
              status,
              headers: [['access-control-allow-methods', 'GET']],
            }),
            error: 'net::ERR_FAILED',
          });
          const record = classified(ex);
          const fix = buildFix(record);
          expect(one(fix.preflight?.setHeaders, 'access-control-allow-origin')).toBe(origin);
          expect(one(fix.preflight?.setHeaders, 'access-control-allow-methods')?.split(', ')).toContain(method);
          expect(one(fix.actual?.setHeaders, 'access-control-allow-credentials')).toBe(cookie ? 'true' : undefined);
          for (const name of requested) expect(one(fix.preflight?.setHeaders, 'access-control-allow-headers')?.split(', ')).toContain(name);
          expectPasses(record, fix);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the hand-built response shape matches the lab (sanity)', () => {
    expect(response(200).headers).toEqual([]);
  });
});
