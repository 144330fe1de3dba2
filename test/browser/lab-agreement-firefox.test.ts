/**
 * The extension against the judge, in Firefox ESR: every runnable lab scenario is opened in a fresh tab of
 * one Firefox that runs the built extension (dist/firefox). Firefox's own verdict is the first key its
 * console logged for one of the scenario's requests; the extension's is its record for that tab (asked
 * through the background's getRecords). They must agree scenario by scenario: the same reason, no record
 * where Firefox reports nothing, Firefox's own key as the record's engine name, and a stage that fits both
 * Firefox's key and the recorded exchange.
 *
 * The first scenario runs right after the install: a record lost while the background was starting would
 * show up there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsRecord } from '../../src/cors/record.ts';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios, type Scenario } from '../../lab/scenarios.mjs';
import {
  extensionBuild,
  geckoScenarioVerdict,
  geckoStages,
  recordsOfScenario,
  stageBackedByExchange,
  Tally,
  until,
} from './support/agreement.ts';
import { type FirefoxHandle, launchFirefox } from './support/firefox.ts';

/** Console messages and records arrive a little after the page learns of the outcome. */
const SETTLE_MS = 400;
const RECORD_DEADLINE_MS = 5_000;

let lab: Awaited<ReturnType<typeof startLab>>;
let firefox: FirefoxHandle;
const tally = new Tally();
let opened = 0;

beforeAll(async () => {
  const extension = extensionBuild('firefox');
  lab = await startLab();
  firefox = await launchFirefox({ extension });
});

afterAll(async () => {
  await firefox?.close();
  await lab?.close();
  tally.print('firefox agreement');
});

async function tabIdOf(url: string): Promise<number> {
  const id = await firefox.extensionEval<number | undefined>(
    // @ts-expect-error `browser` exists in the extension page
    async (u: string) => (await browser.tabs.query({})).find((t: { url?: string }) => t.url === u)?.id,
    url,
  );
  if (typeof id !== 'number') throw new Error(`no tab for ${url}`);
  return id;
}

async function recordsOf(tabId: number): Promise<CorsRecord[]> {
  const reply = await firefox.sendExtensionMessage<{ records: CorsRecord[] }>({ type: 'getRecords', payload: { tabId } });
  return reply.records;
}

async function waitForOutcome(tab: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await firefox.evaluate<boolean>(tab, () => document.documentElement.dataset.labState === 'done'))) {
    if (Date.now() > deadline) throw new Error('the scenario page did not finish within 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function judge(scenario: Scenario) {
  const url = `${lab.origins.page}/scenario/${scenario.id}?tab=${++opened}`;
  const tab = await firefox.openTab(url);
  try {
    await waitForOutcome(tab);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const verdict = geckoScenarioVerdict(await firefox.corsVerdicts(), scenario.id);
    const tabId = await tabIdOf(url);
    const wanted = (rs: CorsRecord[]) => verdict.reason === null || recordsOfScenario(rs, scenario.id).length > 0;
    let records = await until(() => recordsOf(tabId), wanted, RECORD_DEADLINE_MS);
    if (verdict.reason === null) records = await until(() => recordsOf(tabId), (rs) => rs.length > 0, SETTLE_MS);
    return { verdict, records };
  } finally {
    await firefox.closeTab(tab);
  }
}

describe('the extension agrees with Firefox on every lab scenario', () => {
  const scenarios = runnableScenarios.filter((s) => !s.webRequestSilent?.includes('gecko'));

  for (const scenario of scenarios) {
    it(scenario.id, async () => {
      const { verdict, records } = await judge(scenario);
      const mine = recordsOfScenario(records, scenario.id);
      const first = mine[0];
      const got = first?.diagnosis.reason ?? null;
      tally.add({
        id: scenario.id,
        browser: verdict.reason,
        extension: mine.length > 1 ? mine.map((r) => r.diagnosis.reason).join(' + ') : got,
        agrees: got === verdict.reason && mine.length <= 1,
        note: verdict.keys.join(', '),
      });

      expect(records.map((r) => r.exchange.url)).toEqual(mine.map((r) => r.exchange.url));
      expect(got, `Firefox logged ${verdict.keys.join(', ') || 'nothing'} (${verdict.url ?? 'no request'})`).toBe(verdict.reason);
      if (verdict.reason === null || first === undefined) return;
      expect(mine.map((r) => r.diagnosis.reason)).toEqual([verdict.reason]);
      // Firefox's own key, revision number included, is the name the record gives.
      expect(first.diagnosis.engineName).toBe(verdict.key);
      expect(geckoStages(verdict.key)).toContain(first.diagnosis.stage);
      expect(stageBackedByExchange(first), `stage ${first.diagnosis.stage}`).toBe(true);
      expect(verdict.reason).toBe(scenario.expected.gecko);
    });
  }
});
