/**
 * Firefox for browser tests, driven over WebDriver BiDi (built into Firefox; no geckodriver).
 *
 *   const firefox = await launchFirefox({ extension: 'dist/firefox' });
 *   try {
 *     const tab = await firefox.openTab(url);
 *     await firefox.sendExtensionMessage({ type: 'ping' });
 *     await firefox.waitForCorsVerdicts((v) => v.some((x) => x.reason === 'CORSMissingAllowOrigin'));
 *   } finally {
 *     await firefox.close();
 *   }
 *
 * How the parts work (measured on Firefox ESR 153):
 * - Chrome scope: with `--remote-allow-system-access`, `browsingContext.getTree({ 'moz:scope': 'chrome' })`
 *   lists the browser window (chrome://browser/content/browser.xhtml) and `script.evaluate` runs there
 *   with `Services`, `gBrowser`, `ChromeUtils`.
 * - Firefox's CORS verdicts: an nsIConsoleListener registered from chrome scope collects every console
 *   message whose category starts with `CORS` (warnings included, which `log.entryAdded` drops).
 * - Code inside the extension: BiDi refuses to navigate to moz-extension://, so a background tab is opened
 *   from chrome scope (`gBrowser.addTab` with the system principal) on the extension's own manifest.json;
 *   that document has the extension's principal and the `browser` API, and `script.evaluate` runs there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BidiConnection, type EvaluateResult } from './bidi.ts';
import { type PrefValue, QUIET_PREFS, userJs } from './prefs.ts';
import {
  type GeckoCorsMessage,
  type GeckoCorsVerdict,
  firstUrlIn,
  levelFromFlags,
  verdictsFrom,
} from './console-verdicts.ts';

export { BidiConnection, BidiError } from './bidi.ts';
export { PRODUCT_EXTENSION_ID, PRODUCT_EXTENSION_ORIGIN, PRODUCT_EXTENSION_UUID } from './prefs.ts';
export type { GeckoCorsMessage, GeckoCorsVerdict } from './console-verdicts.ts';

export interface LaunchFirefoxOptions {
  /** An unpacked extension directory (dist/firefox) to install as a temporary add-on. */
  extension?: string;
  /** Default true. Without it Firefox needs a display (xvfb-run). */
  headless?: boolean;
  /** Extra preferences; they override the harness's quiet defaults. */
  prefs?: Record<string, PrefValue>;
  /** Default: env FIREFOX_PATH, else /usr/bin/firefox-esr. */
  firefoxPath?: string;
  /** How long to wait for Firefox to listen (ms). Default 30 000. */
  startTimeoutMs?: number;
}

/** One `log.entryAdded` event, reduced. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  text: string;
  type: string;
  /** The BiDi browsing context the entry came from. */
  context: string | undefined;
  timestamp: number;
}

/** A function, or the source text of one, sent to the browser and called there as `(fn)(...args)`. It must
 * not use anything from the test's scope (no imports, no outer variables): pass data as arguments. Arguments
 * and the result travel as JSON; the result may be a promise. */
// biome-ignore lint/suspicious/noExplicitAny: the function runs in another realm; its types are its own.
export type RemoteFunction = string | ((...args: any[]) => unknown);

export interface OpenToolboxOptions {
  /** Title of an extension panel to wait for and select (ours is "CORS"). */
  panel?: string;
  /** How long to wait for that panel and its page (ms). Default 10 000. */
  timeoutMs?: number;
}

export interface ToolboxInfo {
  /** The tool shown (an extension panel's id is `webext-devtools-panel-…`). */
  currentToolId: string;
  /** Ids and titles of the extension panels the toolbox has (so far, when no panel was awaited). */
  extensionPanels: { id: string; label: string }[];
  /** With `panel`: the URL the selected panel's page loaded. */
  panelUrl?: string;
}

/** An extension installed into the running Firefox. */
export interface InstalledExtension {
  id: string;
  uuid: string;
  /** `moz-extension://<uuid>` */
  origin: string;
  /** Runs `fn(...args)` inside the extension (an extension page with the `browser` API); resolves with
   * its JSON-serialisable result (promises are awaited). */
  eval<T = unknown>(fn: RemoteFunction, ...args: unknown[]): Promise<T>;
  /** `browser.storage[area].get(null)` */
  readStorage(area?: 'session' | 'local'): Promise<Record<string, unknown>>;
  /** `browser.runtime.sendMessage(message)`: reaches the background's runtime.onMessage. */
  sendMessage<T = unknown>(message: unknown): Promise<T>;
  uninstall(): Promise<void>;
}

export interface FirefoxHandle {
  readonly bidi: BidiConnection;
  readonly pid: number;
  readonly profileDir: string;
  /** The BiDi context of the browser window (chrome scope). */
  readonly chromeContext: string;
  /** The extension from `options.extension`; undefined when none was given. */
  readonly extension: InstalledExtension | undefined;
  /** A new tab loaded with `url` (waits for `load`); returns its BiDi context id. */
  openTab(url: string): Promise<string>;
  navigate(context: string, url: string): Promise<void>;
  closeTab(context: string): Promise<void>;
  /** Runs `fn(...args)` in a page (a context from openTab); JSON in, JSON out. */
  evaluate<T = unknown>(context: string, fn: RemoteFunction, ...args: unknown[]): Promise<T>;
  /** Runs `fn(...args)` in the browser window's chrome scope (Services, gBrowser, ChromeUtils). */
  chromeEval<T = unknown>(fn: RemoteFunction, ...args: unknown[]): Promise<T>;
  installExtension(path: string): Promise<InstalledExtension>;
  /** `extension.eval` of the extension from `options.extension`. */
  extensionEval<T = unknown>(fn: RemoteFunction, ...args: unknown[]): Promise<T>;
  readExtensionStorage(area?: 'session' | 'local'): Promise<Record<string, unknown>>;
  sendExtensionMessage<T = unknown>(message: unknown): Promise<T>;
  /** Every `log.entryAdded` entry so far (content pages only; CORS warnings are not among them). */
  logEntries(): LogEntry[];
  /** The error-level ones. */
  consoleErrors(): LogEntry[];
  /** Every CORS message Firefox's console service received so far, warnings included, in order. */
  corsMessages(): Promise<GeckoCorsMessage[]>;
  /** One verdict per blocked (or warned) request: the first key Firefox logged for it. */
  corsVerdicts(): Promise<GeckoCorsVerdict[]>;
  /** Polls corsVerdicts() until `until(verdicts)` is true; rejects after `timeoutMs` (default 5 000). */
  waitForCorsVerdicts(until: (verdicts: GeckoCorsVerdict[]) => boolean, timeoutMs?: number): Promise<GeckoCorsVerdict[]>;
  /** Opens the real DevTools toolbox for a tab and, with `panel`, selects that extension panel (best effort:
   * relies on Firefox DevTools internals). The panel's page is not a BiDi context; drive it elsewhere. */
  openDevToolsToolbox(context: string, options?: OpenToolboxOptions): Promise<ToolboxInfo>;
  /** Ends the session, stops Firefox and its children, deletes the profile. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_FIREFOX = '/usr/bin/firefox-esr';
/** The global in the browser window where the console listener keeps CORS messages. */
const CONSOLE_STORE = '__corsExplainerConsole';

export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<FirefoxHandle> {
  const { headless = true, prefs = {}, startTimeoutMs = 30_000 } = options;
  const firefoxPath = options.firefoxPath ?? process.env.FIREFOX_PATH ?? DEFAULT_FIREFOX;
  const profileDir = mkdtempSync(join(tmpdir(), 'cors-explainer-firefox-'));
  writeFileSync(join(profileDir, 'user.js'), userJs({ ...QUIET_PREFS, ...prefs }));

  const args = ['--remote-debugging-port=0', '--remote-allow-system-access', '--profile', profileDir, '--no-remote'];
  if (headless) args.unshift('--headless');
  // Its own process group, so that close() can stop Firefox's child processes with it.
  const child = spawn(firefoxPath, args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_CRASHREPORTER_SHUTDOWN: '1' },
  });
  // A failed spawn (ENOENT) is reported by readBidiUrl; never let it become an uncaught 'error' event.
  child.on('error', () => undefined);
  const stopOnExit = () => killGroup(child);
  process.once('exit', stopOnExit);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });

  let bidi: BidiConnection | undefined;
  const cleanup = async () => {
    process.off('exit', stopOnExit);
    if (bidi?.isOpen) {
      // browser.close ends the session and quits Firefox cleanly; the kill below is the fallback.
      await bidi.send('browser.close', {}, 3_000).catch(() => undefined);
      await bidi.close().catch(() => undefined);
    }
    await waitForExit(child, 3_000);
    killGroup(child);
    await waitForExit(child, 2_000);
    rmSync(profileDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  };

  try {
    const url = await readBidiUrl(child, () => stderr, startTimeoutMs);
    bidi = await BidiConnection.connect(`${url}/session`);
    await bidi.send('session.new', { capabilities: {} });
    return await setUp(bidi, child, profileDir, options, cleanup);
  } catch (error) {
    await cleanup();
    if (error instanceof Error && stderr) error.message += `\n--- firefox stderr (tail) ---\n${stderr.slice(-2_000)}`;
    throw error;
  }
}

async function setUp(
  bidi: BidiConnection,
  child: ChildProcess,
  profileDir: string,
  options: LaunchFirefoxOptions,
  cleanup: () => Promise<void>,
): Promise<FirefoxHandle> {
  const chromeContext = await findChromeContext(bidi);
  const chromeEval = <T>(fn: RemoteFunction, ...args: unknown[]) => evaluateIn<T>(bidi, chromeContext, fn, args);

  // Firefox's own CORS verdicts: every console message whose category is a CORS key.
  await chromeEval((store: string) => {
    // @ts-expect-error chrome-scope globals
    const services = Services;
    // @ts-expect-error chrome-scope globals
    const ci = Ci;
    // @ts-expect-error chrome-scope globals
    const chromeUtils = ChromeUtils;
    const g = globalThis as unknown as Record<string, unknown>;
    if (g[store]) return;
    const messages: unknown[] = [];
    g[store] = messages;
    services.console.registerListener({
      observe(message: { category?: string; errorMessage?: string; flags?: number; timeStamp?: number }) {
        if (!(message instanceof ci.nsIScriptError)) return;
        if (!message.category?.startsWith('CORS')) return;
        messages.push({
          category: message.category,
          message: message.errorMessage,
          flags: message.flags,
          timeStamp: message.timeStamp,
        });
      },
      QueryInterface: chromeUtils.generateQI(['nsIConsoleListener']),
    });
  }, CONSOLE_STORE);
  // The remote agent sets it to false unless the profile has a user value; make sure users' value holds.
  await chromeEval(() => {
    // @ts-expect-error chrome-scope globals
    Services.prefs.setBoolPref('security.fileuri.strict_origin_policy', true);
  });

  const logs: LogEntry[] = [];
  bidi.on('log.entryAdded', (params) => {
    const source = params.source as { context?: string } | undefined;
    logs.push({
      level: params.level as LogEntry['level'],
      text: String(params.text ?? ''),
      type: String(params.type ?? ''),
      context: source?.context,
      timestamp: Number(params.timestamp ?? 0),
    });
  });
  await bidi.send('session.subscribe', { events: ['log.entryAdded'] });

  const corsLog: GeckoCorsMessage[] = [];
  const corsMessages = async () => {
    const fresh = await chromeEval<{ category: string; message: string; flags: number; timeStamp: number }[]>(
      (store: string, from: number) => (globalThis as unknown as Record<string, unknown[]>)[store]?.slice(from) ?? [],
      CONSOLE_STORE,
      corsLog.length,
    );
    for (const m of fresh) {
      corsLog.push({
        key: m.category,
        url: firstUrlIn(m.message),
        message: m.message,
        level: levelFromFlags(m.flags),
        timestamp: m.timeStamp,
      });
    }
    return [...corsLog];
  };
  const corsVerdicts = async () => verdictsFrom(await corsMessages());

  const installExtension = (path: string) => install(bidi, chromeEval, path);
  const extension = options.extension ? await installExtension(options.extension) : undefined;
  const requireExtension = () => {
    if (!extension) throw new Error('launchFirefox was called without `extension`');
    return extension;
  };

  let closed: Promise<void> | undefined;
  return {
    bidi,
    pid: child.pid ?? -1,
    profileDir,
    chromeContext,
    extension,
    async openTab(url) {
      const { context } = await bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
      await bidi.send('browsingContext.navigate', { context, url, wait: 'complete' });
      return context;
    },
    async navigate(context, url) {
      await bidi.send('browsingContext.navigate', { context, url, wait: 'complete' });
    },
    async closeTab(context) {
      await bidi.send('browsingContext.close', { context });
    },
    evaluate: (context, fn, ...args) => evaluateIn(bidi, context, fn, args),
    chromeEval: (fn, ...args) => chromeEval(fn, ...args),
    installExtension,
    extensionEval: (fn, ...args) => requireExtension().eval(fn, ...args),
    readExtensionStorage: (area) => requireExtension().readStorage(area),
    sendExtensionMessage: (message) => requireExtension().sendMessage(message),
    logEntries: () => [...logs],
    consoleErrors: () => logs.filter((entry) => entry.level === 'error'),
    corsMessages,
    corsVerdicts,
    async waitForCorsVerdicts(until, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const verdicts = await corsVerdicts();
        if (until(verdicts)) return verdicts;
        if (Date.now() > deadline) {
          throw new Error(`Firefox logged no matching CORS verdict within ${timeoutMs} ms; got ${JSON.stringify(verdicts)}`);
        }
        await sleep(100);
      }
    },
    openDevToolsToolbox: (context, toolboxOptions = {}) => openToolbox(chromeEval, context, toolboxOptions),
    close() {
      closed ??= cleanup();
      return closed;
    },
  };
}

/** Reads `WebDriver BiDi listening on ws://…` from Firefox's stderr. */
function readBidiUrl(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const found = () => /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(stderr())?.[1];
    const done = (error?: Error, url?: string) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (url) resolvePromise(url);
      else reject(error);
    };
    const onData = () => {
      const url = found();
      if (url) done(undefined, url);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`Firefox exited before listening (code ${code}, signal ${signal})`));
    const onError = (error: Error) => done(error);
    const timer = setTimeout(
      () => done(new Error(`Firefox did not announce WebDriver BiDi within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
    onData();
  });
}

async function findChromeContext(bidi: BidiConnection): Promise<string> {
  const { contexts } = await bidi.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', {
    'moz:scope': 'chrome',
  });
  const window = contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window) {
    throw new Error(`No browser window in chrome scope (is --remote-allow-system-access on?): ${JSON.stringify(contexts)}`);
  }
  return window.context;
}

/** Calls `fn(...args)` in a context; the value comes back through JSON so callers get plain data. */
async function evaluateIn<T>(bidi: BidiConnection, context: string, fn: RemoteFunction, args: unknown[]): Promise<T> {
  const source = typeof fn === 'string' ? fn : fn.toString();
  const expression = `(async () => {
    const value = await (${source})(...${JSON.stringify(args)});
    return JSON.stringify(value === undefined ? {} : { value });
  })()`;
  const result = await bidi.send<EvaluateResult>('script.evaluate', {
    expression,
    target: { context },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  if (result.type === 'exception') {
    const { text, lineNumber } = result.exceptionDetails;
    throw new Error(`evaluation failed in ${context}: ${text}${lineNumber === undefined ? '' : ` (line ${lineNumber})`}`);
  }
  const parsed = JSON.parse(String(result.result.value)) as { value?: T };
  return parsed.value as T;
}

async function install(
  bidi: BidiConnection,
  chromeEval: <T>(fn: RemoteFunction, ...args: unknown[]) => Promise<T>,
  path: string,
): Promise<InstalledExtension> {
  const { extension: id } = await bidi.send<{ extension: string }>('webExtension.install', {
    extensionData: { type: 'path', path: resolve(path) },
  });
  // The pinned UUID for ours; any other extension gets a random one, read back here.
  const uuid = await chromeEval<string>((extensionId: string) => {
    // @ts-expect-error chrome-scope globals
    return WebExtensionPolicy.getByID(extensionId)?.mozExtensionHostname ?? '';
  }, id);
  if (!uuid) throw new Error(`Firefox has no policy for the installed extension ${id}`);
  const origin = `moz-extension://${uuid}`;

  let host: Promise<string> | undefined;
  /** The harness's tab inside the extension; opened once, reopened if it went away. */
  const hostContext = async () => {
    if (host) {
      const context = await host.catch(() => undefined);
      if (context && (await contextExists(bidi, context))) return context;
    }
    host = openExtensionHostTab(bidi, chromeEval, origin);
    return host;
  };

  const extensionEval = async <T>(fn: RemoteFunction, ...args: unknown[]) =>
    evaluateIn<T>(bidi, await hostContext(), fn, args);

  return {
    id,
    uuid,
    origin,
    eval: extensionEval,
    readStorage: (area = 'session') =>
      // @ts-expect-error `browser` exists in the extension page
      extensionEval((a: 'session' | 'local') => browser.storage[a].get(null), area),
    sendMessage: (message) =>
      // @ts-expect-error `browser` exists in the extension page
      extensionEval((m: unknown) => browser.runtime.sendMessage(m), message),
    async uninstall() {
      host = undefined;
      await bidi.send('webExtension.uninstall', { extension: id });
    },
  };
}

let hostTabs = 0;

async function openExtensionHostTab(
  bidi: BidiConnection,
  chromeEval: <T>(fn: RemoteFunction, ...args: unknown[]) => Promise<T>,
  origin: string,
): Promise<string> {
  // manifest.json exists in every extension; devtools.jsonview is off, so it is an inert text document.
  const url = `${origin}/manifest.json#cors-explainer-harness-${++hostTabs}`;
  await chromeEval((pageUrl: string) => {
    // @ts-expect-error chrome-scope globals
    gBrowser.addTab(pageUrl, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
  }, url);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { contexts } = await bidi.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', {
      maxDepth: 0,
    });
    const tab = contexts.find((c) => c.url === url);
    if (tab) {
      const ready = await evaluateIn<boolean>(
        bidi,
        tab.context,
        // @ts-expect-error `browser` exists in the extension page
        () => document.readyState === 'complete' && typeof browser?.runtime?.sendMessage === 'function',
        [],
      ).catch(() => false);
      if (ready) return tab.context;
    }
    await sleep(50);
  }
  throw new Error(`The extension page ${url} did not load within 10 s`);
}

async function contextExists(bidi: BidiConnection, context: string): Promise<boolean> {
  const tree = await bidi.send<{ contexts: unknown[] }>('browsingContext.getTree', { root: context, maxDepth: 0 }).catch(
    () => undefined,
  );
  return (tree?.contexts.length ?? 0) > 0;
}

async function openToolbox(
  chromeEval: <T>(fn: RemoteFunction, ...args: unknown[]) => Promise<T>,
  context: string,
  options: OpenToolboxOptions,
): Promise<ToolboxInfo> {
  return chromeEval<ToolboxInfo>(
    async (contextId: string, panel: string | null, timeoutMs: number) => {
      // @ts-expect-error chrome-scope globals
      const chromeUtils = ChromeUtils;
      const { NavigableManager } = chromeUtils.importESModule('chrome://remote/content/shared/NavigableManager.sys.mjs');
      const browserElement = NavigableManager.getBrowserById(contextId);
      if (!browserElement) throw new Error(`no tab for context ${contextId}`);
      // @ts-expect-error chrome-scope globals
      const tab = gBrowser.getTabForBrowser(browserElement);
      const { require } = chromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
      const { gDevTools } = require('devtools/client/framework/devtools');
      const toolbox = await gDevTools.showToolboxForTab(tab);
      if (!toolbox) throw new Error('Firefox did not open a toolbox for this tab');
      type Definition = { id: string; label?: string };
      const extensionPanels = (): { id: string; label: string }[] =>
        toolbox
          .getAdditionalTools()
          .filter((d: Definition) => d.id.startsWith('webext-devtools-panel-'))
          .map((d: Definition) => ({ id: d.id, label: d.label ?? '' }));
      let panelUrl: string | undefined;
      if (panel !== null) {
        // The devtools page registers its panels after the toolbox opens.
        const deadline = Date.now() + timeoutMs;
        let found = extensionPanels().find((p) => p.label === panel);
        while (!found && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          found = extensionPanels().find((p) => p.label === panel);
        }
        if (!found) throw new Error(`no extension panel "${panel}" in the toolbox: ${JSON.stringify(extensionPanels())}`);
        await toolbox.selectTool(found.id);
        // The panel's page loads in a remote <browser> inside the tool's iframe.
        const frame = toolbox.doc.getElementById(`toolbox-panel-iframe-${found.id}`);
        while (Date.now() < deadline) {
          const inner = frame?.contentDocument?.querySelector('browser');
          const spec: string | undefined = inner?.currentURI?.spec;
          if (spec && spec !== 'about:blank') {
            panelUrl = spec;
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      return { currentToolId: String(toolbox.currentToolId), extensionPanels: extensionPanels(), panelUrl };
    },
    context,
    options.panel ?? null,
    options.timeoutMs ?? 10_000,
  );
}

/** SIGKILL to Firefox's process group: the main process if still there, and any child it left. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(resolvePromise, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
