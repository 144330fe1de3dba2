/**
 * Chromium with the unpacked extension, for the CLI, `npm start` and the browser tests: a fresh profile
 * per launch (deleted on close), the system Chromium (CHROME_PATH, else /usr/bin/chromium), and the
 * extension's service worker awaited so that callers know it is up.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { LaunchError } from './launch-error.ts';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The executable used when none is given (read when this module loads). */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? DEFAULT_CHROMIUM_PATH;

/** CHROME_PATH as it is now, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROME_PATH || DEFAULT_CHROMIUM_PATH;
}

export interface LaunchOptions {
  /** Directory of an unpacked extension to load (e.g. dist/chrome). */
  extension?: string;
  headless?: boolean;
  /** Extra command-line switches. */
  args?: string[];
  /** Default: CHROME_PATH, else /usr/bin/chromium. */
  executablePath?: string;
  /** A window for a person (npm start): the page follows the window size instead of a fixed viewport. */
  windowed?: boolean;
  /** Default true: Playwright closes the browser on SIGINT/SIGTERM/SIGHUP (and exits with 130 on SIGINT).
   * false: the caller handles the signals and calls close() itself. */
  handleSignals?: boolean;
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** Set when an extension was loaded: the id from its service worker URL. */
  extensionId?: string;
  serviceWorker?: Worker;
  userDataDir: string;
  close(): Promise<void>;
}

/** The switches every launch uses (the extension ones are added when an extension is given). */
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

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const { extension, headless = true, args = [], windowed = false, handleSignals = true } = options;
  const executablePath = options.executablePath ?? chromiumPath();
  if (!existsSync(executablePath)) {
    throw new LaunchError(`Chromium not found at ${executablePath}; set CHROME_PATH to a Chromium or Chrome executable`);
  }
  const dist = extension ? resolve(extension) : undefined;
  if (dist && !existsSync(join(dist, 'manifest.json'))) {
    throw new LaunchError(`no extension build in ${dist} (manifest.json is missing); run \`npm run build\``);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'cors-explainer-chromium-'));
  // However the process ends (Ctrl-C lets Playwright close the browser and exit), the profile goes with it.
  const removeProfile = () => {
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Chromium was still writing as the process ended: leave it to the OS's temp cleaning.
    }
  };
  process.once('exit', removeProfile);
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless,
      args: [...chromiumArgs(dist), ...args],
      // Playwright turns extensions off by default; a launch that loads one needs them on.
      ignoreDefaultArgs: dist ? ['--disable-extensions'] : [],
      ...(windowed ? { viewport: null } : {}),
      ...(handleSignals ? {} : { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }),
    });
    let serviceWorker: Worker | undefined;
    let extensionId: string | undefined;
    if (dist) {
      serviceWorker =
        context.serviceWorkers()[0] ??
        (await context.waitForEvent('serviceworker', { timeout: 15_000 }).catch(() => {
          throw new LaunchError(`the extension in ${dist} did not start (no service worker within 15 s)`);
        }));
      extensionId = new URL(serviceWorker.url()).host;
      // The worker exists before its top level has run. A page opened now could make its requests before
      // the webRequest listeners are registered, and on a fresh profile those events are lost (measured:
      // a worker whose top level took 1.5 s missed the first page 5 times in 6). A worker evaluates only
      // after its top level has finished, so after this every listener is in place.
      // test/browser/first-load-chromium.test.ts holds this to a slowed-down worker.
      await serviceWorker.evaluate(() => true);
    }
    const launched = context;
    let closing: Promise<void> | undefined;
    return {
      context: launched,
      extensionId,
      serviceWorker,
      userDataDir,
      close() {
        closing ??= (async () => {
          await launched.close().catch(() => undefined);
          await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
          process.off('exit', removeProfile);
        })();
        return closing;
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    process.off('exit', removeProfile);
    throw error;
  }
}
