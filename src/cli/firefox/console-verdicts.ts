/**
 * Firefox's own CORS verdicts, as its console reports them, mapped to our reason ids.
 *
 * Firefox logs a blocked request with an nsIScriptError whose `category` is the string key of the message
 * in dom.properties (`CORSMissingAllowOrigin2`, `CORSPreflightDidNotSucceed3`, …). The key does not depend
 * on the UI language; the text does. A trailing number is the message's revision, so the key without it
 * is the MDN slug.
 *
 * Measured on Firefox ESR 153.7 (test/browser/firefox-load.test.ts keeps these true):
 * - `Access-Control-Allow-Origin` sent as two header lines (even two identical, correct lines) →
 *   `CORSMultipleAllowOriginNotAllowed`.
 * - `Access-Control-Allow-Origin: <origin>, http://other.example` as one line →
 *   `CORSAllowOriginNotMatchingOrigin` (the message quotes the whole list as the value that did not match).
 *   webRequest shows both cases the same way (one header, values joined with ", "), so an extension cannot
 *   tell them apart in Firefox; Firefox itself can.
 * - A preflight answered without ACAO logs `CORSMissingAllowOrigin2` and then `CORSDidNotSucceed2`
 *   (status "(null)") for the same URL: the first is the reason.
 * - `Authorization` allowed only through `Access-Control-Allow-Headers: *` logs the warning
 *   `CORSAllowHeaderFromPreflightDeprecation` and the request succeeds. BiDi `log.entryAdded` does not
 *   carry it; a chrome-scope console listener does.
 * - The message's `sourceName` is empty and `innerWindowID` 0 (Firefox logs it from the parent process),
 *   so the request URL is read from the message text.
 */
import type { ReasonId } from '../../cors/reasons.ts';

/** Firefox key (without its revision number) → our reason id. Every key Firefox 153 has in dom.properties. */
export const GECKO_KEY_TO_REASON: Readonly<Record<string, ReasonId>> = {
  CORSDisabled: 'CORSDisabled',
  CORSDidNotSucceed: 'CORSDidNotSucceed',
  CORSOriginHeaderNotAdded: 'CORSOriginHeaderNotAdded',
  CORSExternalRedirectNotAllowed: 'CORSExternalRedirectNotAllowed',
  CORSRequestNotHttp: 'CORSRequestNotHttp',
  CORSMissingAllowOrigin: 'CORSMissingAllowOrigin',
  CORSMultipleAllowOriginNotAllowed: 'CORSMultipleAllowOriginNotAllowed',
  CORSAllowOriginNotMatchingOrigin: 'CORSAllowOriginNotMatchingOrigin',
  CORSNotSupportingCredentials: 'CORSNotSupportingCredentials',
  CORSMethodNotFound: 'CORSMethodNotFound',
  CORSMissingAllowCredentials: 'CORSMissingAllowCredentials',
  CORSPreflightDidNotSucceed: 'CORSPreflightDidNotSucceed',
  CORSInvalidAllowMethod: 'CORSInvalidAllowMethod',
  CORSInvalidAllowHeader: 'CORSInvalidAllowHeader',
  CORSMissingAllowHeaderFromPreflight: 'CORSMissingAllowHeaderFromPreflight',
  CORSAllowHeaderFromPreflightDeprecation: 'CORSAllowHeaderFromPreflightDeprecation',
};

/** `CORSMissingAllowOrigin2` → `CORSMissingAllowOrigin`. */
export function stripRevision(key: string): string {
  return key.replace(/\d+$/, '');
}

/** Our reason id for a Firefox console key, or undefined for a key this table does not know yet. */
export function reasonForGeckoKey(key: string): ReasonId | undefined {
  return GECKO_KEY_TO_REASON[stripRevision(key)];
}

export type ConsoleLevel = 'error' | 'warning' | 'info';

/** One CORS message as Firefox's console service delivered it. */
export interface GeckoCorsMessage {
  /** Firefox's key, revision included (`CORSMissingAllowOrigin2`). */
  key: string;
  /** The request URL, read from the message (the first URL in it); '' when none was found. */
  url: string;
  /** The localized text. */
  message: string;
  level: ConsoleLevel;
  /** ms since the epoch, as Firefox stamped the message. */
  timestamp: number;
}

/** A message judged to be the reason for its request. */
export interface GeckoCorsVerdict extends GeckoCorsMessage {
  /** Our reason id for `key`, undefined when the table lacks the key. */
  reason: ReasonId | undefined;
}

/** nsIScriptError flags: errorFlag 0, warningFlag 1, infoFlag 8. */
export function levelFromFlags(flags: number): ConsoleLevel {
  if (flags & 1) return 'warning';
  if (flags & 8) return 'info';
  return 'error';
}

/** The first absolute URL in a message, without the punctuation that closes the sentence around it. */
export function firstUrlIn(message: string): string {
  const match = /\b(?:https?|wss?|ftp|file|data|blob|moz-extension):[^\s‘’'"<>]+/.exec(message);
  if (!match) return '';
  return match[0].replace(/[.,;:)]+$/, '');
}

/** How far apart (ms) a failure and Firefox's `CORSDidNotSucceed` that follows it may be. */
const FOLLOW_UP_WINDOW_MS = 1_000;

/**
 * One verdict per blocked request. A failed preflight is logged twice: its reason, then
 * `CORSDidNotSucceed` for the same URL. The second is dropped; a `CORSDidNotSucceed` with no earlier
 * error for that URL (a real network failure) stays.
 */
export function verdictsFrom(messages: readonly GeckoCorsMessage[]): GeckoCorsVerdict[] {
  const verdicts: GeckoCorsVerdict[] = [];
  const awaitingFollowUp: GeckoCorsMessage[] = [];
  for (const message of messages) {
    const key = stripRevision(message.key);
    if (key === 'CORSDidNotSucceed' && message.level === 'error') {
      const index = awaitingFollowUp.findIndex(
        (earlier) => earlier.url === message.url && message.timestamp - earlier.timestamp <= FOLLOW_UP_WINDOW_MS,
      );
      if (index >= 0) {
        awaitingFollowUp.splice(index, 1);
        continue;
      }
    } else if (message.level === 'error') {
      awaitingFollowUp.push(message);
    }
    verdicts.push({ ...message, reason: reasonForGeckoKey(message.key) });
  }
  return verdicts;
}
