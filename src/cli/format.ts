/** The CLI's readable output: one summary line, then a table of what the extension recorded. */
import { isWarningReason } from '../cors/reasons.ts';
import type { CheckResult } from './check.ts';

const URL_WIDTH = 64;
const MIN_VERDICT_WIDTH = 30;

/** The table for one checked page. With `columns` (a terminal's width) the verdict column wraps inside its
 * column; without it every record stays on one line (for grep and pipes). */
export function formatResult(result: CheckResult, columns?: number): string {
  const { document } = result;
  const engine = document.engine === 'gecko' ? 'Firefox' : 'Chromium';
  const page = result.pageUrl || result.url;
  const lines = [summaryLine(result, page, engine)];
  if (result.timedOut) lines.push('(the page was still loading when the wait ran out; later requests are not included)');
  if (document.dropped > 0) lines.push(`(${document.dropped} older record(s) were dropped by the extension's per-tab limit)`);
  if (document.records.length === 0) return `${lines.join('\n')}\n`;

  const header = ['METHOD', 'URL', 'REASON', 'STAGE', 'VERDICT'];
  const rows = document.records.map((r) => [
    r.method,
    shortUrl(r.url),
    isWarningReason(r.reason) ? `${r.reason} (warning)` : r.reason,
    r.stage,
    r.verdict,
  ]);
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const indent = widths.reduce((sum, w) => sum + w + 2, 0);
  const verdictWidth = columns === undefined ? undefined : Math.max(MIN_VERDICT_WIDTH, columns - indent - 1);
  lines.push('');
  for (const row of [header, ...rows]) {
    const cells = row.slice(0, 4).map((cell, i) => cell.padEnd(widths[i] ?? 0));
    const verdict = wrap(row[4] ?? '', verdictWidth);
    lines.push(`${cells.join('  ')}  ${verdict[0] ?? ''}`.trimEnd());
    for (const more of verdict.slice(1)) lines.push(`${' '.repeat(indent)}${more}`);
  }
  return `${lines.join('\n')}\n`;
}

function summaryLine(result: CheckResult, page: string, engine: string): string {
  const { failures, warnings } = result;
  const warned = warnings === 0 ? '' : `${warnings} CORS warning${warnings === 1 ? '' : 's'}`;
  if (failures === 0) {
    return warned ? `No CORS failures on ${page} (${engine}); ${warned}:` : `No CORS failures on ${page} (${engine}).`;
  }
  const failed = `${failures} CORS failure${failures === 1 ? '' : 's'}`;
  return `${failed}${warned ? ` and ${warned}` : ''} on ${page} (${engine}):`;
}

/** Origin and path kept; a query becomes "?…"; a long path loses its middle. */
export function shortUrl(url: string, width = URL_WIDTH): string {
  let text = url;
  try {
    const parsed = new URL(url);
    text = `${parsed.origin === 'null' ? `${parsed.protocol}//` : parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    // not a URL: shown as recorded
  }
  if (text.length <= width) return text;
  const keepEnd = Math.floor((width - 1) / 3);
  return `${text.slice(0, width - 1 - keepEnd)}…${text.slice(text.length - keepEnd)}`;
}

function wrap(text: string, width: number | undefined): string[] {
  if (width === undefined || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** What `--json` prints: the export document exactly as the panel's "Export JSON" writes it. */
export function formatJson(result: CheckResult): string {
  return `${JSON.stringify(result.document, null, 2)}\n`;
}
