/**
 * Text for the classifier's findings: the secondary facts that change the story. A server error, a
 * network failure and a local-network block are `primary`: the CORS message is their symptom, so the
 * panel shows them above the evidence.
 */
import type { Finding } from '../cors/diagnosis.ts';
import type { CorsRecord } from '../cors/record.ts';
import { displayValue } from './display-value.ts';
import { textFor } from './locale.ts';
import type { FindingTexts, NetworkErrorKind } from './text-types.ts';
import type { Locale } from './types.ts';
import { verdictFacts } from './verdict.ts';

export type FindingSeverity = 'primary' | 'info';

const PRIMARY: ReadonlySet<Finding['code']> = new Set(['http-error-status', 'network-error', 'local-network']);

export function findingSeverity(finding: Finding): FindingSeverity {
  return PRIMARY.has(finding.code) ? 'primary' : 'info';
}

/** The family of a browser's network error string (Chromium net::ERR_…, Firefox NS_ERROR_… and NSS). */
export function networkErrorKind(error: string): NetworkErrorKind {
  const e = error.toUpperCase();
  if (e.includes('LOCAL_NETWORK_ACCESS') || e.includes('PRIVATE_NETWORK_ACCESS')) return 'local-network';
  if (e.includes('CONNECTION_REFUSED')) return 'refused';
  if (e.includes('NAME_NOT_RESOLVED') || e.includes('UNKNOWN_HOST') || e.includes('NAME_RESOLUTION')) return 'dns';
  if (e.includes('TIMED_OUT') || e.includes('TIMEOUT')) return 'timeout';
  if (e.includes('CERT') || e.startsWith('SEC_ERROR') || e.includes('BAD_CERT')) return 'certificate';
  if (e.includes('SSL') || e.includes('TLS')) return 'tls';
  if (e.includes('BLOCKED_BY_CLIENT') || e.includes('BLOCKED_BY_ADMINISTRATOR')) return 'blocked-by-client';
  if (e.includes('ABORTED')) return 'aborted';
  if (
    e.includes('CONNECTION_RESET') ||
    e.includes('CONNECTION_CLOSED') ||
    e.includes('EMPTY_RESPONSE') ||
    e.includes('NET_RESET') ||
    e.includes('NET_INTERRUPT') ||
    e.includes('PARTIAL_TRANSFER')
  )
    return 'reset';
  if (e.includes('UNREACHABLE') || e.includes('INTERNET_DISCONNECTED') || e.includes('NETWORK_CHANGED') || e.includes('OFFLINE'))
    return 'unreachable';
  return 'other';
}

/** A finding with every value it carries made safe for display. */
function displayable(finding: Finding): Finding {
  switch (finding.code) {
    case 'network-error':
      return { ...finding, error: displayValue(finding.error) };
    case 'local-network':
      return { ...finding, address: displayValue(finding.address) };
    case 'preflight-reason':
      return { ...finding, value: displayValue(finding.value) };
    case 'header-value-truncated':
      return { ...finding, header: displayValue(finding.header) };
    default:
      return finding;
  }
}

export function findingText(finding: Finding, record: CorsRecord, locale: Locale): string {
  const text = textFor(locale);
  let safe = displayable(finding);
  if (safe.code === 'network-error') {
    const kind = networkErrorKind(finding.code === 'network-error' ? finding.error : '');
    if (kind !== 'other') safe = { ...safe, error: text.errorWithHint(safe.error, text.networkError[kind]) };
  }
  const render = text.findings[safe.code] as FindingTexts[Finding['code']] | undefined;
  if (!render) return '';
  return (render as (f: Finding, facts: ReturnType<typeof verdictFacts>) => string)(safe, verdictFacts(record));
}

/** The record's findings as text, primary ones first (otherwise in the classifier's order). */
export function findingsText(
  record: CorsRecord,
  locale: Locale,
  include: (finding: Finding) => boolean = () => true,
): { severity: FindingSeverity; text: string }[] {
  const out = record.diagnosis.findings
    .filter(include)
    .map((finding) => ({ severity: findingSeverity(finding), text: findingText(finding, record, locale) }))
    .filter((f) => f.text !== '');
  return [...out.filter((f) => f.severity === 'primary'), ...out.filter((f) => f.severity === 'info')];
}
