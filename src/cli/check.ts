/**
 * The headless check: open pages in a browser that has the extension, let each page settle, and read the
 * extension's own diagnoses for its tab. Nothing here classifies anything: the records and their reasons
 * come from the extension (getRecords), and the export document is built from them by the same
 * buildExport (src/explain) the DevTools panel uses for its "Export JSON".
 *
 *   const results = await checkUrls('chromium', ['http://localhost:3000/']);
 *
 * One browser start for all the URLs; each URL gets a fresh tab, closed after it was read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { isWarningReason } from '../cors/reasons.ts';
import { buildExport } from '../explain/export.ts';
import type { ExportDocument } from '../explain/types.ts';
import type { RequestMessage, Requests } from '../messages.ts';
import { launchChromium } from './launch-chromium.ts';
import { LaunchError } from './launch-error.ts';
import { type FirefoxHandle, launchFirefox } from './launch-firefox.ts';
import { NetworkIdle, sleep } from './network-idle.ts';
import { type BrowserName, extensionDir } from './paths.ts';

export type { BrowserName } from './paths.ts';

export interface CheckOptions {
  /** The longest a page may take to settle, from the start of its navigation (ms). Default 10 000. */
  waitMs?: number;
  /** How long the page's network must be quiet before it counts as settled (ms). Default 500. */
  idleMs?: number;
  /** An unpacked extension build; default dist/chrome or dist/firefox. */
  extension?: string;
  /** Default true. */
  headless?: boolean;
  /** Progress lines (the CLI sends them to stderr with --verbose). */
  log?: (line: string) => void;
  /** Default true: the browser library closes the browser on SIGINT/SIGTERM. false: the caller does (and
   * calls close()). */
  handleSignals?: boolean;
}

export interface CheckResult {
  /** The URL as asked. */
  url: string;
  /** Where the tab ended up (after redirects). */
  pageUrl: string;
  tabId: number;
  /** The export of the extension's records for the tab: the same document as the panel's "Export JSON". */
  document: ExportDocument;
  /** Records that are failures (the request was blocked). */
  failures: number;
  /** Records that are warnings only (the request went through). */
  warnings: number;
  /** The page itself did not load (DNS, refused connection…): nothing could be checked. */
  loadError?: string;
  /** The page's network was still busy when the wait ran out; what was recorded until then is reported. */
  timedOut: boolean;
}

export const DEFAULT_WAIT_MS = 10_000;
export const DEFAULT_IDLE_MS = 500;
/** After the network went quiet, the records are read again until two reads this far apart agree. */
const SETTLE_POLL_MS = 150;

/** A browser with the extension, ready to check pages one after the other. */
export interface CheckSession {
  readonly browser: BrowserName;
  check(url: string): Promise<CheckResult>;
  close(): Promise<void>;
}

export async function checkUrls(browser: BrowserName, urls: string[], options: CheckOptions = {}): Promise<CheckResult[]> {
  const session = await openCheckSession(browser, options);
  try {
    const results: CheckResult[] = [];
    for (const url of urls) results.push(await session.check(url));
    return results;
  } finally {
    await session.close();
  }
}

export async function openCheckSession(browser: BrowserName, options: CheckOptions = {}): Promise<CheckSession> {
  const driver = browser === 'chromium' ? await ChromiumDriver.start(options) : await FirefoxDriver.start(options);
  return new Session(browser, driver, options);
}

/** What a browser must provide: a tab per URL, and one-shot messages to the extension's background. */
interface Driver {
  /** Opens `url` in a new tab and waits until its network settled (or the deadline). */
  open(url: string, deadline: number, idleMs: number): Promise<OpenedTab>;
  /** runtime.sendMessage from an extension page; undefined when nobody answered. */
  request(message: RequestMessage): Promise<unknown>;
  close(): Promise<void>;
}

interface OpenedTab {
  tabId: number;
  pageUrl: string;
  loadError?: string;
  timedOut: boolean;
  /** When timed out: URLs of the requests still in flight. */
  busy: string[];
  close(): Promise<void>;
}

type Reply<K extends keyof Requests> = Requests[K]['reply'];

class Session implements CheckSession {
  /** The engine as the extension names it (ping), asked once. */
  private engine: Promise<Reply<'ping'>['engine']> | undefined;

  constructor(
    readonly browser: BrowserName,
    private readonly driver: Driver,
    private readonly options: CheckOptions,
  ) {}

  async check(url: string): Promise<CheckResult> {
    const log = this.options.log ?? (() => undefined);
    const started = Date.now();
    const deadline = started + (this.options.waitMs ?? DEFAULT_WAIT_MS);
    log(`opening ${url}`);
    const tab = await this.driver.open(url, deadline, this.options.idleMs ?? DEFAULT_IDLE_MS);
    try {
      const state = tab.loadError
        ? `did not load (${tab.loadError})`
        : tab.timedOut
          ? tab.busy[0]
            ? `still busy at the wait limit (${tab.busy.length} request(s) in flight, e.g. ${tab.busy[0]})`
            : 'still loading at the wait limit'
          : 'network idle';
      log(`tab ${tab.tabId}: ${state} after ${Date.now() - started} ms`);
      const { records, dropped } = await this.settledRecords(tab, deadline);
      const document = buildExport(records, {
        tabId: tab.tabId,
        pageUrl: tab.pageUrl,
        dropped,
        engine: await this.engineName(),
        generatedAt: new Date().toISOString(),
        extensionVersion: this.extensionVersion(),
      });
      const warnings = document.records.filter((r) => isWarningReason(r.reason)).length;
      log(`tab ${tab.tabId}: ${document.records.length} record(s) read from the extension`);
      return {
        url,
        pageUrl: tab.pageUrl,
        tabId: tab.tabId,
        document,
        failures: document.records.length - warnings,
        warnings,
        ...(tab.loadError ? { loadError: tab.loadError } : {}),
        timedOut: tab.timedOut,
      };
    } finally {
      await tab.close();
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  /** The background writes records asynchronously after the network events: read until two reads agree. */
  private async settledRecords(tab: OpenedTab, deadline: number): Promise<Reply<'getRecords'>> {
    let previous = await this.recordsFor(tab);
    const stopAt = Math.max(deadline, Date.now() + 3 * SETTLE_POLL_MS);
    for (;;) {
      await sleep(SETTLE_POLL_MS);
      const next = await this.recordsFor(tab);
      if (sameRecords(previous, next) || Date.now() >= stopAt) return next;
      previous = next;
    }
  }

  /** The tab's records as the extension stored them (getRecords). */
  private async recordsFor(tab: OpenedTab): Promise<Reply<'getRecords'>> {
    const message: RequestMessage = { type: 'getRecords', payload: { tabId: tab.tabId } };
    const reply = await this.driver.request(message);
    if (!isRecordsReply(reply)) {
      throw new LaunchError('the extension did not answer getRecords (is dist/ an older build? run `npm run build`)');
    }
    return reply;
  }

  private engineName(): Promise<Reply<'ping'>['engine']> {
    this.engine ??= this.driver.request({ type: 'ping', payload: {} }).then((reply) => {
      const engine = (reply as Partial<Reply<'ping'>> | undefined)?.engine;
      if (engine !== 'chromium' && engine !== 'gecko') throw new LaunchError('the extension did not answer ping');
      return engine;
    });
    return this.engine;
  }

  /** The version in the checked build's manifest (what runtime.getManifest() says in the extension). */
  private extensionVersion(): string {
    const dir = this.options.extension ?? extensionDir(this.browser);
    try {
      const version = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version?: unknown }).version;
      return typeof version === 'string' ? version : '';
    } catch {
      return '';
    }
  }
}

function sameRecords(a: Reply<'getRecords'>, b: Reply<'getRecords'>): boolean {
  return a.records.length === b.records.length && a.records.every((r, i) => r.id === b.records[i]?.id) && a.dropped === b.dropped;
}

function isRecordsReply(value: unknown): value is Reply<'getRecords'> {
  const v = value as Partial<Reply<'getRecords'>> | null | undefined;
  return typeof v === 'object' && v !== null && Array.isArray(v.records) && typeof v.dropped === 'number';
}

/** The first line of an error, without Playwright's "page.goto: " prefix and call log. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // "page.goto: net::ERR_…" (Playwright), "unknown error: Error: NS_ERROR_…" (WebDriver BiDi)
  return (text.split('\n')[0] ?? text).replace(/^(?:[\w.]+: |unknown error: |Error: )+/, '').trim();
}

// ── Chromium ─────────────────────────────────────────────────────────────────────────────────────────

/** The `chrome` global of an extension page, as far as this file uses it. The functions given to
 * `host.evaluate` run in that page: they may use only their arguments and the page's globals. */
interface ExtensionPageChrome {
  tabs: { query(query: object): Promise<Array<{ id?: number }>> };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
}
type ExtensionPage = typeof globalThis & { chrome: ExtensionPageChrome };

class ChromiumDriver implements Driver {
  private constructor(
    private readonly launched: Awaited<ReturnType<typeof launchChromium>>,
    /** An extension page (its manifest.json): runtime messages and tabs.query run there. */
    private readonly host: Page,
  ) {}

  static async start(options: CheckOptions): Promise<ChromiumDriver> {
    const log = options.log ?? (() => undefined);
    const started = Date.now();
    const launched = await launchChromium({
      extension: options.extension ?? extensionDir('chromium'),
      headless: options.headless ?? true,
      handleSignals: options.handleSignals ?? true,
    });
    try {
      const host = await launched.context.newPage();
      await host.goto(`chrome-extension://${launched.extensionId}/manifest.json`);
      await host.waitForFunction(() => typeof (globalThis as Partial<ExtensionPage>).chrome?.runtime === 'object');
      log(`chromium started with extension ${launched.extensionId} in ${Date.now() - started} ms (profile ${launched.userDataDir})`);
      return new ChromiumDriver(launched, host);
    } catch (error) {
      await launched.close();
      throw error;
    }
  }

  private async tabIds(): Promise<number[]> {
    const tabs = await this.host.evaluate(() => (globalThis as ExtensionPage).chrome.tabs.query({}));
    return tabs.map((t) => t.id ?? -1).filter((id) => id >= 0);
  }

  async open(url: string, deadline: number, idleMs: number): Promise<OpenedTab> {
    const before = new Set(await this.tabIds());
    const page = await this.launched.context.newPage();
    const closePage = () => page.close().catch(() => undefined);
    try {
      const tabId = await this.newTabId(before);
      const network = new NetworkIdle();
      const done = (request: Request) => network.ended(request);
      page.on('request', (request) => network.started(request, request.url()));
      // A request counts as done once its response headers are in: CORS is decided by then, and a body
      // the page never reads keeps the request from "finishing" in Chromium's eyes.
      page.on('response', (response) => done(response.request()));
      page.on('requestfinished', done);
      page.on('requestfailed', done);
      let loadError: string | undefined;
      try {
        await page.goto(url, { waitUntil: 'load', timeout: Math.max(1, deadline - Date.now()) });
      } catch (error) {
        // A page still loading at the wait limit is checked as it is; a page that could not load at all is not.
        if ((error as Error).name !== 'TimeoutError') loadError = firstLine(error);
      }
      const idle = loadError ? true : await network.waitForIdle(idleMs, deadline);
      return { tabId, pageUrl: page.url(), loadError, timedOut: !idle, busy: network.inFlight(), close: closePage };
    } catch (error) {
      await closePage();
      throw error;
    }
  }

  /** The tab that appeared since `before` (tabs.query sees a new tab a moment after it opened). */
  private async newTabId(before: Set<number>): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const fresh = (await this.tabIds()).filter((id) => !before.has(id));
      if (fresh.length === 1 && fresh[0] !== undefined) return fresh[0];
      await sleep(20);
    }
    throw new Error('could not find the new tab among the extension’s tabs');
  }

  request(message: RequestMessage): Promise<unknown> {
    return this.host.evaluate((m) => (globalThis as ExtensionPage).chrome.runtime.sendMessage(m), message).catch((error: unknown) => {
      // "Could not establish connection" / "message port closed": the background did not answer.
      if (/establish connection|port closed/i.test(String(error))) return undefined;
      throw error;
    });
  }

  close(): Promise<void> {
    return this.launched.close();
  }
}

// ── Firefox ──────────────────────────────────────────────────────────────────────────────────────────

const NETWORK_EVENTS = ['network.beforeRequestSent', 'network.responseStarted', 'network.responseCompleted', 'network.fetchError'];

class FirefoxDriver implements Driver {
  private network: NetworkIdle | undefined;

  private constructor(private readonly firefox: FirefoxHandle) {
    // One check at a time: every request of the content pages belongs to the tab being checked. A request
    // is one hop (id + redirect count): a redirect ends one hop and starts the next.
    const key = (params: Record<string, unknown>) =>
      `${(params.request as { request?: string } | undefined)?.request}/${String(params.redirectCount ?? 0)}`;
    firefox.bidi.on('network.beforeRequestSent', (params) =>
      this.network?.started(key(params), String((params.request as { url?: string } | undefined)?.url ?? '')),
    );
    // Done at the response headers, as in Chromium (see ChromiumDriver.open).
    firefox.bidi.on('network.responseStarted', (params) => this.network?.ended(key(params)));
    firefox.bidi.on('network.responseCompleted', (params) => this.network?.ended(key(params)));
    firefox.bidi.on('network.fetchError', (params) => this.network?.ended(key(params)));
  }

  static async start(options: CheckOptions): Promise<FirefoxDriver> {
    const log = options.log ?? (() => undefined);
    const started = Date.now();
    const firefox = await launchFirefox({ extension: options.extension ?? extensionDir('firefox'), headless: options.headless ?? true });
    try {
      await firefox.bidi.send('session.subscribe', { events: NETWORK_EVENTS });
      const driver = new FirefoxDriver(firefox);
      // Opens the harness's extension page now, so that it is not taken for the checked tab later.
      await driver.tabIds();
      log(`firefox started with extension ${firefox.extension?.id} in ${Date.now() - started} ms (profile ${firefox.profileDir})`);
      return driver;
    } catch (error) {
      await firefox.close();
      throw error;
    }
  }

  private async tabIds(): Promise<number[]> {
    const ids = await this.firefox.extensionEval<number[]>(() =>
      // @ts-expect-error `browser` exists in the extension page
      browser.tabs.query({}).then((tabs: Array<{ id?: number }>) => tabs.map((t) => t.id ?? -1)),
    );
    return ids.filter((id) => id >= 0);
  }

  async open(url: string, deadline: number, idleMs: number): Promise<OpenedTab> {
    const before = new Set(await this.tabIds());
    const { context } = await this.firefox.bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    const closeTab = async () => {
      this.network = undefined;
      await this.firefox.closeTab(context).catch(() => undefined);
    };
    try {
      const tabId = await this.newTabId(before);
      const network = new NetworkIdle();
      this.network = network;
      let loadError: string | undefined;
      let timedOut = false;
      try {
        await this.firefox.bidi.send('browsingContext.navigate', { context, url, wait: 'complete' }, Math.max(1, deadline - Date.now()));
      } catch (error) {
        if (/no answer within/.test(String(error))) timedOut = true;
        else loadError = firstLine(error);
      }
      const idle = loadError ? true : await network.waitForIdle(idleMs, deadline);
      const { contexts } = await this.firefox.bidi.send<{ contexts: Array<{ url: string }> }>('browsingContext.getTree', {
        root: context,
        maxDepth: 0,
      });
      return { tabId, pageUrl: contexts[0]?.url ?? url, loadError, timedOut: timedOut || !idle, busy: network.inFlight(), close: closeTab };
    } catch (error) {
      await closeTab();
      throw error;
    }
  }

  private async newTabId(before: Set<number>): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const fresh = (await this.tabIds()).filter((id) => !before.has(id));
      if (fresh.length === 1 && fresh[0] !== undefined) return fresh[0];
      await sleep(20);
    }
    throw new Error('could not find the new tab among the extension’s tabs');
  }

  request(message: RequestMessage): Promise<unknown> {
    return this.firefox.sendExtensionMessage(message).catch((error: unknown) => {
      if (/Receiving end does not exist|establish connection/i.test(String(error))) return undefined;
      throw error;
    });
  }

  close(): Promise<void> {
    return this.firefox.close();
  }
}
