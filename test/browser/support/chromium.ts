// Shared Chromium for browser tests: a fresh profile per launch, the system Chromium, optional unpacked
// extension, and Chromium's own CORS verdicts read over CDP (the ground truth on Chromium).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export interface LaunchOptions {
  /** Directory of an unpacked extension to load (e.g. dist/chrome). */
  extension?: string;
  headless?: boolean;
  /** Extra command-line switches. */
  args?: string[];
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** Set when an extension was loaded: the id from its service worker URL. */
  extensionId?: string;
  serviceWorker?: Worker;
  userDataDir: string;
  close(): Promise<void>;
}

/** The switches every test launch uses (the extension ones are added when an extension is given). */
export function chromiumArgs(extension?: string): string[] {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (extension) args.push(`--disable-extensions-except=${extension}`, `--load-extension=${extension}`);
  return args;
}

export async function launchChromium({ extension, headless = true, args = [] }: LaunchOptions = {}): Promise<LaunchedChromium> {
  const dist = extension ? resolve(extension) : undefined;
  const userDataDir = await mkdtemp(join(tmpdir(), 'cors-explainer-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless,
      args: [...chromiumArgs(dist), ...args],
      // Playwright turns extensions off by default; a test that loads one needs them on.
      ignoreDefaultArgs: dist ? ['--disable-extensions'] : [],
    });
    let serviceWorker: Worker | undefined;
    let extensionId: string | undefined;
    if (dist) {
      serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
      extensionId = new URL(serviceWorker.url()).host;
    }
    const launched = context;
    return {
      context: launched,
      extensionId,
      serviceWorker,
      userDataDir,
      async close() {
        await launched.close().catch(() => undefined);
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

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
