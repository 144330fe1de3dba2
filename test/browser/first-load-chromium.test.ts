/**
 * The very first page after a launch is recorded. On a fresh profile the browser has no listener of ours
 * registered until the service worker's top level has run, and it drops webRequest events that come before
 * (there is nothing to queue them for). The launcher therefore returns only once the worker has finished
 * its top level (support/chromium.ts). To make the race certain instead of occasional, the extension's
 * worker is slowed down here: a module that busies it for 1.5 s is imported before the real one. Then a
 * failing scenario is opened at once, in the tab that was there at launch, with DevTools open on it, as
 * `npm start` does.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Browser from 'webextension-polyfill';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tabFromItems } from '../../src/background/storage-layout.ts';
import { startLab } from '../../lab/server.mjs';
import { extensionBuild, recordsOfScenario, until } from './support/agreement.ts';
import { type LaunchedChromium, launchChromium } from './support/chromium.ts';

declare const chrome: Browser.Browser;

const SLOW_START_MS = 1_500;

let lab: Awaited<ReturnType<typeof startLab>>;
let slowCopy: string;

beforeAll(async () => {
  const built = extensionBuild('chrome');
  slowCopy = mkdtempSync(join(tmpdir(), 'cors-explainer-slow-'));
  cpSync(built, slowCopy, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(slowCopy, 'manifest.json'), 'utf8')) as { background: { service_worker: string } };
  const loader = join(slowCopy, manifest.background.service_worker);
  writeFileSync(join(slowCopy, 'slow-start.js'), `const until = Date.now() + ${SLOW_START_MS};\nwhile (Date.now() < until) {}\n`);
  // Module imports run in order: the busy module first, then the real worker.
  writeFileSync(loader, `import './slow-start.js';\n${readFileSync(loader, 'utf8')}`);
  lab = await startLab();
});

afterAll(async () => {
  await lab?.close();
  rmSync(slowCopy, { recursive: true, force: true });
});

it('a slow-starting worker still records the first page opened right after the launch', async () => {
  const started = Date.now();
  let chromium: LaunchedChromium | undefined;
  try {
    chromium = await launchChromium({ extension: slowCopy, args: ['--auto-open-devtools-for-tabs'] });
    const launchMs = Date.now() - started;
    const sw = chromium.serviceWorker;
    if (!sw) throw new Error('the extension did not start');

    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    await page.goto(`${lab.origins.page}/scenario/missing-allow-origin-get`);
    await page.waitForSelector('html[data-lab-state="done"]', { timeout: 20_000 });
    const url = page.url();
    const tabId = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
    const read = async () =>
      tabFromItems(await sw.evaluate(() => chrome.storage.session.get(null)), tabId ?? -1)?.records ?? [];
    const records = recordsOfScenario(await until(read, (rs) => rs.length > 0), 'missing-allow-origin-get');
    expect(records.map((r) => [r.diagnosis.reason, r.diagnosis.stage])).toEqual([['CORSMissingAllowOrigin', 'actual']]);
    // Seen from its beginning: the request as sent, with its Origin.
    expect(records[0]?.exchange.requestHeaders.some(([name]) => name === 'origin')).toBe(true);
    // The slowed top level really ran before the launcher returned.
    expect(launchMs).toBeGreaterThanOrEqual(SLOW_START_MS);
  } finally {
    await chromium?.close();
  }
});
