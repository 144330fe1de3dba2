/**
 * The 'devtools-open' recording scope means what it says: a tab is recorded from the moment DevTools opens
 * on it, before the CORS panel was ever shown (Chrome loads a panel's page only when it is first shown; the
 * devtools page, loaded with DevTools, keeps a port to the background). Across a stop of the service worker
 * the tab stays recorded, and once DevTools is closed it is not recorded any more.
 */
import { resolve } from 'node:path';
import type { CDPSession, Page, Worker } from 'playwright-core';
import type Browser from 'webextension-polyfill';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tabFromItems } from '../../src/background/storage-layout.ts';
import { startLab } from '../../lab/server.mjs';
import { type LaunchedChromium, launchChromium } from './support/chromium.ts';

// Functions given to evaluate() run in the extension, where `chrome` is the promise-based extension API.
declare const chrome: Browser.Browser;

const EXTENSION = resolve(process.env.CORS_EXTENSION_DIR ?? 'dist/chrome');

let lab: Awaited<ReturnType<typeof startLab>>;
let chromium: LaunchedChromium;
/** Follows the worker across restarts. */
let sw: Worker;
let cdp: CDPSession;

beforeAll(async () => {
  lab = await startLab();
  chromium = await launchChromium({ extension: EXTENSION, args: ['--auto-open-devtools-for-tabs'] });
  sw = chromium.serviceWorker!;
  const browserCdp = await chromium.context.browser()?.newBrowserCDPSession();
  if (!browserCdp) throw new Error('no browser-level CDP session');
  cdp = browserCdp;
  await sw.evaluate(() => chrome.storage.local.set({ settings: { preserveLog: false, scope: 'devtools-open' } }));
});

afterAll(async () => {
  await chromium?.close();
  await lab?.close();
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

async function targets(): Promise<Array<{ targetId: string; type: string; url: string }>> {
  return (await cdp.send('Target.getTargets')).targetInfos;
}

const session = (): Promise<Record<string, unknown>> => sw.evaluate(() => chrome.storage.session.get(null));
const inspected = async (): Promise<number[]> => ((await session()).inspected as number[] | undefined) ?? [];
const recordedTags = async (tabId: number): Promise<string[]> =>
  (tabFromItems(await session(), tabId)?.records ?? []).map((r) => new URL(r.exchange.url).searchParams.get('n') ?? '');

function fail(page: Page, tag: string): Promise<string> {
  return page.evaluate(
    (url) =>
      fetch(url).then(
        () => 'passed',
        () => 'failed',
      ),
    `${lab.origins.api}/s/missing-allow-origin-get/data?n=${tag}`,
  );
}

it('records a tab from the moment DevTools opens on it, not from the CORS panel; stops when DevTools closes', async () => {
  const devtoolsBefore = new Set((await targets()).filter((t) => t.url.startsWith('devtools://')).map((t) => t.targetId));

  const page = await chromium.context.newPage();
  await page.goto(`${lab.origins.page}/?devtools-open`);
  const tabId = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, page.url());
  expect(tabId).toBeGreaterThan(0);

  // DevTools opened with the tab (--auto-open-devtools-for-tabs): its devtools page announced the tab.
  expect(await until(inspected, (ids) => ids.includes(tabId))).toContain(tabId);
  const window = await until(
    async () => (await targets()).filter((t) => t.url.startsWith('devtools://') && !devtoolsBefore.has(t.targetId)),
    (t) => t.length > 0,
  );
  expect(window).toHaveLength(1);
  // …and no CORS panel page was ever loaded.
  expect((await targets()).filter((t) => t.url.includes('/src/panel/panel.html'))).toEqual([]);

  expect(await fail(page, 'open-1')).toBe('failed');
  expect(await until(() => recordedTags(tabId), (t) => t.length === 1)).toEqual(['open-1']);

  // A stopped worker drops the devtools page's port; the page connects again and the tab stays recorded.
  await sw.evaluate(() => {
    (globalThis as { stoppedByTest?: boolean }).stoppedByTest = true;
  });
  const [worker] = (await targets()).filter((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${chromium.extensionId}/`));
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
  const fresh = await until(
    () => sw.evaluate(() => (globalThis as { stoppedByTest?: boolean }).stoppedByTest !== true).catch(() => false),
    (f) => f,
  );
  expect(fresh).toBe(true);
  // Its listeners (filtered to the inspected tabs) are back once it has read the scope and the tabs.
  await until(
    () => sw.evaluate(() => (chrome.webRequest.onErrorOccurred as unknown as { hasListeners(): boolean }).hasListeners()),
    (l) => l,
  );
  expect(await fail(page, 'open-2')).toBe('failed');
  expect(await until(() => recordedTags(tabId), (t) => t.length === 2)).toEqual(['open-1', 'open-2']);

  // DevTools closes: the port goes, the tab is no longer inspected, its failures are not recorded.
  await cdp.send('Target.closeTarget', { targetId: window[0]!.targetId });
  expect(await until(inspected, (ids) => !ids.includes(tabId))).not.toContain(tabId);
  expect(await fail(page, 'closed-1')).toBe('failed');
  await page.waitForTimeout(500);
  expect(await recordedTags(tabId)).toEqual(['open-1', 'open-2']);
  await page.close();
});
