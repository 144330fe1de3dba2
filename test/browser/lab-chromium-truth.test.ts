/**
 * The lab's catalogue against the judge: every runnable scenario is loaded on its own page in Chromium,
 * Chromium's own CORS verdict is read over CDP, and it must equal the scenario's `expected.chromium`.
 * No extension is involved: this keeps the catalogue honest so other tests can trust it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReasonId } from '../../src/cors/reasons.ts';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios, type Scenario } from '../../lab/scenarios.mjs';
import { captureCorsErrors, type LaunchedChromium, launchChromium } from './support/chromium.ts';
import { chromiumVerdict } from './support/verdicts.ts';

/** How long to keep listening after the page reported its outcome, for late issues and failures. */
const SETTLE_MS = 300;

let lab: Awaited<ReturnType<typeof startLab>>;
let chromium: LaunchedChromium;
const tally: Array<{ id: string; expected: ReasonId | null; got: ReasonId | null | 'no verdict (page error)' }> = [];

beforeAll(async () => {
  lab = await startLab();
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await lab?.close();
  const asExpected = tally.filter((t) => t.expected === t.got).length;
  console.log(`chromium truth: ${asExpected}/${tally.length} scenarios as expected`);
  for (const t of tally.filter((t) => t.expected !== t.got)) console.log(`  ${t.id}: expected ${t.expected}, Chromium said ${t.got}`);
});

async function openScenario(page: Page, scenario: Scenario) {
  await page.goto(`${lab.origins.page}/scenario/${scenario.id}`);
  await page.waitForSelector('html[data-lab-state="done"]', { timeout: 20_000 });
  return page.evaluate(() => (window as unknown as { labResult: { passed: boolean; detail: string } }).labResult);
}

describe('Chromium judges the lab catalogue', () => {
  for (const scenario of runnableScenarios) {
    it(`${scenario.id} → ${scenario.expected.chromium ?? 'nothing'}`, async () => {
      const page = await chromium.context.newPage();
      const capture = await captureCorsErrors(page);
      try {
        const js = await openScenario(page, scenario).catch((error) => {
          tally.push({ id: scenario.id, expected: scenario.expected.chromium, got: 'no verdict (page error)' });
          throw error;
        });
        await page.waitForTimeout(SETTLE_MS);
        const verdict = chromiumVerdict(capture, lab.origins.page);
        tally.push({ id: scenario.id, expected: scenario.expected.chromium, got: verdict.reason });

        expect(verdict.reason, `Chromium said ${verdict.chromiumName ?? 'nothing'} for ${verdict.url ?? 'no request'}`).toBe(
          scenario.expected.chromium,
        );
        // What the page saw must agree with the verdict: blocked requests fail in JS, warnings and
        // controls pass, an abort fails with AbortError but is nobody's CORS problem.
        if (scenario.group === 'ok' || scenario.expected.chromium === 'CORSAllowHeaderFromPreflightDeprecation') {
          expect(js.passed, js.detail).toBe(true);
        } else {
          expect(js.passed, js.detail).toBe(false);
        }
        if (scenario.group === 'abort') expect(js.detail).toMatch(/^AbortError/);
      } finally {
        await capture.stop();
        await page.close();
      }
    });
  }
});

/** A throwaway MV3 extension that only logs which URLs reach webRequest (with extraHeaders, as ours does). */
const PROBE_MANIFEST = {
  manifest_version: 3,
  name: 'lab webRequest probe',
  version: '1',
  permissions: ['webRequest'],
  host_permissions: ['<all_urls>'],
  background: { service_worker: 'probe.js' },
};
const PROBE_WORKER = `
self.seen = [];
const filter = { urls: ['<all_urls>'] };
const note = (event) => (d) => { self.seen.push({ event, url: d.url, error: d.error ?? null }); };
chrome.webRequest.onBeforeRequest.addListener(note('beforeRequest'), filter);
chrome.webRequest.onSendHeaders.addListener(note('sendHeaders'), filter, ['requestHeaders', 'extraHeaders']);
chrome.webRequest.onHeadersReceived.addListener(note('headersReceived'), filter, ['responseHeaders', 'extraHeaders']);
chrome.webRequest.onCompleted.addListener(note('completed'), filter);
chrome.webRequest.onErrorOccurred.addListener(note('errorOccurred'), filter);
`;

describe('what an extension can see (webRequest) in Chromium', () => {
  let probe: LaunchedChromium | undefined;
  let probeDir = '';
  beforeAll(async () => {
    probeDir = await mkdtemp(join(tmpdir(), 'lab-probe-'));
    await writeFile(join(probeDir, 'manifest.json'), JSON.stringify(PROBE_MANIFEST));
    await writeFile(join(probeDir, 'probe.js'), PROBE_WORKER);
    // One browser at a time: the judge above is closed while the probe runs.
    await chromium.close();
    probe = await launchChromium({ extension: probeDir });
  });
  afterAll(async () => {
    await probe?.close();
    await rm(probeDir, { recursive: true, force: true });
    chromium = await launchChromium();
  });

  it('every runnable scenario reaches webRequest, except those marked webRequestSilent', async () => {
    const worker = probe?.serviceWorker;
    if (!probe || !worker) throw new Error('the probe extension did not start');
    const mismatches: string[] = [];
    for (const scenario of runnableScenarios) {
      await worker.evaluate(() => {
        (self as unknown as { seen: unknown[] }).seen = [];
      });
      const page = await probe.context.newPage();
      try {
        await openScenario(page, scenario);
        await page.waitForTimeout(SETTLE_MS);
      } finally {
        await page.close();
      }
      const seen = await worker.evaluate(() => (self as unknown as { seen: Array<{ url: string }> }).seen);
      const reached = seen.some((e) => e.url.includes(`/s/${scenario.id}/`));
      const silent = scenario.webRequestSilent?.includes('chromium') === true;
      if (reached === silent) mismatches.push(`${scenario.id}: ${reached ? 'seen' : 'not seen'} by webRequest`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('the index page', () => {
  it('lists every runnable scenario with a Run button', async () => {
    const page = await chromium.context.newPage();
    try {
      await page.goto(`${lab.origins.page}/`);
      const listed = await page.$$eval('button.run', (buttons) => buttons.map((b) => (b as HTMLButtonElement).dataset.id));
      expect(listed.sort()).toEqual(runnableScenarios.map((s) => s.id).sort());
    } finally {
      await page.close();
    }
  });

  it('"Run all failing" shows each failure the way JavaScript saw it', async () => {
    const page = await chromium.context.newPage();
    const capture = await captureCorsErrors(page);
    try {
      await page.goto(`${lab.origins.page}/`);
      await page.click('#run-failing');
      await page.waitForFunction(() => /\d+ run:/.test(document.getElementById('summary')?.textContent ?? ''), null, {
        timeout: 60_000,
      });
      const failing = runnableScenarios.filter((s) => ['reason', 'beyond', 'network'].includes(s.group));
      const states = await page.$$eval('li.scenario[data-id]', (items) =>
        items.map((li) => {
          const output = li.querySelector('output.result') as HTMLOutputElement;
          return { id: (li as HTMLElement).dataset.id, state: output.dataset.state, text: output.textContent ?? '' };
        }),
      );
      for (const s of failing) {
        const shown = states.find((st) => st.id === s.id);
        const warningOnly = s.expected.chromium === 'CORSAllowHeaderFromPreflightDeprecation';
        expect(shown?.state, `${s.id}: ${shown?.text}`).toBe(warningOnly ? 'passed' : 'failed');
      }
      // Controls were not part of the run.
      for (const s of runnableScenarios.filter((x) => x.group === 'ok')) {
        expect(states.find((st) => st.id === s.id)?.state).toBe('idle');
      }
      const fetchFailure = states.find((st) => st.id === 'missing-allow-origin-get');
      expect(fetchFailure?.text).toBe('Failed — TypeError: Failed to fetch');
      // The in-page run produced Chromium CORS errors too (the page is the same origin as the scenario pages).
      expect(capture.failures.some((f) => f.corsError === 'MissingAllowOriginHeader')).toBe(true);
    } finally {
      await capture.stop();
      await page.close();
    }
  });
});
