/**
 * `cors-explainer check --browser firefox` on the CORS lab: the command's exit status, table and JSON
 * export, and the whole catalogue through `checkUrls` in one Firefox start: what the CLI reports for each
 * scenario must be what Firefox itself says (expected.gecko).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../lab/server.mjs';
import { runnableScenarios, scenarioById } from '../../lab/scenarios.mjs';
import { checkUrls } from '../../src/cli/check.ts';
import type { ExportDocument } from '../../src/explain/types.ts';
import { buildCli, exportProblems, interruptCheck, requireExtensionBuild, runCli } from './cli-support.ts';

let lab: Awaited<ReturnType<typeof startLab>>;
const page = (id: string) => `${lab.origins.page}/scenario/${id}`;

beforeAll(async () => {
  requireExtensionBuild('firefox');
  buildCli();
  lab = await startLab();
});

afterAll(async () => {
  await lab?.close();
});

describe('cors-explainer check --browser firefox, as a command', () => {
  it('a page with a CORS failure: exit 1 and a table naming the reason', async () => {
    const id = 'credentials-with-wildcard';
    const run = await runCli(['check', page(id), '--browser', 'firefox']);
    console.log(`one Firefox check run (browser start to exit): ${(run.ms / 1000).toFixed(1)} s`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`1 CORS failure on ${page(id)} (Firefox):`);
    expect(lines[2]).toMatch(/^METHOD\s+URL\s+REASON\s+STAGE\s+VERDICT$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain(`  ${scenarioById(id)?.expected.gecko}  `);
  });

  it('--json: a valid export with the reason Firefox gives', async () => {
    const id = 'method-not-allowed';
    const run = await runCli(['check', page(id), '--browser', 'firefox', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as ExportDocument;
    expect(exportProblems(doc)).toEqual([]);
    expect(doc.engine).toBe('gecko');
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]?.reason).toBe(scenarioById(id)?.expected.gecko);
    expect(doc.records[0]?.stage).toBe('preflight');
    expect(doc.pageUrl).toBe(page(id));
  });

  it('a page without CORS problems: exit 0 and an empty result', async () => {
    const run = await runCli(['check', page('ok-credentialed'), '--browser', 'firefox', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as ExportDocument).records).toEqual([]);
  });

  it('a page that does not load: exit 2 and one line', async () => {
    const url = `http://127.0.0.1:${lab.closedPort}/`;
    const run = await runCli(['check', url, '--browser', 'firefox']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^cors-explainer: could not load .*NS_ERROR_CONNECTION_REFUSED/);
  });

  it('SIGTERM during a check: exit 130, nothing reported, Firefox and its profile gone', async () => {
    const run = await interruptCheck(['check', page('abort-controller'), '--browser', 'firefox'], 'SIGTERM');
    expect(run.profile).toMatch(/cors-explainer-firefox-/);
    expect(run.status).toBe(130);
    expect(run.stdout).toBe('');
    expect(existsSync(run.profile)).toBe(false);
  });

  it('no Firefox at FIREFOX_PATH: exit 2 and one line', async () => {
    const run = await runCli(['check', page('ok-simple-get'), '--browser', 'firefox'], { FIREFOX_PATH: '/nonexistent/firefox' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('cors-explainer: Firefox not found at /nonexistent/firefox; set FIREFOX_PATH to a Firefox executable\n');
  });
});

describe('checkUrls: every observable lab scenario in one Firefox', () => {
  it('reports, for each scenario, exactly the reason Firefox gives', async () => {
    const scenarios = runnableScenarios.filter((s) => !s.webRequestSilent?.includes('gecko'));
    const started = Date.now();
    const results = await checkUrls(
      'firefox',
      scenarios.map((s) => page(s.id)),
    );
    const seconds = (Date.now() - started) / 1000;
    const mismatches: string[] = [];
    scenarios.forEach((scenario, i) => {
      const result = results[i];
      const reasons = [...new Set(result?.document.records.map((r) => r.reason))];
      const expected = scenario.expected.gecko === null ? [] : [scenario.expected.gecko];
      if (result?.loadError) mismatches.push(`${scenario.id}: page did not load (${result.loadError})`);
      else if (JSON.stringify(reasons) !== JSON.stringify(expected)) {
        mismatches.push(`${scenario.id}: expected ${expected.join(', ') || 'nothing'}, the CLI reported ${reasons.join(', ') || 'nothing'}`);
      }
      for (const record of result?.document.records ?? []) {
        if (!record.url.includes(`/s/${scenario.id}/`)) mismatches.push(`${scenario.id}: a record for another URL: ${record.url}`);
      }
    });
    console.log(
      `cli firefox: ${scenarios.length - mismatches.length}/${scenarios.length} scenarios as Firefox judges them, ` +
        `${seconds.toFixed(1)} s for one browser start and ${scenarios.length} pages`,
    );
    expect(results).toHaveLength(scenarios.length);
    expect(mismatches).toEqual([]);
  });
});
