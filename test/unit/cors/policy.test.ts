import { addressSpace, isMorePrivate } from '../../../src/cors/address-space.ts';
import { engineFacts } from '../../../src/cors/policy.ts';
import { preflightCause } from '../../../src/cors/preflight-cause.ts';
import { ENGINE_REASON_NAMES, REASON_IDS } from '../../../src/cors/reasons.ts';
import { pre } from './build.ts';

describe('engine names', () => {
  it('has an entry for every reason, and Firefox keys that carry their MDN slug', () => {
    expect(Object.keys(ENGINE_REASON_NAMES).sort()).toEqual([...REASON_IDS].sort());
    for (const id of REASON_IDS) {
      const gecko = ENGINE_REASON_NAMES[id].gecko;
      if (gecko) expect(gecko.replace(/\d+$/, '')).toBe(id);
    }
  });

  it('picks the Preflight… name at the preflight stage in Chromium', () => {
    const { names } = engineFacts('chromium');
    expect(names('CORSMissingAllowOrigin', 'preflight')).toBe('PreflightMissingAllowOriginHeader');
    expect(names('CORSMissingAllowOrigin', 'actual')).toBe('MissingAllowOriginHeader');
    expect(names('CORSMissingAllowOrigin', 'redirect')).toBe('MissingAllowOriginHeader');
    expect(names('CORSMethodNotFound', 'preflight')).toBe('MethodDisallowedByPreflightResponse');
    expect(names('CORSRequestNotHttp', 'actual')).toBe('CorsDisabledScheme');
    expect(names('CORSRequestNotHttp', 'redirect')).toBe('');
    expect(names('CORSDidNotSucceed', 'network')).toBe('');
  });

  it('uses the same console key at every stage in Firefox', () => {
    const { names } = engineFacts('gecko');
    expect(names('CORSMissingAllowOrigin', 'preflight')).toBe('CORSMissingAllowOrigin2');
    expect(names('CORSMissingAllowOrigin', 'actual')).toBe('CORSMissingAllowOrigin2');
    expect(names('CORSInvalidAllowOrigin', 'actual')).toBe('');
  });
});

describe('error kinds', () => {
  it.each([
    ['chromium', undefined, 'none'],
    ['chromium', 'net::ERR_FAILED', 'cors'],
    ['chromium', 'net::ERR_ABORTED', 'abort'],
    ['chromium', 'net::ERR_CONNECTION_REFUSED', 'network'],
    ['chromium', 'net::ERR_CERT_AUTHORITY_INVALID', 'network'],
    ['chromium', 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 'local-network'],
    ['chromium', 'net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS', 'local-network'],
    ['chromium', 'net::ERR_BLOCKED_BY_CLIENT', 'not-cors'],
    ['chromium', 'net::ERR_BLOCKED_BY_RESPONSE', 'not-cors'],
    ['chromium', 'net::ERR_CACHE_MISS', 'not-cors'],
    ['gecko', 'NS_ERROR_DOM_BAD_URI', 'cors'],
    ['gecko', 'NS_BINDING_ABORTED', 'abort'],
    ['gecko', 'NS_ERROR_NET_RESET', 'network'],
    ['gecko', 'NS_ERROR_UNKNOWN_HOST', 'network'],
    ['gecko', 'NS_ERROR_TRACKING_URI', 'not-cors'],
    ['gecko', 'NS_ERROR_CONTENT_BLOCKED', 'not-cors'],
    ['gecko', 'NS_BINDING_REDIRECTED', 'not-cors'],
  ] as const)('%s %s → %s', (engine, error, kind) => {
    expect(engineFacts(engine).errorKind(error)).toBe(kind);
  });
});

describe('preflightCause', () => {
  it('names the method first', () => {
    expect(preflightCause(pre({ method: 'DELETE', acrh: 'x-token' }).requestHeaders, [])).toEqual({ cause: 'method', value: 'DELETE' });
  });

  it('then a header other than Content-Type', () => {
    expect(preflightCause(pre({ method: 'POST', acrh: 'content-type,x-token' }).requestHeaders, [['content-type', 'application/json']])).toEqual({
      cause: 'header',
      value: 'x-token',
    });
  });

  it('then Content-Type, with the value the page sent', () => {
    expect(preflightCause(pre({ method: 'POST', acrh: 'content-type' }).requestHeaders, [['content-type', 'application/json']])).toEqual({
      cause: 'content-type',
      value: 'application/json',
    });
  });

  it('falls back to the actual method, and is null for a forced preflight', () => {
    expect(preflightCause([], [], 'patch')).toEqual({ cause: 'method', value: 'patch' });
    expect(preflightCause(pre({ method: 'POST' }).requestHeaders, [])).toBeNull();
  });
});

describe('address spaces', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['localhost', 'loopback'],
    ['app.localhost', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'local'],
    ['172.16.0.1', 'local'],
    ['172.32.0.1', 'public'],
    ['192.168.1.10', 'local'],
    ['169.254.1.1', 'local'],
    ['printer.local', 'local'],
    ['fd12:3456::1', 'local'],
    ['fe80::1', 'local'],
    ['::ffff:192.168.0.1', 'local'],
    ['8.8.8.8', 'public'],
    ['api.example', 'public'],
    ['2001:db8::1', 'public'],
    ['999.1.1.1', 'public'],
  ] as const)('%s → %s', (host, space) => {
    expect(addressSpace(host)).toBe(space);
  });

  it('orders public < local < loopback', () => {
    expect(isMorePrivate('public', 'local')).toBe(true);
    expect(isMorePrivate('local', 'loopback')).toBe(true);
    expect(isMorePrivate('loopback', 'local')).toBe(false);
    expect(isMorePrivate('public', 'public')).toBe(false);
  });
});
