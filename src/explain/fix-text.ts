/**
 * The parts of a fix that are sentences rather than headers: the client-side alternative (with a code
 * sample where one helps) and the steps outside the headers (remove a duplicate, set them on another URL,
 * avoid a redirect, fix the server error…).
 */
import type { CorsRecord } from '../cors/record.ts';
import { displayValue } from './display-value.ts';
import { textFor } from './locale.ts';
import { pageOrigin, requestContentType, requestMethod, withoutUrlCredentials } from './request-facts.ts';
import { jsString } from './snippets.ts';
import type { Fix, Locale } from './types.ts';

function clientCode(record: CorsRecord, fix: Fix): string | undefined {
  const client = fix.client;
  if (!client) return undefined;
  const url = withoutUrlCredentials(record.exchange.url);
  const method = requestMethod(record.exchange);
  const methodOption = method === 'GET' ? '' : `method: ${jsString(method)}, `;
  switch (client.kind) {
    case 'omit-credentials':
      return `// credentials: 'same-origin' is fetch's default: no cookies go to another origin.\nfetch(${jsString(url)}, { ${methodOption}credentials: 'same-origin' });`;
    case 'simple-content-type': {
      const lines = [`fetch(${jsString(url)}, {`];
      if (method !== 'GET') lines.push(`  method: ${jsString(method)},`);
      lines.push("  headers: { 'Content-Type': 'text/plain;charset=UTF-8' },", '  body: JSON.stringify(data),', '});');
      return lines.join('\n');
    }
    case 'use-final-url':
      return client.detail ? `fetch(${jsString(client.detail)}${methodOption ? `, { ${methodOption.replace(/, $/, '')} }` : ''});` : undefined;
    case 'use-cors-mode':
      return `fetch(${jsString(url)}, { ${methodOption}mode: 'cors' });`;
    case 'serve-over-http':
      return 'python3 -m http.server 8000\n# then open http://localhost:8000/';
    default:
      return undefined;
  }
}

/** The client-side change that also fixes the request, when there is one. */
export function clientAlternative(record: CorsRecord, fix: Fix, locale: Locale): { text: string; code?: string } | undefined {
  const client = fix.client;
  if (!client || client.kind === 'none') return undefined;
  const render = textFor(locale).client[client.kind];
  if (!render) return undefined;
  const contentType = requestContentType(record.exchange);
  const text = render({
    origin: displayValue(pageOrigin(record.exchange)),
    detail: client.detail === undefined ? undefined : displayValue(client.detail),
    method: displayValue(requestMethod(record.exchange)),
    url: displayValue(withoutUrlCredentials(record.exchange.url)),
    contentType: contentType === undefined ? undefined : displayValue(contentType),
  });
  const code = client.code ?? clientCode(record, fix);
  return code === undefined ? { text } : { text, code };
}

/** What to do besides setting headers, one sentence per step. */
export function fixSteps(record: CorsRecord, fix: Fix, locale: Locale): string[] {
  const text = textFor(locale);
  const steps: string[] = [];
  const removed = [...new Set([...(fix.preflight?.removeHeaders ?? []), ...(fix.actual?.removeHeaders ?? [])])];
  if (removed.length > 0) steps.push(text.removeHeaders(removed.map((h) => displayValue(h))));
  if (fix.actual?.url && fix.actual.url !== record.exchange.url) steps.push(text.setOnUrl(displayValue(fix.actual.url)));
  if (fix.redirect?.avoid) steps.push(text.avoidRedirect(displayValue(fix.redirect.finalUrl ?? withoutUrlCredentials(record.exchange.url))));
  if (fix.other) steps.push(text.other[fix.other](record.diagnosis.reason));
  return steps;
}
