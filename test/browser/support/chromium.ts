// Shared Chromium for browser tests: the launcher (src/cli/launch-chromium.ts: a fresh profile per launch,
// the system Chromium, optional unpacked extension) and Chromium's own CORS verdicts read over CDP (the
// ground truth on Chromium).
import type { CDPSession, Page } from 'playwright-core';
// The launcher is product code (the CLI and `npm start` use it); tests import it from here. It returns
// only once the extension's worker has run its top level (see src/cli/launch-chromium.ts).
export {
  CHROMIUM_PATH,
  chromiumArgs,
  type LaunchedChromium,
  type LaunchOptions,
  launchChromium,
} from '../../../src/cli/launch-chromium.ts';

/** One request that failed, as Chromium's network stack reported it. */
export interface ChromiumFailure {
  requestId: string;
  url: string;
  method: string;
  /** CDP resource type: Fetch, XHR, Script, Font, Image, Preflight… */
  resourceType: string;
  /** net::ERR_… */
  errorText: string;
  canceled: boolean;
  /** Chromium's CorsError name (e.g. "MissingAllowOriginHeader"), when CORS was the cause. */
  corsError?: string;
  failedParameter?: string;
  /** Set when the failure was a block (e.g. "corp", "mixed-content"), not CORS. */
  blockedReason?: string;
}

/** An issue Chromium raised in DevTools' Issues panel (Audits domain). */
export interface ChromiumIssue {
  code: string;
  /** CorsIssue: the CorsError; DeprecationIssue: the deprecation type. */
  name?: string;
  isWarning?: boolean;
  url?: string;
}

export interface CorsCapture {
  /** Live: grows while the page runs. */
  failures: ChromiumFailure[];
  issues: ChromiumIssue[];
  /** Everything Chromium reported as requested (url + method + type), for context in assertions. */
  requests: Array<{ requestId: string; url: string; method: string; resourceType: string }>;
  session: CDPSession;
  stop(): Promise<void>;
}

interface RequestInfo {
  url: string;
  method: string;
  resourceType: string;
}

/**
 * Listens to Chromium's own verdicts for one page over CDP: Network.loadingFailed (with corsErrorStatus)
 * and Audits.issueAdded (CORS issues, deprecations such as Authorization covered by a wildcard).
 */
export async function captureCorsErrors(page: Page): Promise<CorsCapture> {
  const session = await page.context().newCDPSession(page);
  const byId = new Map<string, RequestInfo>();
  const failures: ChromiumFailure[] = [];
  const issues: ChromiumIssue[] = [];
  const requests: CorsCapture['requests'] = [];

  session.on('Network.requestWillBeSent', (event) => {
    const info = { url: event.request.url, method: event.request.method, resourceType: event.type ?? 'Other' };
    byId.set(event.requestId, info);
    requests.push({ requestId: event.requestId, ...info });
  });
  session.on('Network.responseReceived', (event) => {
    const known = byId.get(event.requestId);
    if (!known) byId.set(event.requestId, { url: event.response.url, method: '', resourceType: event.type });
  });
  session.on('Network.loadingFailed', (event) => {
    const info = byId.get(event.requestId);
    failures.push({
      requestId: event.requestId,
      url: info?.url ?? '',
      method: info?.method ?? '',
      resourceType: event.type ?? info?.resourceType ?? 'Other',
      errorText: event.errorText,
      canceled: event.canceled === true,
      corsError: event.corsErrorStatus?.corsError,
      failedParameter: event.corsErrorStatus?.failedParameter,
      blockedReason: event.blockedReason,
    });
  });
  session.on('Audits.issueAdded', (event) => {
    const { code, details } = event.issue;
    if (code === 'CorsIssue' && details.corsIssueDetails) {
      const d = details.corsIssueDetails;
      issues.push({ code, name: d.corsErrorStatus.corsError, isWarning: d.isWarning, url: d.request.url });
    } else if (code === 'DeprecationIssue' && details.deprecationIssueDetails) {
      issues.push({ code, name: details.deprecationIssueDetails.type, url: details.deprecationIssueDetails.sourceCodeLocation?.url });
    } else {
      issues.push({ code });
    }
  });
  await session.send('Network.enable');
  await session.send('Audits.enable');

  return {
    failures,
    issues,
    requests,
    session,
    async stop() {
      await session.detach().catch(() => undefined);
    },
  };
}
