/**
 * Every reason the product knows. The 15 that Firefox prints and MDN documents use the MDN slug as id;
 * the ones Chromium reports beyond them use ids of ours in the same style.
 */

export const MDN_REASON_IDS = [
  'CORSDisabled',
  'CORSDidNotSucceed',
  'CORSOriginHeaderNotAdded',
  'CORSExternalRedirectNotAllowed',
  'CORSRequestNotHttp',
  'CORSMissingAllowOrigin',
  'CORSAllowOriginNotMatchingOrigin',
  'CORSNotSupportingCredentials',
  'CORSMethodNotFound',
  'CORSMissingAllowCredentials',
  'CORSPreflightDidNotSucceed',
  'CORSInvalidAllowMethod',
  'CORSInvalidAllowHeader',
  'CORSMissingAllowHeaderFromPreflight',
  'CORSMultipleAllowOriginNotAllowed',
] as const;

/** Beyond the 15: what Chromium reports separately (and one Firefox deprecation warning). */
export const EXTRA_REASON_IDS = [
  /** Chromium InvalidAllowOriginValue: ACAO is not `*`, `null` or a serialised origin. */
  'CORSInvalidAllowOrigin',
  /** Chromium RedirectContainsCredentials: a redirect to a URL with user:password. */
  'CORSRedirectContainsCredentials',
  /** Chromium Local/Private Network Access: a less-private page reaching a more-private address. */
  'CORSLocalNetworkAccess',
  /** Chromium DisallowedByMode: a cross-origin request made with mode "same-origin". */
  'CORSDisallowedByMode',
  /** Authorization allowed only through `Access-Control-Allow-Headers: *`: still works, deprecated. */
  'CORSAllowHeaderFromPreflightDeprecation',
] as const;

export const REASON_IDS = [...MDN_REASON_IDS, ...EXTRA_REASON_IDS] as const;

export type MdnReasonId = (typeof MDN_REASON_IDS)[number];
export type ExtraReasonId = (typeof EXTRA_REASON_IDS)[number];
export type ReasonId = (typeof REASON_IDS)[number];

export function isReasonId(value: unknown): value is ReasonId {
  return typeof value === 'string' && (REASON_IDS as readonly string[]).includes(value);
}

export function isMdnReason(id: ReasonId): id is MdnReasonId {
  return (MDN_REASON_IDS as readonly string[]).includes(id);
}

/** A warning-level reason: the request still succeeded. */
export function isWarningReason(id: ReasonId): boolean {
  return id === 'CORSAllowHeaderFromPreflightDeprecation';
}

/** Reasons that produce no webRequest event at all, so no extension can observe them; they are explained
 * in the reason index and, where the page makes them likely (a file:// page), as findings. */
export const UNOBSERVABLE_REASON_IDS: ReadonlySet<ReasonId> = new Set([
  'CORSDisabled',
  'CORSOriginHeaderNotAdded',
  'CORSRequestNotHttp',
]);

/** MDN locales that have a page for each reason (DESIGN.md §6); en-US has all. */
const MDN_FR: ReadonlySet<ReasonId> = new Set([
  'CORSAllowOriginNotMatchingOrigin',
  'CORSDidNotSucceed',
  'CORSDisabled',
  'CORSMissingAllowOrigin',
  'CORSRequestNotHttp',
]);

export type UiLocale = 'en' | 'ja' | 'fr';

/** The MDN page for a reason in the user's locale where MDN has it, else en-US. Extra reasons link to the
 * closest MDN page (the CORS guide or the header's page). */
export function mdnLink(id: ReasonId, locale: UiLocale): string {
  if (!isMdnReason(id)) {
    const page = EXTRA_REASON_MDN_PAGE[id as ExtraReasonId];
    return `https://developer.mozilla.org/en-US/docs/${page}`;
  }
  const mdnLocale = locale === 'ja' ? 'ja' : locale === 'fr' && MDN_FR.has(id) ? 'fr' : 'en-US';
  return `https://developer.mozilla.org/${mdnLocale}/docs/Web/HTTP/Guides/CORS/Errors/${id}`;
}

const EXTRA_REASON_MDN_PAGE: Record<ExtraReasonId, string> = {
  CORSInvalidAllowOrigin: 'Web/HTTP/Reference/Headers/Access-Control-Allow-Origin',
  CORSRedirectContainsCredentials: 'Web/HTTP/Guides/CORS',
  CORSLocalNetworkAccess: 'Web/Security/Attacks/CSRF',
  CORSDisallowedByMode: 'Web/API/Request/mode',
  CORSAllowHeaderFromPreflightDeprecation: 'Web/HTTP/Reference/Headers/Access-Control-Allow-Headers',
};

/** Each engine's own name for a reason: Chromium's `network::mojom::CorsError` (the actual-request name,
 * and the `Preflight…` name where Chromium has a separate one) and Firefox's console key (the `category`
 * of its console message, revision suffix included). A missing entry means the engine has no name of its
 * own for it (it shows only its error string). These are our best knowledge: the browser lab compares
 * them with what the browsers print, and this table is the one place to correct them. */
export interface EngineNames {
  chromium?: string;
  chromiumPreflight?: string;
  gecko?: string;
}

export const ENGINE_REASON_NAMES: Readonly<Record<ReasonId, EngineNames>> = {
  CORSDisabled: { gecko: 'CORSDisabled' },
  CORSDidNotSucceed: { gecko: 'CORSDidNotSucceed2' },
  CORSOriginHeaderNotAdded: { gecko: 'CORSOriginHeaderNotAdded' },
  CORSExternalRedirectNotAllowed: { chromiumPreflight: 'PreflightDisallowedRedirect', gecko: 'CORSExternalRedirectNotAllowed' },
  CORSRequestNotHttp: { chromium: 'CorsDisabledScheme', gecko: 'CORSRequestNotHttp' },
  CORSMissingAllowOrigin: {
    chromium: 'MissingAllowOriginHeader',
    chromiumPreflight: 'PreflightMissingAllowOriginHeader',
    gecko: 'CORSMissingAllowOrigin2',
  },
  CORSAllowOriginNotMatchingOrigin: {
    chromium: 'AllowOriginMismatch',
    chromiumPreflight: 'PreflightAllowOriginMismatch',
    gecko: 'CORSAllowOriginNotMatchingOrigin',
  },
  CORSNotSupportingCredentials: {
    chromium: 'WildcardOriginNotAllowed',
    chromiumPreflight: 'PreflightWildcardOriginNotAllowed',
    gecko: 'CORSNotSupportingCredentials',
  },
  CORSMethodNotFound: { chromiumPreflight: 'MethodDisallowedByPreflightResponse', gecko: 'CORSMethodNotFound' },
  CORSMissingAllowCredentials: {
    chromium: 'InvalidAllowCredentials',
    chromiumPreflight: 'PreflightInvalidAllowCredentials',
    gecko: 'CORSMissingAllowCredentials',
  },
  CORSPreflightDidNotSucceed: { chromiumPreflight: 'PreflightInvalidStatus', gecko: 'CORSPreflightDidNotSucceed3' },
  CORSInvalidAllowMethod: { chromiumPreflight: 'InvalidAllowMethodsPreflightResponse', gecko: 'CORSInvalidAllowMethod' },
  CORSInvalidAllowHeader: { chromiumPreflight: 'InvalidAllowHeadersPreflightResponse', gecko: 'CORSInvalidAllowHeader' },
  CORSMissingAllowHeaderFromPreflight: {
    chromiumPreflight: 'HeaderDisallowedByPreflightResponse',
    gecko: 'CORSMissingAllowHeaderFromPreflight2',
  },
  CORSMultipleAllowOriginNotAllowed: {
    chromium: 'MultipleAllowOriginValues',
    chromiumPreflight: 'PreflightMultipleAllowOriginValues',
    gecko: 'CORSMultipleAllowOriginNotAllowed',
  },
  // Firefox folds an unparsable value into CORSAllowOriginNotMatchingOrigin, so it never reports this one.
  CORSInvalidAllowOrigin: { chromium: 'InvalidAllowOriginValue', chromiumPreflight: 'PreflightInvalidAllowOriginValue' },
  CORSRedirectContainsCredentials: { chromium: 'RedirectContainsCredentials' },
  // Chromium also has InsecurePrivateNetwork / InsecureLocalNetwork and PreflightInvalidAllowPrivateNetwork,
  // which an extension cannot tell apart from these two.
  CORSLocalNetworkAccess: { chromium: 'LocalNetworkAccessPermissionDenied', chromiumPreflight: 'PreflightMissingAllowPrivateNetwork' },
  CORSDisallowedByMode: { chromium: 'DisallowedByMode' },
  // Chromium reports it as a deprecation issue, not a CorsError.
  CORSAllowHeaderFromPreflightDeprecation: {
    chromiumPreflight: 'AuthorizationCoveredByWildcard',
    gecko: 'CORSAllowHeaderFromPreflightDeprecation',
  },
};
