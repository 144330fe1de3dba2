/**
 * The fixes work. For every lab scenario Chromium fails (or warns about), the page runs once with the built
 * extension; the fix is taken from the JSON export of the extension's records (getRecords, then buildExport
 * as the panel and the CLI build it → records[].fix), applied to
 * the lab's servers (lab.applyFix, replayed as docs/EXPORT.md says), and the page runs again in a fresh tab.
 * Then Chromium must report no CORS problem at all (CDP), the extension must record nothing, and the page
 * must see its request succeed. Fixes that are not made of headers (a server that is down, a permission
 * the user must grant) are listed as skipped, with the step the fix asks for; so is a scenario whose body
 * the page cannot use even once CORS lets it through (its CORS part is still checked).
 */
import type { Page, Worker } from 'playwright-core';
import type Browser from 'webextension-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabFromItems } from '../../src/background/storage-layout.ts';
import type { CorsRecord } from '../../src/cors/record.ts';
import { buildExport } from '../../src/explain/export.ts';
import type { ExportDocument, ExportRecord, Fix } from '../../src/explain/types.ts';
import type { Requests } from '../../src/messages.ts';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios, type Scenario } from '../../lab/scenarios.mjs';
import { extensionBuild, recordsOfScenario, until } from './support/agreement.ts';
import { captureCorsErrors, type LaunchedChromium, launchChromium } from './support/chromium.ts';
import { chromiumVerdict } from './support/verdicts.ts';

declare const chrome: Browser.Browser;

const SETTLE_MS = 300;

/** Steps a fix may ask for that no response header can take. */
const NOT_A_HEADER_STEP: ReadonlySet<NonNullable<Fix['other']>> = new Set([
  'fix-network',
  'local-network-permission',
  'serve-over-http',
  'change-request-mode',
  'browser-setting',
]);

/** Scenarios whose response body is a placeholder the page cannot use, whatever the headers say. */
const PLACEHOLDER_BODY: ReadonlyMap<string, string> = new Map([
  ['font-missing-allow-origin', 'the lab serves a placeholder, not a font, so the page still fails to use it'],
]);

let lab: Awaited<ReturnType<typeof startLab>>;
let chromium: LaunchedChromium;
let sw: Worker;
/** An extension page, to talk to the background as the panel and the CLI do (runtime.sendMessage). */
let host: Page;
let opened = 0;
const passed: string[] = [];
const failed: string[] = [];
const skipped: string[] = [];

beforeAll(async () => {
  const extension = extensionBuild('chrome');
  lab = await startLab();
  chromium = await launchChromium({ extension });
  if (!chromium.serviceWorker) throw new Error('the extension did not start');
  sw = chromium.serviceWorker;
  host = await chromium.context.newPage();
  await host.goto(`chrome-extension://${chromium.extensionId}/manifest.json`);
});

afterAll(async () => {
  await chromium?.close();
  await lab?.close();
  const tried = passed.length + failed.length;
  console.log(`fix replay: ${passed.length}/${tried} passed`);
  for (const f of failed) console.log(`  failed ${f}`);
  for (const s of skipped) console.log(`  skipped ${s}`);
});

async function tabIdOf(page: Page): Promise<number> {
  const id = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url());
  if (typeof id !== 'number') throw new Error(`no tab for ${page.url()}`);
  return id;
}

async function storedRecords(tabId: number): Promise<CorsRecord[]> {
  const items = await sw.evaluate(() => chrome.storage.session.get(null));
  return tabFromItems(items, tabId)?.records ?? [];
}

async function exportOf(tabId: number): Promise<ExportDocument> {
  const [reply, extensionVersion] = await host.evaluate(
    async (id) => [await chrome.runtime.sendMessage({ type: 'getRecords', payload: { tabId: id } }), chrome.runtime.getManifest().version] as const,
    tabId,
  );
  const { records, dropped } = reply as Requests['getRecords']['reply'];
  return buildExport(records, { tabId, dropped, engine: 'chromium', generatedAt: new Date().toISOString(), extensionVersion });
}

async function runPage(scenario: Scenario) {
  const page = await chromium.context.newPage();
  const capture = await captureCorsErrors(page);
  try {
    await page.goto(`${lab.origins.page}/scenario/${scenario.id}?tab=${++opened}`);
    await page.waitForSelector('html[data-lab-state="done"]', { timeout: 20_000 });
    await page.waitForTimeout(SETTLE_MS);
    const js = await page.evaluate(() => (window as unknown as { labResult: { passed: boolean; detail: string } }).labResult);
    return { page, capture, js, tabId: await tabIdOf(page) };
  } catch (error) {
    await capture.stop();
    await page.close();
    throw error;
  }
}

/** The extension's export record for the scenario's failure, from a first run of its page. */
async function recordedFix(scenario: Scenario): Promise<ExportRecord> {
  const run = await runPage(scenario);
  try {
    const mine = (doc: ExportDocument) => doc.records.filter((r) => r.url.includes(`/s/${scenario.id}/`));
    const doc = await until(() => exportOf(run.tabId), (d) => mine(d).length > 0);
    const records = mine(doc);
    expect(records.map((r) => r.reason), 'the first run records the failure').toEqual([scenario.expected.chromium]);
    return records[0] as ExportRecord;
  } finally {
    await run.capture.stop();
    await run.page.close();
  }
}

describe('every header fix from the export makes its scenario pass in Chromium', () => {
  const failing = runnableScenarios.filter((s) => s.expected.chromium !== null && !s.webRequestSilent?.includes('chromium'));

  for (const scenario of failing) {
    it(scenario.id, async (ctx) => {
      const record = await recordedFix(scenario);
      const { fix } = record;
      if (fix.other && NOT_A_HEADER_STEP.has(fix.other)) {
        skipped.push(`${scenario.id}: the fix is "${fix.other}", not a header`);
        ctx.skip();
        return;
      }
      expect(fix.preflight ?? fix.actual ?? fix.redirects?.[0] ?? fix.other, 'a fix with something to apply').toBeDefined();

      lab.applyFix(scenario.id, { url: record.url, fix });
      const replay = await runPage(scenario).catch((error: unknown) => {
        lab.removeFix(scenario.id);
        throw error;
      });
      try {
        const verdict = chromiumVerdict(replay.capture, lab.origins.page);
        const after = await until(() => storedRecords(replay.tabId), (rs) => rs.length > 0, SETTLE_MS);
        const placeholder = PLACEHOLDER_BODY.get(scenario.id);
        const problems = [
          verdict.reason ? `Chromium still says ${verdict.chromiumName}` : '',
          after.length ? `the extension recorded ${recordsOfScenario(after, scenario.id).map((r) => r.diagnosis.reason).join(', ')}` : '',
          replay.js.passed || placeholder ? '' : `the page saw ${replay.js.detail}`,
        ].filter(Boolean);
        if (problems.length) failed.push(`${scenario.id}: ${problems.join('; ')}`);
        else if (placeholder) skipped.push(`${scenario.id}: ${placeholder} (the fix's CORS part checked: no CORS error, nothing recorded)`);
        else passed.push(scenario.id);
        expect(problems, JSON.stringify(fix)).toEqual([]);
        // The page's failure is the body's, not a network one: the response arrived in full.
        if (placeholder) expect(replay.capture.failures.filter((f) => f.url.includes(`/s/${scenario.id}/`))).toEqual([]);
      } finally {
        lab.removeFix(scenario.id);
        await replay.capture.stop();
        await replay.page.close();
      }
    });
  }
});
