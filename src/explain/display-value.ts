/**
 * Values from the wire (header values, URLs, error strings) as they may appear inside a sentence. They are
 * rendered as text, so nothing here is about HTML; it keeps a hostile value from turning one sentence into
 * a page: control characters become visible escapes and very long values are cut.
 */

/** Longest value quoted inside a sentence. */
export const MAX_INLINE_VALUE = 200;

/** Bidirectional controls and Unicode line/paragraph separators: they can make text read differently
 * from what it is, or break a line where no line break is visible. */
const INVISIBLE_FORMAT: ReadonlySet<number> = new Set([
  0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/** C0 controls, DEL and C1 controls. */
export function isControlChar(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** A character that is not shown as itself: controls, bidi overrides, line separators. */
export function isInvisibleChar(code: number): boolean {
  return isControlChar(code) || INVISIBLE_FORMAT.has(code);
}

/** Replaces each character for which `which(codePoint)` holds. */
export function replaceChars(value: string, replace: (char: string, code: number) => string, which: (code: number) => boolean = isInvisibleChar): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    out += which(code) ? replace(char, code) : char;
  }
  return out;
}

export function escapeInvisible(value: string): string {
  return replaceChars(value, (c, code) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A value safe to quote in a sentence: invisible characters escaped, cut after `max` characters. */
export function displayValue(value: string, max = MAX_INLINE_VALUE): string {
  const visible = escapeInvisible(value);
  if (visible.length <= max) return visible;
  // Do not cut a surrogate pair in half.
  let end = max;
  const code = visible.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${visible.slice(0, end)}…`;
}
