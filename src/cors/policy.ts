/**
 * What differs between the engines, stated once as facts. The checks in classify.ts receive an
 * EngineFacts object and never ask which engine they run for; a new measurement changes a value here.
 */
import type { Stage } from './diagnosis.ts';
import type { Engine } from './exchange.ts';
import { ENGINE_REASON_NAMES, type ReasonId } from './reasons.ts';

/** What the browser's error string says about the request, before any header is read. */
export type ErrorKind =
  /** Completed without an error. */
  | 'none'
  /** The engine's generic "blocked by CORS (or a fetch rule)" error. */
  | 'cors'
  /** A transport failure: connection refused, DNS, reset, TLS… */
  | 'network'
  /** Blocked by the engine's local-network-access rules. */
  | 'local-network'
  /** Cancelled by the page or the browser. Not a failure. */
  | 'abort'
  /** Blocked for a reason that is not CORS (an extension, CSP, ORB, tracking protection…). */
  | 'not-cors';

/** Which reason explains a CORS failure when the request was never sent (no request headers at all). */
export interface UnsentExplanation {
  reason: ReasonId;
  alternatives: ReasonId[];
  unseen: 'request-mode' | 'console-only';
}

export interface EngineFacts {
  /** webRequest hands over repeated response header lines merged into one value joined by ", ". */
  repeatedHeadersMerged: boolean;
  /** How the engine judges an Access-Control-Allow-Origin that holds a list in one line: as "multiple
   * values" (Chromium looks for a space or comma) or as a plain mismatch (Firefox compares the string). */
  commaListInAllowOriginIs: 'multiple' | 'mismatch';
  /** When lines are merged (above), a ", " in the value is either two lines (multiple) or a list in one
   * line (mismatch for Firefox). The one we report; the other becomes the alternative. One switch, so the
   * browser lab can flip it. `multiple-when-repeated`: two lines when a value repeats or one of them is
   * `*` (an application and a proxy both adding the header), else a list someone wrote in one line. */
  mergedAllowOriginMostLikely: 'multiple' | 'mismatch' | 'multiple-when-repeated';
  /** An ACAO that is neither `*`, `null` nor a URL gets its own error instead of a mismatch. */
  separatesInvalidAllowOrigin: boolean;
  /** A redirect to a URL with user:password gets its own error; otherwise the engine refuses the hop
   * without a message of its own and reports the request as one that did not succeed. */
  separatesRedirectCredentials: boolean;
  /** `Access-Control-Allow-Headers: *` still lets `Authorization` through (deprecated; the spec says no). */
  authorizationCoveredByWildcard: boolean;
  /** Allow-Methods and Allow-Headers are both parsed before the method is compared (Fetch "CORS-preflight fetch", Chromium),
   * rather than the method being compared before Allow-Headers is read (Firefox). */
  allowListsParsedBeforeMethodCheck: boolean;
  /** A redirected preflight fails on the redirect itself, before its ACAO is read (Chromium); otherwise the
   * redirect response first goes through the CORS check like any response (Fetch, Firefox). */
  preflightRedirectFailsFirst: boolean;
  /** The preflight of a request to a more private address must answer
   * `Access-Control-Allow-Private-Network: true`. */
  checksAllowPrivateNetwork: boolean;
  /** A simple request blocked by CORS still completes in webRequest (status 200, no error), so the
   * response headers are the only evidence. */
  blockedResponseLooksSuccessful: boolean;
  unsent: UnsentExplanation;
  errorKind(error: string | undefined): ErrorKind;
  /** The engine's own name for a reason at a stage; '' when it has none. */
  names(reason: ReasonId, stage: Stage): string;
}

function chromiumErrorKind(error: string | undefined): ErrorKind {
  if (!error) return 'none';
  if (error === 'net::ERR_FAILED' || error === 'net::ERR_UNSAFE_REDIRECT') return 'cors';
  if (error === 'net::ERR_ABORTED') return 'abort';
  if (error === 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' || error === 'net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS') {
    return 'local-network';
  }
  if (/^net::ERR_(BLOCKED_BY_|CACHE_MISS$|INVALID_URL$|UNKNOWN_URL_SCHEME$|DISALLOWED_URL_SCHEME$|UNSAFE_PORT$)/.test(error)) {
    return 'not-cors';
  }
  return 'network';
}

function geckoErrorKind(error: string | undefined): ErrorKind {
  if (!error) return 'none';
  if (error === 'NS_ERROR_DOM_BAD_URI') return 'cors';
  // A redirect Firefox refuses to follow (a preflight's, or one to a URL with user:password) ends the
  // request with this progress status, reported on the redirect's target (measured, ESR 153). Transport
  // failures have their own codes (NS_ERROR_CONNECTION_REFUSED, NS_ERROR_NET_RESET, …).
  if (error === 'NS_ERROR_NET_ON_RECEIVING_FROM') return 'cors';
  if (error === 'NS_BINDING_ABORTED' || error === 'NS_ERROR_ABORT') return 'abort';
  if (/^NS_BINDING_(REDIRECTED|RETARGETED)$/.test(error)) return 'not-cors';
  if (/^NS_ERROR_(.*_URI|.*BLOCKED.*|CSP_.*|DOM_(CORP|COEP|COOP)_.*|XFO_VIOLATION|UNKNOWN_PROTOCOL)$/.test(error)) return 'not-cors';
  // Firefox logs CORSDidNotSucceed2 for every other failed status of a CORS request.
  return 'network';
}

function namesFor(engine: Engine): (reason: ReasonId, stage: Stage) => string {
  return (reason, stage) => {
    const entry = ENGINE_REASON_NAMES[reason];
    if (engine === 'gecko') return entry.gecko ?? '';
    // A redirect to a non-HTTP(S) URL is refused by Chromium's network stack (net::ERR_UNSAFE_REDIRECT),
    // not by its CORS code.
    if (stage === 'redirect' && reason === 'CORSRequestNotHttp') return '';
    if (stage === 'preflight') return entry.chromiumPreflight ?? entry.chromium ?? '';
    return entry.chromium ?? entry.chromiumPreflight ?? '';
  };
}

const CHROMIUM: EngineFacts = {
  repeatedHeadersMerged: false,
  commaListInAllowOriginIs: 'multiple',
  mergedAllowOriginMostLikely: 'multiple',
  separatesInvalidAllowOrigin: true,
  separatesRedirectCredentials: true,
  authorizationCoveredByWildcard: true,
  allowListsParsedBeforeMethodCheck: true,
  preflightRedirectFailsFirst: true,
  checksAllowPrivateNetwork: true,
  blockedResponseLooksSuccessful: false,
  // Chromium refuses a cross-origin request made with mode "same-origin" before sending anything.
  unsent: { reason: 'CORSDisallowedByMode', alternatives: ['CORSDidNotSucceed'], unseen: 'request-mode' },
  errorKind: chromiumErrorKind,
  names: namesFor('chromium'),
};

const GECKO: EngineFacts = {
  repeatedHeadersMerged: true,
  commaListInAllowOriginIs: 'mismatch',
  // Two lines (a proxy and the application both adding the header) repeat a value or add `*`; distinct
  // origins are a list written in one line. Both lab scenarios (two equal lines; a list) agree with Firefox.
  mergedAllowOriginMostLikely: 'multiple-when-repeated',
  separatesInvalidAllowOrigin: false,
  // Firefox logs CORSDidNotSucceed2 for the URL that redirected (measured, ESR 153).
  separatesRedirectCredentials: false,
  authorizationCoveredByWildcard: true,
  allowListsParsedBeforeMethodCheck: false,
  preflightRedirectFailsFirst: false,
  checksAllowPrivateNetwork: false,
  blockedResponseLooksSuccessful: true,
  // Firefox refuses before sending when it cannot add an Origin header (an extension's expanded
  // principal) or when CORS is disabled by preference; only its console says which.
  unsent: { reason: 'CORSOriginHeaderNotAdded', alternatives: ['CORSDisabled'], unseen: 'console-only' },
  errorKind: geckoErrorKind,
  names: namesFor('gecko'),
};

/** The facts for the engine that observed an exchange. */
export function engineFacts(engine: Engine): EngineFacts {
  return engine === 'gecko' ? GECKO : CHROMIUM;
}
