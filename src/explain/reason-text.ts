/**
 * Per-reason text in a locale: the title, the index summary, the "why" sentences, and the reason index
 * the panel shows (every reason, in REASON_IDS order, with its MDN page).
 */
import { isReasonId, isWarningReason, mdnLink, REASON_IDS, type ReasonId, UNOBSERVABLE_REASON_IDS } from '../cors/reasons.ts';
import { textFor } from './locale.ts';
import type { ReasonText } from './text-types.ts';
import type { Locale } from './types.ts';

export interface ReasonIndexEntry {
  id: ReasonId;
  title: string;
  summary: string;
  why: string[];
  /** false for reasons no extension can observe (CORSDisabled, CORSOriginHeaderNotAdded, CORSRequestNotHttp). */
  observable: boolean;
  mdnUrl: string;
  /** A warning-level reason: the request still succeeded. */
  warning: boolean;
}

/** The text of a reason, or the generic text for an id this build does not know. */
export function reasonText(id: string, locale: Locale): ReasonText {
  const text = textFor(locale);
  return isReasonId(id) ? text.reasons[id] : text.unknownReason;
}

export function reasonTitle(id: ReasonId, locale: Locale): string {
  return reasonText(id, locale).title;
}

/** The MDN page of a reason; unknown ids get the CORS guide. */
export function reasonMdnUrl(id: string, locale: Locale): string {
  return isReasonId(id) ? mdnLink(id, locale) : 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS';
}

export function reasonIndex(locale: Locale): ReasonIndexEntry[] {
  return REASON_IDS.map((id) => {
    const text = reasonText(id, locale);
    return {
      id,
      title: text.title,
      summary: text.summary,
      why: [...text.why],
      observable: !UNOBSERVABLE_REASON_IDS.has(id),
      mdnUrl: mdnLink(id, locale),
      warning: isWarningReason(id),
    };
  });
}
