/**
 * The extension against the judge, in Chromium: every runnable lab scenario is opened in a fresh tab of one
 * Chromium that runs the built extension (dist/chrome). Chromium's own verdict is read over CDP; the
 * extension's is its stored record for that tab. They must agree scenario by scenario: the same reason,
 * no record where Chromium reports nothing, and a stage that matches where Chromium says it failed.
 *
 * The very first scenario runs right after the launch: a record missed because the service worker was
 * still starting would show up here (and in the dedicated test at the top).
 */
import type { Page, Worker } from 'playwright-core';
import type Browser from 'webextension-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabFromItems } from '../../src/background/storage-layout.ts';
import type { CorsRecord } from '../../src/cors/record.ts';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios, type Scenario } from '../../lab/scenarios.mjs';
import { chromiumStage, extensionBuild, recordsOfScenario, Tally, until } from './support/agreement.ts';
import { captureCorsErrors, type LaunchedChromium, launchChromium } from './support/chromium.ts';
import { chromiumVerdict } from './support/verdicts.ts';

// Functions given to evaluate() run in the extension, where `chrome` is the promise-based extension API.
declare const chrome: Browser.Browser;

/** How long to keep listening after the page reported its outcome, for late issues, failures and records. */
const SETTLE_MS = 300;
/** How long a record may take to reach storage after Chromium reported the failure. */
const RECORD_DEADLINE_MS = 5_000;

let lab: Awaited<ReturnType<typeof startLab>>;
let chromium: LaunchedChromium;
let sw: Worker;
const tally = new Tally();
let opened = 0;

beforeAll(async () => {
  const extension = extensionBuild('chrome');
  lab = await startLab();
  chromium = await launchChromium({ extension });
  if (!chromium.serviceWorker) throw new Error('the extension did not start');
  sw = chromium.serviceWorker;
});

afterAll(async () => {
  await chromium?.close();
  await lab?.close();
  tally.print('chromium agreement');
});

/** The tab id of a page, as the extension sees it (each page gets a unique URL). */
async function tabIdOf(page: Page): Promise<number> {
  const url = page.url();
  const id = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
  if (typeof id !== 'number') throw new Error(`no tab for ${url}`);
  return id;
}

async function storedRecords(tabId: number): Promise<CorsRecord[]> {
  const items = await sw.evaluate(() => chrome.storage.session.get(null));
  return tabFromItems(items, tabId)?.records ?? [];
}

/** Opens the scenario's page in a fresh tab and returns Chromium's verdict and the extension's records. */
async function judge(scenario: Scenario) {
  const page = await chromium.context.newPage();
  const capture = await captureCorsErrors(page);
  try {
    await page.goto(`${lab.origins.page}/scenario/${scenario.id}?tab=${++opened}`);
    await page.waitForSelector('html[data-lab-state="done"]', { timeout: 20_000 });
    await page.waitForTimeout(SETTLE_MS);
    const verdict = chromiumVerdict(capture, lab.origins.page);
    const tabId = await tabIdOf(page);
    const records = await until(
      () => storedRecords(tabId),
      (rs) => verdict.reason === null || recordsOfScenario(rs, scenario.id).length > 0,
      RECORD_DEADLINE_MS,
    );
    // Where Chromium reports nothing, give a late record the same chance to show up before saying none came.
    const settled = verdict.reason === null ? await until(() => storedRecords(tabId), (rs) => rs.length > 0, SETTLE_MS) : records;
    return { verdict, records: settled, tabId };
  } finally {
    await capture.stop();
    await page.close();
  }
}

describe('the extension agrees with Chromium on every lab scenario', () => {
  const scenarios = runnableScenarios.filter((s) => !s.webRequestSilent?.includes('chromium'));

  for (const scenario of scenarios) {
    it(scenario.id, async () => {
      const { verdict, records } = await judge(scenario);
      const mine = recordsOfScenario(records, scenario.id);
      const first = mine[0];
      const got = first?.diagnosis.reason ?? null;
      const agrees = got === verdict.reason && mine.length <= 1;
      tally.add({
        id: scenario.id,
        browser: verdict.reason,
        extension: mine.length > 1 ? mine.map((r) => r.diagnosis.reason).join(' + ') : got,
        agrees,
        note: verdict.chromiumName,
      });

      // Only the scenario's own requests are recorded: the lab page's same-origin loads never are.
      expect(records.map((r) => r.exchange.url)).toEqual(mine.map((r) => r.exchange.url));
      expect(got, `Chromium said ${verdict.chromiumName ?? 'nothing'} for ${verdict.url ?? 'no request'}`).toBe(verdict.reason);
      if (verdict.reason === null || first === undefined) return;
      // One failed request, one record.
      expect(mine.map((r) => r.diagnosis.reason)).toEqual([verdict.reason]);
      // Chromium's own name and the stage it implies.
      expect(first.diagnosis.engineName).toBe(verdict.chromiumName);
      expect(first.diagnosis.stage).toBe(chromiumStage(verdict.chromiumName));
      // What Chromium's catalogue entry expects is what Chromium said (the truth test keeps that true).
      expect(verdict.reason).toBe(scenario.expected.chromium);
    });
  }
});
