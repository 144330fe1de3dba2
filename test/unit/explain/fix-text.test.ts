import vm from 'node:vm';
import { buildFix, clientAlternative, fixSteps, LOCALES } from '../../../src/explain/index.ts';
import type { Fix } from '../../../src/explain/types.ts';
import { API, classified, exchange, PAGE, preflight, representative, response, scenario, THIRD } from './fixtures.ts';

/** Runs a client code sample with a stub fetch; returns the calls it made. */
function fetchCalls(code: string): unknown[][] {
  const calls: unknown[][] = [];
  vm.runInContext(code, vm.createContext({ fetch: (...args: unknown[]) => calls.push(args), data: { a: 1 } }));
  return calls;
}

describe('clientAlternative', () => {
  it('credentials: send without them (code keeps the method, sends no cookie)', () => {
    const record = scenario('credentialsWithWildcard');
    const alt = clientAlternative(record, buildFix(record), 'en');
    expect(alt?.text).toContain('Access-Control-Allow-Origin: * is enough');
    expect(fetchCalls(alt?.code ?? '')).toEqual([[record.exchange.url, { credentials: 'same-origin' }]]);
  });

  it('a custom header: drop it', () => {
    const record = scenario('headerNotAllowed');
    const alt = clientAlternative(record, buildFix(record), 'en');
    expect(alt?.text).toContain('x-token');
    expect(alt?.code).toBeUndefined();
  });

  it('a JSON body: send text/plain', () => {
    const record = classified(
      exchange({
        method: 'POST',
        requestHeaders: [
          ['origin', PAGE],
          ['content-type', 'application/json'],
        ],
        preflight: preflight({ method: 'POST', acrh: 'content-type', headers: [['access-control-allow-origin', PAGE]] }),
        error: 'net::ERR_FAILED',
      }),
    );
    const fix = buildFix(record);
    expect(fix.client?.kind).toBe('simple-content-type');
    const alt = clientAlternative(record, fix, 'en');
    expect(fetchCalls(alt?.code ?? '')).toEqual([
      [record.exchange.url, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: '{"a":1}' }],
    ]);
  });

  it('a redirect: call the final URL, which must then allow the page origin', () => {
    const record = scenario('nullOriginAfterRedirect');
    const alt = clientAlternative(record, buildFix(record), 'en');
    expect(alt?.text).toBe(`Call ${THIRD}/s/x/target?n=1 directly, so that no redirect is involved; its response must then allow ${PAGE}.`);
    expect(fetchCalls(alt?.code ?? '')).toEqual([[`${THIRD}/s/x/target?n=1`]]);
  });

  it('same-origin mode and file pages', () => {
    const mode = scenario('disallowedByMode');
    expect(fetchCalls(clientAlternative(mode, buildFix(mode), 'en')?.code ?? '')).toEqual([[mode.exchange.url, { mode: 'cors' }]]);
    const file = representative('CORSRequestNotHttp');
    expect(clientAlternative(file, buildFix(file), 'ja')?.text).toContain('http://localhost');
  });

  it('none when there is no client-side fix', () => {
    const record = scenario('missingAllowOriginGet');
    expect(clientAlternative(record, buildFix(record), 'en')).toBeUndefined();
    expect(clientAlternative(record, { client: { kind: 'none' } }, 'en')).toBeUndefined();
  });

  it('every client kind has text in every locale', () => {
    const record = scenario('methodNotAllowed');
    const kinds: NonNullable<Fix['client']>['kind'][] = [
      'omit-credentials',
      'drop-header',
      'simple-content-type',
      'use-final-url',
      'use-simple-method',
      'serve-over-http',
      'use-cors-mode',
    ];
    for (const locale of LOCALES) {
      const texts = kinds.map((kind) => clientAlternative(record, { client: { kind, detail: 'X-DETAIL' } }, locale)?.text ?? '');
      for (const text of texts) expect(text.trim()).not.toBe('');
      expect(new Set(texts).size).toBe(kinds.length);
    }
  });

  it('a hostile URL cannot escape the code sample', () => {
    const url = `${API}/x?q=');globalThis.pwned=1;('\n\u2028"\`\${1}`;
    const record = classified(
      exchange({
        url,
        requestHeaders: [
          ['origin', PAGE],
          ['cookie', 'x'],
        ],
        response: response(200, [['access-control-allow-origin', '*']]),
        error: 'net::ERR_FAILED',
      }),
    );
    const code = clientAlternative(record, buildFix(record), 'en')?.code ?? '';
    const context = vm.createContext({ fetch: (...args: unknown[]) => args, globalThis: {} });
    vm.runInContext(code, context);
    expect(vm.runInContext('typeof pwned', context)).toBe('undefined');
    expect(fetchCalls(code)[0]?.[0]).toBe(url);
  });
});

describe('fixSteps', () => {
  it('one sentence per step outside the headers', () => {
    expect(fixSteps(scenario('multipleAllowOrigin'), buildFix(scenario('multipleAllowOrigin')), 'en')).toEqual([
      'Remove the existing Access-Control-Allow-Origin first: it is often added twice, by the application and by a proxy or CDN in front of it.',
    ]);
    const redirect = scenario('redirectContainsCredentials');
    const steps = fixSteps(redirect, buildFix(redirect), 'en');
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain(`${API}/s/x/target?n=1`);
    expect(steps[2]).toContain('Location');
    expect(fixSteps(scenario('connectionRefused'), buildFix(scenario('connectionRefused')), 'fr')[0]).toContain('joignable');
    expect(fixSteps(scenario('missingAllowOriginGet'), buildFix(scenario('missingAllowOriginGet')), 'en')).toEqual([]);
  });

  it('every other-step code has text in every locale', () => {
    const record = representative('CORSDisabled');
    const codes: NonNullable<Fix['other']>[] = [
      'fix-server-error',
      'fix-network',
      'local-network-permission',
      'remove-url-credentials',
      'serve-over-http',
      'change-request-mode',
      'browser-setting',
    ];
    for (const locale of LOCALES) {
      const texts = codes.map((other) => fixSteps(record, { other }, locale)[0] ?? '');
      expect(new Set(texts).size).toBe(codes.length);
      expect(texts[6]).toContain('about:config');
    }
  });
});
