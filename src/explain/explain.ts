/**
 * explain(record, locale): the whole explanation of one recorded failure, in one locale. Never throws: a
 * record with missing or unexpected data still gets a title, a verdict and the MDN link.
 */
import type { Finding } from '../cors/diagnosis.ts';
import type { CorsRecord } from '../cors/record.ts';
import { displayValue } from './display-value.ts';
import { findingsText } from './findings-text.ts';
import { reasonMdnUrl, reasonText } from './reason-text.ts';
import type { Explanation, Locale } from './types.ts';
import { certaintyNote, preflightWhy, verdictText } from './verdict.ts';

/** Findings that only repeat what the verdict or the preflight paragraph already says. */
function repeatedFindings(record: CorsRecord, hasPreflightWhy: boolean): Set<Finding['code']> {
  const repeats = new Set<Finding['code']>();
  if (hasPreflightWhy) repeats.add('preflight-reason');
  const reason = record.diagnosis?.reason;
  if (reason === 'CORSAllowHeaderFromPreflightDeprecation') repeats.add('authorization-via-wildcard');
  if (reason === 'CORSLocalNetworkAccess') repeats.add('local-network');
  if (reason === 'CORSRequestNotHttp') repeats.add('file-page');
  return repeats;
}

export function explain(record: CorsRecord, locale: Locale): Explanation {
  const reason = record.diagnosis?.reason;
  const text = reasonText(String(reason), locale);
  const explanation: Explanation = {
    reason,
    title: text.title,
    verdict: '',
    findings: [],
    why: [...text.why],
    mdnUrl: reasonMdnUrl(String(reason), locale),
  };
  try {
    explanation.verdict = verdictText(record, locale);
  } catch {
    explanation.verdict = reasonText('', locale).verdict({
      stage: 'actual',
      origin: 'null',
      pageOrigin: 'null',
      method: '',
      url: displayValue(String(record.exchange?.url ?? '')),
      got: undefined,
      credentials: false,
      redirects: 0,
    });
  }
  try {
    const note = certaintyNote(record, locale);
    if (note) explanation.certaintyNote = note;
  } catch {
    // An inferred diagnosis without its details: the verdict stands on its own.
  }
  try {
    const why = preflightWhy(record, locale);
    if (why) explanation.preflightWhy = why;
  } catch {
    // No preflight text when the preflight data is malformed.
  }
  try {
    const repeats = repeatedFindings(record, explanation.preflightWhy !== undefined);
    explanation.findings = findingsText(record, locale, (finding) => !repeats.has(finding.code));
  } catch {
    explanation.findings = [];
  }
  return explanation;
}
