/**
 * curl commands that replay the request against the server, so the backend team can see what the
 * browser saw without a browser: the preflight (OPTIONS with Origin and Access-Control-Request-*) and the
 * actual request (method, Origin, the headers the page set). Secrets are never in a record; where a
 * Cookie or Authorization was sent, a placeholder stands in for it.
 *
 * Every value is POSIX single-quoted, which leaves nothing for the shell to interpret ($(…), backticks,
 * quotes, globs). Control characters cannot be in a real header value; they are replaced so that a pasted
 * command cannot hide a line break or a terminal escape sequence.
 */
import { SECRET_HEADERS } from '../cors/exchange.ts';
import type { CorsRecord } from '../cors/record.ts';
import { replaceChars } from './display-value.ts';
import {
  headerValue,
  isPreflighted,
  isRecordedValue,
  networkAccessRequest,
  originAt,
  requestedHeaders,
  requestMethod,
  urlAt,
  withoutUrlCredentials,
} from './request-facts.ts';

/** Stand-in for values that were not recorded. */
export const PLACEHOLDER = '…';

/** POSIX shell single-quoting: the only character that needs care inside '…' is ' itself. */
export function shellQuote(value: string): string {
  return `'${replaceChars(value, () => '?').replace(/'/g, `'\\''`)}'`;
}

/** A word that needs no quotes when it is a plain token (a method name), else quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(value) ? value : shellQuote(value);
}

/** "content-type" → "Content-Type", for readability; HTTP header names are case-insensitive. */
function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => `${dash}${c.toUpperCase()}`);
}

function command(args: string[]): string {
  return args.join(' \\\n  ');
}

function urlArg(url: string): string {
  // A URL that starts with "-" would be read as an option.
  return url.startsWith('-') ? `--url ${shellQuote(url)}` : shellQuote(url);
}

/** Request headers worth replaying, with their recorded values (or a placeholder). */
function replayHeaders(record: CorsRecord): [string, string][] {
  const { exchange } = record;
  const out: [string, string][] = [];
  const seen = new Set<string>(['origin']);
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push([displayName(key), value]);
  };
  for (const [rawName, value] of exchange.requestHeaders) {
    const name = rawName.toLowerCase();
    if (name === 'content-type' || name === 'accept' || name === 'accept-language' || name === 'content-language' || name === 'range') {
      if (isRecordedValue(value)) add(name, value);
    }
  }
  for (const name of requestedHeaders(exchange)) {
    if (name === 'cookie') continue;
    const value = headerValue(exchange.requestHeaders, name);
    // A secret's value is never replayed, even from a record that kept one (an old or imported file).
    add(name, SECRET_HEADERS.has(name) || !isRecordedValue(value) ? PLACEHOLDER : value);
  }
  const cookie = headerValue(exchange.requestHeaders, 'cookie');
  if (cookie !== undefined || record.diagnosis.findings.some((f) => f.code === 'credentials-sent' && f.via === 'cookie')) {
    add('cookie', PLACEHOLDER);
  }
  const authorization = headerValue(exchange.requestHeaders, 'authorization');
  if (authorization !== undefined) add('authorization', PLACEHOLDER);
  return out;
}

export function curlCommands(record: CorsRecord): { preflight?: string; actual: string } {
  const { exchange } = record;
  const method = requestMethod(exchange);
  const out: { preflight?: string; actual: string } = { actual: '' };

  if (isPreflighted(record)) {
    const args = ['curl -i -X OPTIONS', urlArg(withoutUrlCredentials(exchange.url)), `-H ${shellQuote(`Origin: ${originAt(record, 'preflight')}`)}`];
    args.push(`-H ${shellQuote(`Access-Control-Request-Method: ${method}`)}`);
    const headers = requestedHeaders(exchange);
    if (headers.length > 0) args.push(`-H ${shellQuote(`Access-Control-Request-Headers: ${headers.join(',')}`)}`);
    const network = networkAccessRequest(exchange);
    if (network.privateNetwork) args.push(`-H ${shellQuote('Access-Control-Request-Private-Network: true')}`);
    if (network.localNetwork) args.push(`-H ${shellQuote('Access-Control-Request-Local-Network: true')}`);
    out.preflight = command(args);
  }

  // The actual request goes where the failing check happened: the final URL after redirects, or the
  // redirect hop that failed, with the Origin the browser sent there.
  const stage = record.diagnosis.stage === 'redirect' ? 'redirect' : 'actual';
  const methodArgs = method === 'GET' ? [] : method === 'HEAD' ? ['--head'] : [`-X ${shellWord(method)}`];
  const args = [['curl -i', ...methodArgs].join(' '), urlArg(withoutUrlCredentials(urlAt(record, stage)))];
  args.push(`-H ${shellQuote(`Origin: ${originAt(record, stage)}`)}`);
  for (const [name, value] of replayHeaders(record)) args.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  out.actual = command(args);
  return out;
}
