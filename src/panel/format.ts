/** Small display helpers: times, URLs, sizes. Pure functions; the panel renders their output as text. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `14:03:07.218`, local time, like the DevTools console. */
export function formatTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '';
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Shortens from the middle: keeps the start and the end, which carry the meaning. */
export function ellipsizeMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.45);
  const tail = max - 1 - head;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/**
 * Host and the tail of the path, which is what tells two requests apart in a list:
 * `https://api.example.com/v2/users/42/avatar?size=64` → `api.example.com/…/42/avatar?size=64` when too long.
 */
export function shortUrl(url: string, max = 64): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return ellipsizeMiddle(url, max);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return ellipsizeMiddle(url, max);
  const host = parsed.host;
  const query = parsed.search;
  const path = parsed.pathname;
  if (host.length + path.length + query.length <= max) return host + path + query;
  const segments = path.split('/').filter((s) => s.length > 0);
  let tail = '';
  const budget = Math.max(12, max - host.length - 2);
  for (let i = segments.length - 1; i >= 0; i--) {
    const candidate = `/${segments[i]}${tail}`;
    if (candidate.length + Math.min(query.length, 16) > budget && tail) break;
    tail = candidate;
  }
  if (tail.length > budget) tail = `/${ellipsizeMiddle(tail.slice(1), budget - 1)}`;
  const skipped = tail.length < path.length ? '/…' : '';
  const room = Math.max(0, max - host.length - skipped.length - tail.length);
  const shownQuery = query.length <= room ? query : room > 2 ? `${query.slice(0, room - 1)}…` : query ? '?…' : '';
  return host + skipped + tail + shownQuery;
}

/** `1.2 KB`, `100 KB`, `3.4 MB` — for "show all" buttons on huge values. */
export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} B`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(chars < 10 * 1024 ? 1 : 0)} KB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}

/** Origin of a URL, or the URL itself when it has none. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Characters that render as nothing or reorder the text around them: C0/C1 controls, zero-width and
 * bidirectional controls, line/paragraph separators, soft hyphen, BOM. A hostile server can use them to make a
 * value look like another one. */
function isInvisible(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

export function hasInvisible(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isInvisible(text.charCodeAt(i))) return true;
  return false;
}

/** The text with every invisible character written as `\u{…}`, to show what is really there. */
export function revealInvisible(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += isInvisible(code) ? `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}` : ch;
  }
  return out;
}
