/**
 * The lab's catalogue against the judge, in Firefox ESR: every runnable scenario is loaded on its own page,
 * Firefox's own CORS verdict is read from its console (the language-independent key of the first message
 * for one of the scenario's requests), and it must equal the scenario's `expected.gecko`. No extension is
 * loaded: this keeps the catalogue honest so that the agreement test can trust it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReasonId } from '../../src/cors/reasons.ts';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios } from '../../lab/scenarios.mjs';
import { geckoScenarioVerdict, Tally } from './support/agreement.ts';
import { type FirefoxHandle, launchFirefox } from './support/firefox.ts';

/** Console messages arrive from the parent process a little after the page learns of the failure. */
const SETTLE_MS = 400;

let lab: Awaited<ReturnType<typeof startLab>>;
let firefox: FirefoxHandle;
const tally = new Tally({ browser: 'Firefox said', extension: 'the catalogue expects' });
let opened = 0;

beforeAll(async () => {
  lab = await startLab();
  firefox = await launchFirefox();
});

afterAll(async () => {
  await firefox?.close();
  await lab?.close();
  tally.print('firefox truth');
});

interface LabResult {
  passed: boolean;
  detail: string;
}

describe('Firefox judges the lab catalogue', () => {
  for (const scenario of runnableScenarios) {
    it(`${scenario.id} → ${scenario.expected.gecko ?? 'nothing'}`, async () => {
      const tab = await firefox.openTab(`${lab.origins.page}/scenario/${scenario.id}?tab=${++opened}`);
      try {
        const js = await waitForOutcome(tab);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const verdict = geckoScenarioVerdict(await firefox.corsVerdicts(), scenario.id);
        const expected: ReasonId | null = scenario.expected.gecko;
        tally.add({ id: scenario.id, browser: verdict.reason, extension: expected, agrees: verdict.reason === expected, note: verdict.keys.join(', ') });
        expect(verdict.reason, `Firefox logged ${verdict.keys.join(', ') || 'nothing'} (${verdict.url ?? ''})`).toBe(expected);
        // What the page saw agrees with the verdict: a warning, the controls and what Firefox lets through
        // (passesIn) pass, an abort is an AbortError; everything else fails in JavaScript, whether or not
        // Firefox names a reason.
        const passes =
          scenario.group === 'ok' || expected === 'CORSAllowHeaderFromPreflightDeprecation' || scenario.passesIn?.includes('gecko') === true;
        expect(js.passed, js.detail).toBe(passes);
        if (scenario.passesIn?.includes('gecko')) expect(expected).toBeNull();
        if (scenario.group === 'abort') expect(js.detail).toMatch(/^AbortError/);
      } finally {
        await firefox.closeTab(tab);
      }
    });
  }
});

async function waitForOutcome(tab: string): Promise<LabResult> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await firefox.evaluate<LabResult | null>(tab, () =>
      document.documentElement.dataset.labState === 'done' ? (window as unknown as { labResult: LabResult }).labResult : null,
    );
    if (result) return result;
    if (Date.now() > deadline) throw new Error('the scenario page did not finish within 20 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
