/**
 * The JSON export: every recorded failure of a tab with its diagnosis, English title and verdict, and the
 * machine-readable fix. Documented in docs/EXPORT.md; validated by docs/export.schema.json.
 */
import { type HeaderList, REDACTED, SECRET_HEADERS } from '../cors/exchange.ts';
import type { CorsRecord } from '../cors/record.ts';
import { buildFix } from './fix.ts';
import { reasonText } from './reason-text.ts';
import type { ExportDocument, ExportMeta, ExportRecord } from './types.ts';
import { verdictText } from './verdict.ts';

export const EXPORT_SCHEMA = 'cors-explainer/export';
export const EXPORT_SCHEMA_VERSION = 1;

/** Headers as recorded, with secret values redacted once more in case a record was made by older code. */
function headers(list: HeaderList | undefined): HeaderList {
  return (list ?? []).map(([name, value]) => [name, SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value] as const);
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

export function exportRecord(record: CorsRecord): ExportRecord {
  const { exchange, diagnosis } = record;
  let verdict: string;
  try {
    verdict = verdictText(record, 'en');
  } catch {
    verdict = reasonText('', 'en').title;
  }
  const out: ExportRecord = {
    id: record.id,
    time: isoTime(exchange.startedAt),
    method: exchange.method,
    url: exchange.url,
    type: exchange.type,
    initiator: exchange.initiator ?? null,
    reason: diagnosis.reason,
    engineName: diagnosis.engineName,
    stage: diagnosis.stage,
    certainty: diagnosis.certainty,
    alternatives: [...diagnosis.alternatives],
    evidence: diagnosis.evidence.map((e) => ({ ...e })),
    findings: diagnosis.findings.map((f) => ({ ...f })),
    title: reasonText(diagnosis.reason, 'en').title,
    verdict,
    fix: buildFix(record),
    request: { headers: headers(exchange.requestHeaders) },
  };
  if (diagnosis.unseen) out.unseen = diagnosis.unseen;
  if (diagnosis.culprit) out.culprit = { ...diagnosis.culprit };
  if (exchange.preflight) {
    const p = exchange.preflight;
    const preflight: NonNullable<ExportRecord['preflight']> = { requestHeaders: headers(p.requestHeaders) };
    if (p.response) {
      preflight.status = p.response.status;
      preflight.headers = headers(p.response.headers);
    }
    if (p.error !== undefined) preflight.error = p.error;
    if (p.redirectedTo !== undefined) preflight.redirectedTo = p.redirectedTo;
    out.preflight = preflight;
  }
  if (exchange.response) out.response = { status: exchange.response.status, headers: headers(exchange.response.headers) };
  if (exchange.redirects.length > 0) {
    out.redirects = exchange.redirects.map((r) => ({ status: r.status, from: r.from, location: r.location, headers: headers(r.headers) }));
  }
  if (exchange.error !== undefined) out.error = exchange.error;
  return out;
}

export function buildExport(records: CorsRecord[], meta: ExportMeta): ExportDocument {
  const doc: ExportDocument = {
    schema: EXPORT_SCHEMA,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    generatedAt: meta.generatedAt,
    extensionVersion: meta.extensionVersion,
    engine: meta.engine,
    tabId: meta.tabId,
    dropped: meta.dropped,
    records: records.map(exportRecord),
  };
  if (meta.pageUrl !== undefined) doc.pageUrl = meta.pageUrl;
  return doc;
}
