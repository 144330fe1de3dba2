/**
 * What the classifier reads of a URL (scheme, origin, host, credentials), worked out once per string.
 *
 * The WHATWG URL parser is the reference: any URL out of the ordinary goes through `new URL`. Plain
 * `http(s)://host[:port]/…` URLs, nearly all the traffic, are read by a short scan that gives the same answers
 * (the path, query and fragment never make an http(s) URL fail or change its origin). Answers are memoised
 * per string in a small bounded table, since a page's requests share a handful of origins and URLs.
 */

/** The parts of a parsed URL the checks use. Shared between callers: never mutated. */
export interface UrlFacts {
  /** As URL#protocol: the scheme with its colon ("https:"). */
  readonly protocol: string;
  /** HTML "serialization of an origin", with extension schemes kept as tuple origins (see serializeOrigin). */
  readonly origin: string;
  /** As URL#hostname. */
  readonly hostname: string;
  /** URL "includes credentials": a non-empty username or password. */
  readonly hasCredentials: boolean;
  readonly hasPassword: boolean;
  /** When the URL has credentials: its href with the password replaced by "redacted", and without
   * username or password (the rare URLs that need them are parsed in full anyway). */
  readonly redactedHref?: string;
  readonly hrefWithoutCredentials?: string;
}

/** Strings remembered at most; the table is emptied when full (cheap, and a page's set is small). */
const MEMO_SIZE = 512;
/** Longer strings are not remembered (a memo holds on to its keys). */
const MEMO_MAX_LENGTH = 1024;
const memo = new Map<string, UrlFacts | null>();

/** The facts of `url`, or null when it does not parse as a URL. */
export function urlFacts(url: string | undefined): UrlFacts | null {
  if (typeof url !== 'string' || url === '') return null;
  const known = memo.get(url);
  if (known !== undefined) return known;
  const facts = plainHttpUrl(url) ?? parsedUrlFacts(url);
  if (url.length <= MEMO_MAX_LENGTH) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(url, facts);
  }
  return facts;
}

function parsedUrlFacts(url: string): UrlFacts | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const { protocol, host } = parsed;
  let origin = parsed.origin;
  if (origin === 'null' && protocol.endsWith('-extension:') && host !== '') origin = `${protocol}//${host}`;
  const hasCredentials = parsed.username !== '' || parsed.password !== '';
  const hasPassword = parsed.password !== '';
  const facts = { protocol, origin, hostname: parsed.hostname, hasCredentials, hasPassword };
  if (!hasCredentials) return facts;
  if (hasPassword) parsed.password = 'redacted';
  const redactedHref = parsed.href;
  parsed.username = '';
  parsed.password = '';
  return { ...facts, redactedHref, hrefWithoutCredentials: parsed.href };
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
const COLON = 0x3a;

function isHostChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/**
 * `http://` or `https://`, then a host of lower-case letters, digits, `-` and `.` (no IDNA label, no
 * empty label, and either a name whose last label is not a number or a dotted-quad IPv4 address already in
 * its canonical form), then an optional port of at most five digits, then the end, `/`, `?` or `#`.
 * Anything else (user info, `\`, `%`, upper case, IPv6, spaces…) returns undefined, for `new URL` to read.
 */
function plainHttpUrl(url: string): UrlFacts | undefined {
  let start: number;
  let protocol: string;
  if (url.startsWith('https://')) {
    start = 8;
    protocol = 'https:';
  } else if (url.startsWith('http://')) {
    start = 7;
    protocol = 'http:';
  } else {
    return undefined;
  }
  let colon = -1;
  let end = start;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === SLASH || c === QUESTION || c === HASH) break;
    if (c === COLON && colon === -1) colon = end;
    else if (colon === -1 ? !isHostChar(c) : c < 0x30 || c > 0x39) return undefined;
  }
  const hostname = url.slice(start, colon === -1 ? end : colon);
  if (!isPlainHost(hostname)) return undefined;
  let port = '';
  if (colon !== -1 && end > colon + 1) {
    if (end - colon - 1 > 5) return undefined;
    const value = Number(url.slice(colon + 1, end));
    if (value > 65535) return undefined;
    if (value !== (protocol === 'https:' ? 443 : 80)) port = `:${value}`;
  }
  return { protocol, origin: `${protocol}//${hostname}${port}`, hostname, hasCredentials: false, hasPassword: false };
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isPlainHost(host: string): boolean {
  if (host === '' || host.length > 200 || host.startsWith('.') || host.endsWith('.') || host.includes('..') || host.includes('xn--')) return false;
  // URL "ends in a number": the host is an IPv4 address, which the parser rewrites unless it is canonical.
  const lastLabel = host.lastIndexOf('.') + 1;
  const c = host.charCodeAt(lastLabel);
  const endsInNumber = isDigit(c) && (c === 0x30 ? host.charCodeAt(lastLabel + 1) === 0x78 /* 0x… */ || allDigits(host, lastLabel) : allDigits(host, lastLabel));
  return !endsInNumber || isCanonicalIpv4(host);
}

function allDigits(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Four decimal numbers of at most 255, without leading zeros, joined by dots. */
function isCanonicalIpv4(host: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= host.length; i++) {
    const c = i === host.length ? 0x2e : host.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      value = 0;
      digits = 0;
    } else if (isDigit(c) && !(digits === 1 && value === 0) && digits < 3) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else {
      return false;
    }
  }
  return parts === 4;
}
