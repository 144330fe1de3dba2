/**
 * `npm start` / `npm run start:firefox`: the first five minutes. Starts the CORS lab, opens a browser with
 * the extension loaded, the lab's index in a tab and DevTools on it (on the CORS panel where the browser
 * lets us select it), tells the person what to click, and runs until Ctrl-C or until the browser is
 * closed. scripts/start.mjs checks for a display and builds first; it then calls `start`.
 *
 * Headless mode (tests, CI): everything but the window. It prints one ready line, with a CDP endpoint for
 * Chromium so that a test can look inside, and stops cleanly on SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CDPSession } from 'playwright-core';
import type { RunningLab, StartLabOptions } from '../../lab/server.mjs';
import { launchChromium } from './launch-chromium.ts';
import { type FirefoxHandle, launchFirefox } from './launch-firefox.ts';
import { sleep } from './network-idle.ts';
import { type BrowserName, extensionDir, PROJECT_ROOT } from './paths.ts';

export interface StartOptions {
  browser: BrowserName;
  headless: boolean;
  /** Lines for the person (stdout). */
  out?: (line: string) => void;
  /** Errors and notes (stderr). */
  err?: (line: string) => void;
}

/** What the lab listens on unless LAB_PORT_PAGE/API/THIRD say otherwise (as `npm run lab`). */
export const LAB_PORTS = { page: 8700, api: 8701, third: 8702 } as const;

const DEVTOOLS_WAIT_MS = 8_000;

/** A running session: `stopped` settles when it ended (signal, or the browser went away). */
export interface Started {
  lab: RunningLab;
  stop(): Promise<void>;
  stopped: Promise<void>;
}

export async function start(options: StartOptions): Promise<Started> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lab = await startLabOnFreePorts(err);
  const index = `${lab.origins.page}/`;
  try {
    const session =
      options.browser === 'chromium' ? await startChromium(index, options.headless) : await startFirefox(index, options.headless);
    let stopping: Promise<void> | undefined;
    let resolveStopped: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      resolveStopped = resolve;
    });
    const stop = () => {
      stopping ??= (async () => {
        await session.close().catch(() => undefined);
        await lab.close().catch(() => undefined);
        resolveStopped();
      })();
      return stopping;
    };
    session.onGone(() => void stop());

    if (options.headless) {
      const fields = [`lab=${index}`, `browser=${options.browser}`, `extension=${session.extensionId}`, `devtools=${session.devtools}`];
      if (session.cdpEndpoint) fields.push(`cdp=${session.cdpEndpoint}`);
      out(`cors-explainer start: ready ${fields.join(' ')}`);
    } else {
      for (const line of instructions(options.browser, index, session.devtools)) out(line);
    }
    return { lab, stop, stopped };
  } catch (error) {
    await lab.close();
    throw error;
  }
}

function instructions(browser: BrowserName, index: string, devtools: DevToolsState): string[] {
  const name = browser === 'chromium' ? 'Chromium' : 'Firefox';
  const panel =
    devtools === 'cors-panel'
      ? 'DevTools is open on the CORS panel.'
      : devtools === 'open'
        ? 'DevTools is open: choose its "CORS" tab (behind the » menu if the tabs do not fit).'
        : `Open DevTools (F12) and choose its "CORS" tab.`;
  return [
    `CORS Explainer is running in ${name} with the CORS lab at ${index}`,
    '',
    `  1. ${panel}`,
    '  2. In the lab page, press "Run all failing": each scenario makes one request a real server could get wrong.',
    '  3. The CORS panel lists every refused request. Click one: it says which header is missing or wrong and',
    '     shows the fix for your server (nginx, Express, Django, …), ready to copy.',
    '',
    'Any other site works too: open it in this browser and look at its CORS panel in DevTools.',
    'Without a window: npx cors-explainer check <url>',
    'Press Ctrl-C here to close the browser and the lab.',
  ];
}

// ── The lab ──────────────────────────────────────────────────────────────────────────────────────────

async function startLabOnFreePorts(err: (line: string) => void): Promise<RunningLab> {
  // lab/server.mjs is loaded from the project at run time (it reads its client files next to itself).
  const labModule = pathToFileURL(join(PROJECT_ROOT, 'lab', 'server.mjs')).href;
  const { startLab } = (await import(/* @vite-ignore */ labModule)) as {
    startLab(options?: StartLabOptions): Promise<RunningLab>;
  };
  const wanted = {
    page: portFromEnv('LAB_PORT_PAGE', LAB_PORTS.page),
    api: portFromEnv('LAB_PORT_API', LAB_PORTS.api),
    third: portFromEnv('LAB_PORT_THIRD', LAB_PORTS.third),
  };
  const fixed = Object.values(wanted).filter((port) => port !== 0);
  const taken = [];
  for (const port of fixed) if (!(await portIsFree(port))) taken.push(port);
  if (taken.length > 0) {
    err(`Port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} in use: the lab takes free ports instead.`);
    return startLab();
  }
  return startLab({ ports: wanted });
}

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : fallback;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// ── Browsers ─────────────────────────────────────────────────────────────────────────────────────────

/** Whether DevTools is open on the lab's tab, and on our panel. */
type DevToolsState = 'cors-panel' | 'open' | 'closed';

interface BrowserSession {
  extensionId: string;
  devtools: DevToolsState;
  /** Headless Chromium only: where a test can connect over CDP. */
  cdpEndpoint?: string;
  /** Called once if the browser goes away by itself (window closed, crash). */
  onGone(callback: () => void): void;
  close(): Promise<void>;
}

async function startChromium(index: string, headless: boolean): Promise<BrowserSession> {
  const args = ['--auto-open-devtools-for-tabs'];
  // Headless: a port for tests to look inside (the profile's DevToolsActivePort says which); never for a
  // person's window, where any local program could drive the browser through it.
  if (headless) args.push('--remote-debugging-port=0');
  // runStart handles Ctrl-C and SIGTERM: browser and lab close in order, then the process exits 0.
  const chromium = await launchChromium({
    extension: extensionDir('chromium'),
    headless,
    args,
    windowed: !headless,
    handleSignals: false,
  });
  try {
    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    await page.goto(index);
    await page.bringToFront();
    const extensionId = chromium.extensionId ?? '';
    const devtools = await showCorsPanel(chromium.context.browser()?.newBrowserCDPSession(), extensionId);
    const cdpEndpoint = headless ? await readCdpEndpoint(chromium.userDataDir) : undefined;
    return {
      extensionId,
      devtools,
      ...(cdpEndpoint ? { cdpEndpoint } : {}),
      onGone: (callback) => chromium.context.once('close', callback),
      close: () => chromium.close(),
    };
  } catch (error) {
    await chromium.close();
    throw error;
  }
}

async function readCdpEndpoint(userDataDir: string): Promise<string | undefined> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const text = await readFile(join(userDataDir, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const port = text.split('\n')[0]?.trim();
    if (port && /^\d+$/.test(port)) return `http://127.0.0.1:${port}`;
    await sleep(50);
  }
  return undefined;
}

/**
 * Selects the CORS panel in the DevTools window that --auto-open-devtools-for-tabs opened. DevTools'
 * front-end has no public API for it: this calls its InspectorView (DESIGN.md §7), and settles for "open"
 * when that fails. The panel's id is the extension's origin followed by the panel's title.
 */
async function showCorsPanel(session: Promise<CDPSession> | undefined, extensionId: string): Promise<DevToolsState> {
  const cdp = await session?.catch(() => undefined);
  if (!cdp) return 'closed';
  try {
    const deadline = Date.now() + DEVTOOLS_WAIT_MS;
    let targetId: string | undefined;
    while (!targetId && Date.now() < deadline) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      targetId = targetInfos.find((t) => t.type === 'page' && t.url.startsWith('devtools://'))?.targetId;
      if (!targetId) await sleep(100);
    }
    if (!targetId) return 'closed';
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
    const panelId = `chrome-extension://${extensionId}CORS`;
    const expression = `(async () => {
      const legacy = await import('./ui/legacy/legacy.js');
      const view = legacy.InspectorView.InspectorView.instance();
      const deadline = Date.now() + ${DEVTOOLS_WAIT_MS};
      while (!view.hasPanel(${JSON.stringify(panelId)})) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await view.showPanel(${JSON.stringify(panelId)});
      return true;
    })()`;
    const reply = await sendToTarget(cdp, sessionId, 'Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    const shown = (reply as { result?: { result?: { value?: unknown } } }).result?.result?.value === true;
    return shown ? 'cors-panel' : 'open';
  } catch {
    return 'open';
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** One CDP command to an attached (non-flat) target session, through the browser session. */
function sendToTarget(cdp: CDPSession, sessionId: string, method: string, params: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = 1;
    const timer = setTimeout(() => {
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      reject(new Error(`${method}: no answer from DevTools`));
    }, DEVTOOLS_WAIT_MS + 2_000);
    const onMessage = (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as { id?: number };
      if (message.id !== id) return;
      clearTimeout(timer);
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      resolve(message);
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
}

async function startFirefox(index: string, headless: boolean): Promise<BrowserSession> {
  const firefox: FirefoxHandle = await launchFirefox({ extension: extensionDir('firefox'), headless });
  try {
    const context = await firefox.openTab(index);
    await firefox.bidi.send('browsingContext.activate', { context }).catch(() => undefined);
    let devtools: DevToolsState = 'closed';
    try {
      const toolbox = await firefox.openDevToolsToolbox(context, { panel: 'CORS', timeoutMs: DEVTOOLS_WAIT_MS });
      devtools = toolbox.currentToolId.startsWith('webext-devtools-panel-') ? 'cors-panel' : 'open';
    } catch {
      devtools = 'closed';
    }
    return {
      extensionId: firefox.extension?.id ?? '',
      devtools,
      onGone(callback) {
        const timer = setInterval(() => {
          if (firefox.bidi.isOpen) return;
          clearInterval(timer);
          callback();
        }, 500);
        timer.unref();
      },
      close: () => firefox.close(),
    };
  } catch (error) {
    await firefox.close();
    throw error;
  }
}

/** Runs `start` until SIGINT/SIGTERM or until the browser is gone; resolves with the exit status. A signal
 * while starting stops everything once it has started; a second Ctrl-C leaves at once. */
export async function runStart(options: StartOptions): Promise<number> {
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const starting = start(options);
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(130);
    signalled = true;
    if (!options.headless) err('Closing the browser and the lab…');
    void starting.then((started) => started.stop()).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let started: Started;
    try {
      started = await starting;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      err(`cors-explainer start: ${(text.split('\n')[0] ?? text).trim()}`);
      return 2;
    }
    await started.stopped;
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
