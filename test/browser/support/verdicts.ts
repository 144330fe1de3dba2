// Chromium's verdict for one page load, in our reason ids. Chromium names its CORS errors itself
// (network::mojom::CorsError, exposed over CDP); this is the one place that translates them.
// The protocol types ship with playwright-core but are not in its package exports.
import type { Protocol } from '../../../node_modules/playwright-core/types/protocol';
import type { ReasonId } from '../../../src/cors/reasons.ts';
import type { CorsCapture } from './chromium.ts';

/** Every CorsError the CDP protocol of playwright-core knows. Typed as a full Record so a protocol update
 * that adds a name breaks the type check here instead of slipping through as "unknown". */
const CORS_ERROR_TO_REASON: Record<Protocol.Network.CorsError, ReasonId> = {
  DisallowedByMode: 'CORSDisallowedByMode',
  // A response the CORS code could not use at all; for the page it is a network failure.
  InvalidResponse: 'CORSDidNotSucceed',
  WildcardOriginNotAllowed: 'CORSNotSupportingCredentials',
  MissingAllowOriginHeader: 'CORSMissingAllowOrigin',
  MultipleAllowOriginValues: 'CORSMultipleAllowOriginNotAllowed',
  InvalidAllowOriginValue: 'CORSInvalidAllowOrigin',
  AllowOriginMismatch: 'CORSAllowOriginNotMatchingOrigin',
  InvalidAllowCredentials: 'CORSMissingAllowCredentials',
  CorsDisabledScheme: 'CORSRequestNotHttp',
  PreflightInvalidStatus: 'CORSPreflightDidNotSucceed',
  PreflightDisallowedRedirect: 'CORSExternalRedirectNotAllowed',
  PreflightWildcardOriginNotAllowed: 'CORSNotSupportingCredentials',
  PreflightMissingAllowOriginHeader: 'CORSMissingAllowOrigin',
  PreflightMultipleAllowOriginValues: 'CORSMultipleAllowOriginNotAllowed',
  PreflightInvalidAllowOriginValue: 'CORSInvalidAllowOrigin',
  PreflightAllowOriginMismatch: 'CORSAllowOriginNotMatchingOrigin',
  PreflightInvalidAllowCredentials: 'CORSMissingAllowCredentials',
  PreflightMissingAllowExternal: 'CORSLocalNetworkAccess',
  PreflightInvalidAllowExternal: 'CORSLocalNetworkAccess',
  InvalidAllowMethodsPreflightResponse: 'CORSInvalidAllowMethod',
  InvalidAllowHeadersPreflightResponse: 'CORSInvalidAllowHeader',
  MethodDisallowedByPreflightResponse: 'CORSMethodNotFound',
  HeaderDisallowedByPreflightResponse: 'CORSMissingAllowHeaderFromPreflight',
  RedirectContainsCredentials: 'CORSRedirectContainsCredentials',
  InsecureLocalNetwork: 'CORSLocalNetworkAccess',
  InvalidLocalNetworkAccess: 'CORSLocalNetworkAccess',
  // A no-cors request whose redirect mode is not "follow" was redirected: a request-mode rule.
  NoCorsRedirectModeNotFollow: 'CORSDisallowedByMode',
  LocalNetworkAccessPermissionDenied: 'CORSLocalNetworkAccess',
};

/** Names older or newer Chromium builds use that this protocol version does not list. */
const OTHER_CORS_ERRORS: Record<string, ReasonId> = {
  InsecurePrivateNetwork: 'CORSLocalNetworkAccess',
  InvalidPrivateNetworkAccess: 'CORSLocalNetworkAccess',
  UnexpectedPrivateNetworkAccess: 'CORSLocalNetworkAccess',
  PreflightMissingAllowPrivateNetwork: 'CORSLocalNetworkAccess',
  PreflightInvalidAllowPrivateNetwork: 'CORSLocalNetworkAccess',
  PrivateNetworkAccessPermissionUnavailable: 'CORSLocalNetworkAccess',
  PrivateNetworkAccessPermissionDenied: 'CORSLocalNetworkAccess',
  LocalNetworkAccessPermissionUnavailable: 'CORSLocalNetworkAccess',
};

/** Chromium's deprecation issue for `Authorization` allowed only by `Access-Control-Allow-Headers: *`. */
export const AUTHORIZATION_WILDCARD_DEPRECATION = 'AuthorizationCoveredByWildcard';

/** Our reason for one of Chromium's CorsError names; undefined for a name we do not know. */
export function chromiumCorsErrorToReason(corsError: string): ReasonId | undefined {
  return (CORS_ERROR_TO_REASON as Record<string, ReasonId>)[corsError] ?? OTHER_CORS_ERRORS[corsError];
}

/** net:: errors that are not failures of the request itself. */
const NOT_A_FAILURE = new Set(['net::ERR_ABORTED', 'net::ERR_CACHE_MISS', 'net::ERR_BLOCKED_BY_CLIENT']);

export interface ChromiumVerdict {
  reason: ReasonId | null;
  /** Chromium's own name for it: the CorsError, the deprecation type, or the net:: error. */
  chromiumName?: string;
  url?: string;
}

/**
 * What Chromium said about the requests of one page load, as a single reason:
 * 1. a CORS error on a failed request (Network.loadingFailed corsErrorStatus), else
 * 2. a CORS error raised only as an issue (a request refused before it reached the network), else
 * 3. a transport failure of a cross-origin request (Chromium does not call that CORS; Firefox reports it
 *    as CORSDidNotSucceed and so do we), else
 * 4. a CORS warning: the Authorization-covered-by-wildcard deprecation, else
 * null. Throws on a CorsError name the mapping does not know, so a new Chromium error cannot pass silently.
 */
export function chromiumVerdict(capture: Pick<CorsCapture, 'failures' | 'issues'>, pageOrigin: string): ChromiumVerdict {
  const known = (name: string): ReasonId => {
    const reason = chromiumCorsErrorToReason(name);
    if (!reason) throw new Error(`Chromium CorsError "${name}" has no reason in verdicts.ts`);
    return reason;
  };
  const corsFailure = capture.failures.find((f) => f.corsError);
  if (corsFailure?.corsError) return { reason: known(corsFailure.corsError), chromiumName: corsFailure.corsError, url: corsFailure.url };

  const corsIssue = capture.issues.find((i) => i.code === 'CorsIssue' && i.name && !i.isWarning);
  if (corsIssue?.name) return { reason: known(corsIssue.name), chromiumName: corsIssue.name, url: corsIssue.url };

  const network = capture.failures.find(
    (f) =>
      !f.canceled &&
      !f.blockedReason &&
      !NOT_A_FAILURE.has(f.errorText) &&
      f.resourceType !== 'Preflight' &&
      f.resourceType !== 'Document' &&
      isCrossOrigin(f.url, pageOrigin),
  );
  if (network) return { reason: 'CORSDidNotSucceed', chromiumName: network.errorText, url: network.url };

  const warning = capture.issues.find((i) => i.code === 'CorsIssue' && i.name && i.isWarning);
  if (warning?.name) return { reason: known(warning.name), chromiumName: warning.name, url: warning.url };
  const deprecation = capture.issues.find((i) => i.code === 'DeprecationIssue' && i.name === AUTHORIZATION_WILDCARD_DEPRECATION);
  if (deprecation) return { reason: 'CORSAllowHeaderFromPreflightDeprecation', chromiumName: AUTHORIZATION_WILDCARD_DEPRECATION, url: deprecation.url };

  return { reason: null };
}

function isCrossOrigin(url: string, pageOrigin: string): boolean {
  try {
    return new URL(url).origin !== pageOrigin;
  } catch {
    return false;
  }
}
