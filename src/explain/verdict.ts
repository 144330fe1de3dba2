/**
 * The one sentence that names the culprit, plus the notes around it: what could not be seen when the
 * diagnosis is inferred, and why a preflight was sent at all. Facts come from the diagnosis (culprit,
 * stage, evidence) and, where it is silent, from the recorded exchange.
 */
import type { Evidence, Stage } from '../cors/diagnosis.ts';
import type { ReasonId } from '../cors/reasons.ts';
import type { CorsRecord } from '../cors/record.ts';
import { displayValue } from './display-value.ts';
import { textFor } from './locale.ts';
import { reasonText } from './reason-text.ts';
import {
  finalUrl,
  headerValues,
  isPreflighted,
  isToken,
  localAddress,
  networkError,
  originAt,
  pageOrigin,
  preflightCauses,
  requestedHeaders,
  requestMethod,
  responseAt,
  splitList,
  urlAt,
  usesCredentials,
  withoutUrlCredentials,
} from './request-facts.ts';
import type { VerdictFacts } from './text-types.ts';
import type { Locale } from './types.ts';

/** The response header each reason is about (":status" for the status check). */
const DECIDING_HEADER: Partial<Record<ReasonId, string>> = {
  CORSMissingAllowOrigin: 'access-control-allow-origin',
  CORSAllowOriginNotMatchingOrigin: 'access-control-allow-origin',
  CORSInvalidAllowOrigin: 'access-control-allow-origin',
  CORSMultipleAllowOriginNotAllowed: 'access-control-allow-origin',
  CORSNotSupportingCredentials: 'access-control-allow-origin',
  CORSMissingAllowCredentials: 'access-control-allow-credentials',
  CORSMethodNotFound: 'access-control-allow-methods',
  CORSInvalidAllowMethod: 'access-control-allow-methods',
  CORSInvalidAllowHeader: 'access-control-allow-headers',
  CORSMissingAllowHeaderFromPreflight: 'access-control-allow-headers',
  CORSAllowHeaderFromPreflightDeprecation: 'access-control-allow-headers',
  CORSPreflightDidNotSucceed: ':status',
};

function checkedStage(stage: Stage): Stage {
  return stage === 'network' ? 'actual' : stage;
}

/** The value of the deciding header: from the failing evidence when the classifier gave one, else read
 * from the response at the failing stage. null = the header was absent; undefined = nothing is known. */
function decidingValue(record: CorsRecord, header: string | undefined): string | null | undefined {
  if (!header) return undefined;
  const { diagnosis } = record;
  const matches = (e: Evidence) => e.header.toLowerCase() === header;
  const evidence =
    diagnosis.evidence.find((e) => matches(e) && !e.ok && e.stage === diagnosis.stage) ??
    diagnosis.evidence.find((e) => matches(e) && !e.ok) ??
    diagnosis.evidence.find(matches);
  if (evidence) return evidence.got;
  const response = responseAt(record, checkedStage(diagnosis.stage));
  if (!response) return undefined;
  if (header === ':status') return String(response.status);
  const values = headerValues(response.headers, header);
  return values.length === 0 ? null : values.join(', ');
}

/** The token the check tripped over: the classifier's culprit, else derived from the deciding value. */
function culpritFor(record: CorsRecord, got: string | null | undefined): string | undefined {
  const { diagnosis, exchange } = record;
  const culprit = diagnosis.culprit;
  switch (diagnosis.reason) {
    case 'CORSMethodNotFound':
      return culprit?.kind === 'method' ? (culprit.value ?? culprit.name) : requestMethod(exchange);
    case 'CORSMissingAllowHeaderFromPreflight': {
      if (culprit?.kind === 'request-header') return culprit.name ?? culprit.value;
      const allowed = new Set(splitList(got ?? undefined).map((h) => h.toLowerCase()));
      const credentials = usesCredentials(record);
      return requestedHeaders(exchange).find((h) => !allowed.has(h) && (credentials || !allowed.has('*') || h === 'authorization'));
    }
    case 'CORSInvalidAllowMethod':
    case 'CORSInvalidAllowHeader':
      return culprit?.value ?? splitList(got ?? undefined).find((token) => !isToken(token));
    default:
      return culprit?.value ?? culprit?.name;
  }
}

function show(value: string | undefined): string | undefined {
  return value === undefined ? undefined : displayValue(value);
}

/** Everything a verdict template may name, made safe for display. */
export function verdictFacts(record: CorsRecord): VerdictFacts {
  const { diagnosis, exchange } = record;
  const stage = checkedStage(diagnosis.stage);
  const got = decidingValue(record, DECIDING_HEADER[diagnosis.reason]);
  const httpError = diagnosis.findings.find((f) => f.code === 'http-error-status' && f.stage === stage);
  const status = httpError?.code === 'http-error-status' ? httpError.status : responseAt(record, stage)?.status;
  const redirected = exchange.preflight?.redirectedTo !== undefined || exchange.redirects.length > 0;
  return {
    stage: diagnosis.stage,
    origin: displayValue(originAt(record, stage)),
    pageOrigin: displayValue(pageOrigin(exchange)),
    method: displayValue(requestMethod(exchange)),
    url: displayValue(withoutUrlCredentials(urlAt(record, stage))),
    got: got === null || got === undefined ? got : displayValue(got),
    culprit: show(culpritFor(record, got)),
    status: status ? status : undefined,
    error: show(networkError(record)),
    target: redirected ? displayValue(withoutUrlCredentials(finalUrl(exchange))) : undefined,
    address: diagnosis.reason === 'CORSLocalNetworkAccess' ? displayValue(localAddress(record)) : undefined,
    credentials: usesCredentials(record),
    redirects: exchange.redirects.length,
  };
}

/** The sentence naming the culprit. */
export function verdictText(record: CorsRecord, locale: Locale): string {
  return reasonText(record.diagnosis.reason, locale).verdict(verdictFacts(record));
}

/** What could not be seen, and what else it could be (by title), when the diagnosis is inferred. */
export function certaintyNote(record: CorsRecord, locale: Locale): string | undefined {
  const { diagnosis } = record;
  if (diagnosis.certainty !== 'inferred') return undefined;
  const titles = diagnosis.alternatives.filter((id) => id !== diagnosis.reason).map((id) => reasonText(id, locale).title);
  return textFor(locale).certainty(diagnosis.unseen, titles);
}

/** Why a preflight was sent, and that avoiding it is often the simplest fix. */
export function preflightWhy(record: CorsRecord, locale: Locale): string | undefined {
  if (record.exchange.preflight === undefined && record.diagnosis.stage !== 'preflight') return undefined;
  if (!isPreflighted(record)) return undefined;
  const causes = preflightCauses(record).map((c) => ({ ...c, value: displayValue(c.value) }));
  return textFor(locale).preflightWhy(causes);
}
