/**
 * A Markdown ticket for the backend team: per failure, the request, the reason, the verdict, the evidence,
 * the headers to set and a curl command to reproduce. Every value from the wire is escaped for the place it
 * goes: backslash-escaped in text and table cells (no HTML, no links, no cell breaks), and in code blocks
 * fenced with more backticks than the content holds, so nothing can close the block early.
 */
import type { CorsRecord } from '../cors/record.ts';
import { curlCommands } from './curl.ts';
import { displayValue, escapeInvisible } from './display-value.ts';
import { explain } from './explain.ts';
import { buildFix } from './fix.ts';
import { clientAlternative, fixSteps } from './fix-text.ts';
import { stageLabel, textFor } from './locale.ts';
import type { ExportMeta, Locale } from './types.ts';

/** Longest value in a table cell or sentence of the ticket. */
const MAX_CELL = 300;

/** Markdown text from a plain string: one line (line breaks and other controls shown as escapes), and
 * every character that GFM gives a meaning in the middle of a line backslash-escaped (CommonMark §2.4):
 * code spans, emphasis, links and images, HTML and autolinks, entities, table cells, strikethrough,
 * closing heading sequences and math. Values never start a line, so list and heading markers need no
 * escape. Cut at `max`. */
export function mdText(value: string, max = Number.POSITIVE_INFINITY): string {
  let text = escapeInvisible(value);
  let cut = '';
  if (text.length > max) {
    cut = textFor('en').markdown.truncated(value.length);
    text = text.slice(0, max);
  }
  return `${text.replace(/[\\`*_[\]<|&~#$]/g, (c) => `\\${c}`)}${cut}`;
}

/** Same, with a localized cut marker. */
function mdValue(value: string, locale: Locale): string {
  if (escapeInvisible(value).length <= MAX_CELL) return mdText(value);
  return `${mdText(escapeInvisible(value).slice(0, MAX_CELL))}${mdText(textFor(locale).markdown.truncated(value.length))}`;
}

/** A fenced code block that its content cannot close: the fence is longer than any backtick run inside. */
export function mdFence(content: string, info = ''): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

function engineName(engine: ExportMeta['engine']): string {
  return engine === 'gecko' ? 'Firefox (Gecko)' : 'Chromium';
}

function headerBlock(headers: ReadonlyArray<readonly [string, string]>): string {
  return headers.map(([name, value]) => `${escapeInvisible(name)}: ${escapeInvisible(value)}`).join('\n');
}

function recordSection(record: CorsRecord, index: number, locale: Locale): string {
  const L = textFor(locale).markdown;
  const { exchange, diagnosis } = record;
  const explanation = explain(record, locale);
  const fix = buildFix(record);
  const out: string[] = [];

  out.push(`## ${index}. ${mdValue(exchange.method, locale)} ${mdValue(exchange.url, locale)}`);
  out.push('');
  out.push(
    `**${L.reason}:** [${mdText(explanation.title)}](${explanation.mdnUrl}) (${mdText(diagnosis.reason)}, ${mdText(stageLabel(diagnosis.stage, locale))})  `,
  );
  out.push(`**${L.verdict}:** ${mdText(explanation.verdict)}`);
  if (explanation.certaintyNote) out.push('', `> ${mdText(explanation.certaintyNote)}`);
  const primary = explanation.findings.filter((f) => f.severity === 'primary');
  const info = explanation.findings.filter((f) => f.severity === 'info');
  if (primary.length > 0) out.push('', ...primary.map((f) => `- **${mdText(f.text)}**`));

  if (diagnosis.evidence.length > 0) {
    out.push('', `**${L.evidence}**`, '');
    out.push(`| ${L.stage} | ${L.header} | ${L.got} | ${L.needed} | ${L.ok} |`, '|---|---|---|---|---|');
    for (const e of diagnosis.evidence) {
      const got = e.got === null ? mdText(L.absent) : mdValue(e.got, locale);
      out.push(
        `| ${mdText(stageLabel(e.stage, locale))} | ${mdValue(e.header, locale)} | ${got} | ${mdValue(e.needed, locale)} | ${e.ok ? L.yes : L.no} |`,
      );
    }
  }

  if (fix.preflight || fix.actual || fix.redirects?.length) {
    out.push('', `**${L.headersToSet}**`);
    if (fix.preflight && fix.preflight.setHeaders.length > 0) {
      out.push('', `${mdText(L.preflightResponse(fix.preflight.status))}:`, '', mdFence(headerBlock(fix.preflight.setHeaders), 'http'));
    }
    for (const hop of fix.redirects ?? []) {
      out.push('', `${mdText(L.redirectResponse)} ${mdValue(L.onUrl(hop.url), locale)}:`, '', mdFence(headerBlock(hop.setHeaders), 'http'));
    }
    if (fix.actual && fix.actual.setHeaders.length > 0) {
      const on = fix.actual.url && fix.actual.url !== exchange.url ? ` ${mdValue(L.onUrl(fix.actual.url), locale)}` : '';
      out.push('', `${mdText(L.actualResponse)}${on}:`, '', mdFence(headerBlock(fix.actual.setHeaders), 'http'));
    }
  }
  const steps = fixSteps(record, fix, locale);
  if (steps.length > 0) out.push('', `**${L.alsoDo}**`, '', ...steps.map((s) => `- ${mdText(s)}`));
  const client = clientAlternative(record, fix, locale);
  if (client) {
    out.push('', `**${L.clientAlternative}:** ${mdText(client.text)}`);
    if (client.code) out.push('', mdFence(client.code, 'js'));
  }
  if (info.length > 0) out.push('', `**${L.notes}**`, '', ...info.map((f) => `- ${mdText(f.text)}`));

  const curl = curlCommands(record);
  out.push('', `**${L.reproduce}**`, '', mdFence(curl.preflight ? `${curl.preflight}\n\n${curl.actual}` : curl.actual, 'sh'));
  return out.join('\n');
}

export function toMarkdown(records: CorsRecord[], locale: Locale, meta: ExportMeta): string {
  const L = textFor(locale).markdown;
  const out: string[] = [`# ${mdText(L.heading(records.length))}`, ''];
  if (meta.pageUrl) out.push(`- ${L.page}: ${mdValue(meta.pageUrl, locale)}`);
  out.push(`- ${L.generated}: ${mdValue(meta.generatedAt, locale)}`);
  out.push(`- ${L.engine}: ${engineName(meta.engine)}`);
  out.push(`- ${L.extension}: ${mdValue(meta.extensionVersion, locale)}`);
  if (meta.dropped > 0) out.push('', mdText(L.dropped(meta.dropped)));
  if (records.length === 0) out.push('', mdText(L.none));
  records.forEach((record, i) => {
    out.push('', recordSection(record, i + 1, locale));
  });
  return `${out.join('\n')}\n`;
}

/** For tests and callers that quote a single value. */
export function mdInline(value: string): string {
  return mdText(displayValue(value));
}
