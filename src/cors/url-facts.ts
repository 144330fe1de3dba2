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

const CANONICAL_IPV4_PART = /^(?:0|[1-9][0-9]{0,2})$/;

function isPlainHost(host: string): boolean {
  if (host === '' || host.length > 200 || host.startsWith('.') || host.endsWith('.') || host.includes('..') || host.includes('xn--')) return false;
  const last = host.slice(host.lastIndexOf('.') + 1);
  // URL "ends in a number": the host is an IPv4 address, which the parser rewrites unless it is canonical.
  const endsInNumber = /^[0-9]+$/.test(last) || last.startsWith('0x');
  if (!endsInNumber) return true;
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => CANONICAL_IPV4_PART.test(p) && Number(p) <= 255);
}
