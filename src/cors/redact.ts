/**
 * Budgets and redaction for anything that is stored or shown: values are cut at 2 KB, URL passwords are
 * replaced. Used by reduce.ts (the stored exchange) and classify.ts (culprit and evidence values).
 */
import { urlFacts } from './url-facts.ts';

/** Longest value kept, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 2048;

function utf8Size(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** `value` cut to at most `max` UTF-8 bytes (never inside a character), with a marker naming how many
 * bytes were dropped. */
export function truncateValue(value: string, max = MAX_VALUE_BYTES): string {
  if (value.length * 3 <= max) return value;
  let total = 0;
  let kept = 0;
  let index = 0;
  for (const ch of value) {
    const size = utf8Size(ch.codePointAt(0) ?? 0);
    if (total === kept && kept + size <= max) {
      kept += size;
      index += ch.length;
    }
    total += size;
  }
  return total <= max ? value : `${value.slice(0, index)}…[truncated ${total - kept} bytes]`;
}

/** A URL with its password replaced (the username stays, so "this URL carries credentials" stays true),
 * cut to the value budget. */
export function redactUrl(url: string): string {
  const facts = urlFacts(url);
  return truncateValue(facts?.hasPassword && facts.redactedHref !== undefined ? facts.redactedHref : url);
}
