import type { Finding } from '../../../src/cors/diagnosis.ts';
import { findingSeverity, findingsText, LOCALES, networkErrorKind } from '../../../src/explain/index.ts';
import { findingText } from '../../../src/explain/findings-text.ts';
import { scenario } from './fixtures.ts';

/** One finding of every code the classifier can emit. */
const EVERY_FINDING: Finding[] = [
  { code: 'http-error-status', stage: 'actual', status: 502 },
  { code: 'http-error-status', stage: 'preflight', status: 405 },
  { code: 'http-error-status', stage: 'preflight', status: 401 },
  { code: 'http-error-status', stage: 'preflight', status: 503 },
  { code: 'network-error', error: 'net::ERR_NAME_NOT_RESOLVED' },
  { code: 'cached-response', stage: 'preflight' },
  { code: 'cached-response', stage: 'actual' },
  { code: 'missing-vary-origin' },
  { code: 'credentials-sent', via: 'cookie' },
  { code: 'credentials-sent', via: 'authorization' },
  { code: 'null-origin-after-redirect', redirectCount: 1 },
  { code: 'null-origin-after-redirect', redirectCount: 3 },
  { code: 'local-network', address: '192.168.1.20' },
  { code: 'file-page' },
  { code: 'authorization-via-wildcard' },
  { code: 'preflight-reason', cause: 'method', value: 'PATCH' },
  { code: 'preflight-reason', cause: 'header', value: 'x-token' },
  { code: 'preflight-reason', cause: 'content-type', value: 'application/json' },
  { code: 'header-value-truncated', header: 'access-control-allow-headers' },
];

describe('finding text', () => {
  const record = scenario('missingAllowOriginGet');

  it('every finding has distinct, non-empty text in every locale', () => {
    for (const locale of LOCALES) {
      const texts = EVERY_FINDING.map((f) => findingText(f, record, locale));
      for (const text of texts) expect(text.trim()).not.toBe('');
      expect(new Set(texts).size).toBe(texts.length);
    }
  });

  it('carries the finding’s values', () => {
    for (const locale of LOCALES) {
      expect(findingText({ code: 'http-error-status', stage: 'actual', status: 502 }, record, locale)).toContain('502');
      expect(findingText({ code: 'local-network', address: '192.168.1.20' }, record, locale)).toContain('192.168.1.20');
      expect(findingText({ code: 'preflight-reason', cause: 'header', value: 'x-token' }, record, locale)).toContain('x-token');
      expect(findingText({ code: 'null-origin-after-redirect', redirectCount: 3 }, record, locale)).toContain('3');
    }
  });

  it('server errors, network errors and local-network blocks are primary; the rest info', () => {
    const primary = EVERY_FINDING.filter((f) => findingSeverity(f) === 'primary').map((f) => f.code);
    expect(new Set(primary)).toEqual(new Set(['http-error-status', 'network-error', 'local-network']));
  });

  it('explains network error codes of both engines', () => {
    expect(networkErrorKind('net::ERR_CONNECTION_REFUSED')).toBe('refused');
    expect(networkErrorKind('NS_ERROR_CONNECTION_REFUSED')).toBe('refused');
    expect(networkErrorKind('NS_ERROR_UNKNOWN_HOST')).toBe('dns');
    expect(networkErrorKind('net::ERR_EMPTY_RESPONSE')).toBe('reset');
    expect(networkErrorKind('NS_ERROR_NET_RESET')).toBe('reset');
    expect(networkErrorKind('net::ERR_CERT_AUTHORITY_INVALID')).toBe('certificate');
    expect(networkErrorKind('SEC_ERROR_UNKNOWN_ISSUER')).toBe('certificate');
    expect(networkErrorKind('net::ERR_TIMED_OUT')).toBe('timeout');
    expect(networkErrorKind('net::ERR_BLOCKED_BY_CLIENT')).toBe('blocked-by-client');
    expect(networkErrorKind('net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS')).toBe('local-network');
    expect(networkErrorKind('net::ERR_SOMETHING_NEW')).toBe('other');
    expect(findingText({ code: 'network-error', error: 'net::ERR_CONNECTION_REFUSED' }, record, 'en')).toContain('nothing is listening');
  });

  it('a preflight 401/403 points at the auth layer; 404/405 at the missing OPTIONS handler', () => {
    expect(findingText({ code: 'http-error-status', stage: 'preflight', status: 403 }, record, 'en')).toContain('before the auth check');
    expect(findingText({ code: 'http-error-status', stage: 'preflight', status: 404 }, record, 'en')).toContain('no handler for OPTIONS');
  });

  it('hostile finding values stay on one line', () => {
    const text = findingText({ code: 'network-error', error: 'net::ERR_X\n\u001b[31mred' }, record, 'en');
    expect(text.includes('\n')).toBe(false);
    expect(text.includes('\u001b')).toBe(false);
    expect(text).toContain('\\x1b');
  });

  it('orders primary findings first and keeps the rest in order', () => {
    const base = scenario('missingAllowOriginGet');
    const rec = {
      ...base,
      diagnosis: {
        ...base.diagnosis,
        findings: [{ code: 'missing-vary-origin' }, { code: 'http-error-status', stage: 'actual', status: 500 }, { code: 'file-page' }] as Finding[],
      },
    };
    expect(findingsText(rec, 'en').map((f) => f.severity)).toEqual(['primary', 'info', 'info']);
    expect(findingsText(rec, 'en')[1]?.text).toContain('Vary: Origin');
  });
});
